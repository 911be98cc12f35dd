package migrations

import "gorm.io/gorm"

// migrateImpactSlices adds the announcement date, the recovery window and
// the activity slice a planner may set on an event, and the table of stored
// impact results (one row per event version, slice and data state, so a
// page view never recomputes what is already known).
func migrateImpactSlices(tx *gorm.DB, b Backend) error {
	ts, id := "timestamptz", "BIGSERIAL PRIMARY KEY"
	if b == SQLite {
		ts, id = "datetime", "INTEGER PRIMARY KEY AUTOINCREMENT"
	}
	return execAll(tx,
		`ALTER TABLE events ADD COLUMN announced_on `+ts,
		`ALTER TABLE events ADD COLUMN impact_recovery_days INTEGER`,
		`ALTER TABLE events ADD COLUMN impact_slice text`,
		`CREATE TABLE impact_results (
			id `+id+`,
			event_id BIGINT NOT NULL,
			event_version INTEGER NOT NULL,
			slice_key VARCHAR(500) NOT NULL,
			data_state VARCHAR(200) NOT NULL,
			body TEXT NOT NULL,
			created_at `+ts+` NOT NULL
		)`,
		`CREATE UNIQUE INDEX idx_impact_results_key ON impact_results (event_id, event_version, slice_key, data_state)`,
	)
}
