// Package models holds Strikeline's persistent data: the GORM models, the
// versioned schema migrations and the Store whose methods are the only place
// SQL is written. It runs on PostgreSQL in production and on an embedded,
// pure-Go SQLite file for single-user installs; every query here works on both,
// except the bulk loader, which builds month partitions on PostgreSQL
// (activity_load_pg.go) and stages and merges on SQLite.
package models
