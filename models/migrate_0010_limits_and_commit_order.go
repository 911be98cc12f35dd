package models

import "gorm.io/gorm"

// migrateLimitsAndCommitOrder widens events.body to what the validator
// allows a regulatory change's body (200 characters; the column held 100,
// so a longer body failed on PostgreSQL). SQLite does not enforce VARCHAR
// widths.
func migrateLimitsAndCommitOrder(tx *gorm.DB, b Backend) error {
	if b == Postgres {
		if err := execAll(tx, `ALTER TABLE events ALTER COLUMN body TYPE VARCHAR(200)`); err != nil {
			return err
		}
	}
	return nil
}
