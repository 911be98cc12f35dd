package migrations

import "gorm.io/gorm"

// migrateSPCRebase adds the planner's mark that an event starts a new SPC
// group: control limits are recalculated only at such events.
func migrateSPCRebase(tx *gorm.DB, b Backend) error {
	def := "false"
	if b == SQLite {
		def = "0"
	}
	return execAll(tx, `ALTER TABLE events ADD COLUMN spc_rebase boolean NOT NULL DEFAULT `+def)
}
