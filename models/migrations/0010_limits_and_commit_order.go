package migrations

import "gorm.io/gorm"

// migrateLimitsAndCommitOrder widens events.body to what the validator
// allows a regulatory change's body (200 characters; the column held 100,
// so a longer body failed on PostgreSQL; SQLite does not enforce VARCHAR
// widths), and adds import_runs.commit_seq: the order in which successful
// imports committed, which "is this file still stored?" needs (ids give
// the order they started in). Earlier runs are numbered by id, the best
// order known for them.
func migrateLimitsAndCommitOrder(tx *gorm.DB, b Backend) error {
	if b == Postgres {
		if err := execAll(tx, `ALTER TABLE events ALTER COLUMN body TYPE VARCHAR(200)`); err != nil {
			return err
		}
	}
	return execAll(tx,
		`ALTER TABLE import_runs ADD COLUMN commit_seq BIGINT`,
		`UPDATE import_runs SET commit_seq = id WHERE status = 'succeeded'`,
		`CREATE INDEX idx_import_runs_commit_seq ON import_runs (target, commit_seq)`,
	)
}
