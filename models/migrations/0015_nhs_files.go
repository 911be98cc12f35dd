package migrations

import (
	"strings"

	"gorm.io/gorm"
)

// nhsFileTablesV15 are the tables migration 15 adds for the other files of
// the GPAD and online-consultation publications, with their columns as
// created then (see docs/data.md). They are loaded through the same
// month-by-month path as the daily tables, so on PostgreSQL each is
// partitioned by month like them: the loader builds a month as a table of
// its own and swaps it in. The tables are small (a few thousand rows a
// month); the partitioning is for the shared load path, not for size.
var nhsFileTablesV15 = []struct {
	Table, Cols, Key string
}{
	{"appt_subicb_monthly", "area_id INTEGER NOT NULL, day INTEGER NOT NULL, status SMALLINT NOT NULL, hcp SMALLINT NOT NULL, mode SMALLINT NOT NULL, lead SMALLINT NOT NULL", "area_id, day, status, hcp, mode, lead"},
	{"gp_coverage_monthly", "area_id INTEGER NOT NULL, day INTEGER NOT NULL, measure SMALLINT NOT NULL", "area_id, day, measure"},
	{"appt_national_overview", "area_id INTEGER NOT NULL, day INTEGER NOT NULL, status SMALLINT NOT NULL, hcp SMALLINT NOT NULL, mode SMALLINT NOT NULL, setting INTEGER NOT NULL, context INTEGER NOT NULL, category INTEGER NOT NULL", "area_id, day, status, hcp, mode, setting, context, category"},
	{"appt_sds_role_daily", "area_id INTEGER NOT NULL, day INTEGER NOT NULL, role INTEGER NOT NULL", "area_id, day, role"},
	{"appt_duration_daily", "area_id INTEGER NOT NULL, day INTEGER NOT NULL, duration INTEGER NOT NULL", "area_id, day, duration"},
	{"oc_daytime_monthly", "practice_id INTEGER NOT NULL, day INTEGER NOT NULL, supplier INTEGER NOT NULL, weekday SMALLINT NOT NULL, band INTEGER NOT NULL", "practice_id, day, supplier, weekday, band"},
	{"oc_practice_daily", "practice_id INTEGER NOT NULL, day INTEGER NOT NULL, supplier INTEGER NOT NULL, kind INTEGER NOT NULL", "practice_id, day, supplier, kind"},
}

// migrateNHSFiles adds the monthly regional, GP coverage, National
// Overview, SDS role, actual duration and OC day-and-time tables, and
// area_months: the parent each file gave an area for a month (a sub-ICB
// location's ICB), from which an area's validity dates and a series'
// boundaries are read, since sub-ICB locations moved to new ICBs in the
// mergers of April 2026.
func migrateNHSFiles(tx *gorm.DB, b Backend) error {
	var stmts []string
	for _, t := range nhsFileTablesV15 {
		cols := t.Cols + ", n BIGINT NOT NULL, line INTEGER NOT NULL, import_id BIGINT NOT NULL, PRIMARY KEY (" + t.Key + ")"
		if b == SQLite {
			cols = strings.ReplaceAll(strings.ReplaceAll(cols, "SMALLINT", "INTEGER"), "BIGINT", "INTEGER")
			stmts = append(stmts, "CREATE TABLE "+t.Table+" ("+cols+") WITHOUT ROWID")
		} else {
			stmts = append(stmts, "CREATE TABLE "+t.Table+" ("+cols+") PARTITION BY RANGE (day)")
		}
	}
	stmts = append(stmts,
		`CREATE TABLE area_months (area_id INTEGER NOT NULL, day INTEGER NOT NULL, parent_id INTEGER NOT NULL,
			PRIMARY KEY (area_id, day))`,
		`CREATE INDEX ix_area_months_parent ON area_months (parent_id, day)`,
	)
	return execAll(tx, stmts...)
}
