// Package models is Strikeline's store: the GORM models and the Store, whose
// methods are the only place SQL is written (the schema history they rely on
// is package models/migrations, applied by Store.Migrate). It runs on
// PostgreSQL in production and on an embedded, pure-Go SQLite file for
// single-user installs. Queries are written once for both; where the engines
// differ — the bulk loader (month partitions swapped in on PostgreSQL,
// staged and merged on SQLite), advisory locks standing in for SQLite's one
// writer, read replicas on PostgreSQL only — the code branches on
// Store.Backend and says why.
package models
