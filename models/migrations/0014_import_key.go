package migrations

import "gorm.io/gorm"

// migrateImportKey adds the stable key of records loaded by a bulk import
// (the file's key column), so a second import of the same file finds them.
func migrateImportKey(tx *gorm.DB, b Backend) error {
	return execAll(tx,
		`ALTER TABLE events ADD COLUMN import_key varchar(200)`,
		`CREATE INDEX idx_events_import_key ON events (import_key)`,
	)
}
