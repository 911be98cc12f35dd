// Package migrations holds Strikeline's schema history: one file per
// migration, each over its own snapshot structs and DDL as the schema was at
// that version, never over the live models, so a later change to a model
// or a loader cannot alter a migration that has shipped. The ordered list
// in list.go and the schema_migrations records are the contract with
// existing databases. Only package models calls it (Store.Migrate).
package migrations
