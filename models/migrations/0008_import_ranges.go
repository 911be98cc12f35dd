package migrations

import "gorm.io/gorm"

// migrateImportRanges records which table and days a successful import
// wrote, so a file imported again can be recognised as still stored.
func migrateImportRanges(tx *gorm.DB, b Backend) error {
	return execAll(tx,
		`ALTER TABLE import_runs ADD COLUMN target VARCHAR(40)`,
		`ALTER TABLE import_runs ADD COLUMN day_from BIGINT`,
		`ALTER TABLE import_runs ADD COLUMN day_to BIGINT`,
		`CREATE INDEX idx_import_runs_sha256 ON import_runs (sha256)`,
	)
}
