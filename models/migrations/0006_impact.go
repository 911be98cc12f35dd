package migrations

import "gorm.io/gorm"

func migrateImpactOverrides(tx *gorm.DB, b Backend) error {
	ts := "timestamptz"
	if b == SQLite {
		ts = "datetime"
	}
	return execAll(tx,
		`ALTER TABLE events ADD COLUMN impact_from `+ts,
		`ALTER TABLE events ADD COLUMN impact_to `+ts,
		`ALTER TABLE events ADD COLUMN impact_scope text`,
		`ALTER TABLE events ADD COLUMN impact_metrics text`,
	)
}
