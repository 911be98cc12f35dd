// Package models holds Strikeline's persistent data: the GORM models, the
// versioned schema migrations and the Store whose methods are the only place
// SQL is written. It runs on PostgreSQL in production and on an embedded,
// pure-Go SQLite file for single-user installs. Most queries are the same on
// both; where a backend needs its own (the bulk loader, which builds month
// partitions on PostgreSQL in activity_load_pg.go and stages and merges on
// SQLite; the upsert of areas; the advisory locks that serialise imports
// and the seed on PostgreSQL; migrations), the code says which and why.
package models
