package migrations

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The month-partitioned tables and their keys as they were at version 7.
// Frozen copies, like the naming and month arithmetic below: the loader's
// own lists and helpers may change, this migration must not.
var partitionedTablesV7 = []struct {
	Table string
	Key   []string
}{
	{"appt_subicb_daily", []string{"area_id", "day", "status", "hcp", "mode", "lead"}},
	{"appt_natcat_daily", []string{"area_id", "day", "setting", "context", "category"}},
	{"appt_practice_monthly", []string{"practice_id", "day", "hcp", "mode", "category", "lead", "status"}},
	{"oc_practice_monthly", []string{"practice_id", "day", "supplier", "metric"}},
	{rollupTableV7, []string{"level", "area_id", "day", "status", "hcp", "mode", "lead"}},
}

const rollupTableV7 = "appt_rollup_daily"

// epochV7 is day 0 of the stored day numbers.
var epochV7 = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// monthBoundsV7 returns the day numbers of the first day of day d's month
// and of the next month.
func monthBoundsV7(d int64) (int64, int64) {
	t := epochV7.AddDate(0, 0, int(d))
	ms := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	day := func(t time.Time) int64 { return int64(t.Sub(epochV7) / (24 * time.Hour)) }
	return day(ms), day(ms.AddDate(0, 1, 0))
}

// partitionNameV7 is the partition of table holding the month starting on
// day ms: <table>_mYYYYMM.
func partitionNameV7(table string, ms int64) string {
	t := epochV7.AddDate(0, 0, int(ms))
	return fmt.Sprintf("%s_m%04d%02d", table, t.Year(), int(t.Month()))
}

// migratePartitions reshapes the activity tables for month-by-month loads:
//
//   - every activity row keeps the line of the file it came from (with the
//     run id, a figure traces back to its source line);
//   - the ICB rollup level goes: ICB series are read from the sub-ICB table
//     (two or three sub-ICBs per ICB), and those rows were most of what a
//     load had to write;
//   - on PostgreSQL the activity and rollup tables become partitioned by
//     month (see models/activity_load_pg.go), existing rows moved across.
func migratePartitions(tx *gorm.DB, b Backend) error {
	if err := tx.Exec(`DELETE FROM appt_rollup_daily WHERE level = 2`).Error; err != nil {
		return err
	}
	if b == SQLite {
		for _, t := range partitionedTablesV7 {
			if t.Table == rollupTableV7 {
				continue
			}
			if err := tx.Exec(`ALTER TABLE ` + t.Table + ` ADD COLUMN line INTEGER NOT NULL DEFAULT 0`).Error; err != nil {
				return err
			}
		}
		return nil
	}
	defs := map[string]string{
		"appt_subicb_daily": `area_id INTEGER NOT NULL, day INTEGER NOT NULL,
			status SMALLINT NOT NULL, hcp SMALLINT NOT NULL, mode SMALLINT NOT NULL, lead SMALLINT NOT NULL,
			n INTEGER NOT NULL, line INTEGER NOT NULL, import_id BIGINT NOT NULL`,
		"appt_natcat_daily": `area_id INTEGER NOT NULL, day INTEGER NOT NULL,
			setting INTEGER NOT NULL, context INTEGER NOT NULL, category INTEGER NOT NULL,
			n INTEGER NOT NULL, line INTEGER NOT NULL, import_id BIGINT NOT NULL`,
		"appt_practice_monthly": `practice_id INTEGER NOT NULL, day INTEGER NOT NULL,
			hcp SMALLINT NOT NULL, mode SMALLINT NOT NULL, category INTEGER NOT NULL, lead SMALLINT NOT NULL, status SMALLINT NOT NULL,
			n INTEGER NOT NULL, line INTEGER NOT NULL, import_id BIGINT NOT NULL`,
		"oc_practice_monthly": `practice_id INTEGER NOT NULL, day INTEGER NOT NULL,
			supplier INTEGER NOT NULL, metric INTEGER NOT NULL,
			n BIGINT NOT NULL, line INTEGER NOT NULL, import_id BIGINT NOT NULL`,
		"appt_rollup_daily": `level SMALLINT NOT NULL, area_id INTEGER NOT NULL, day INTEGER NOT NULL,
			status SMALLINT NOT NULL, hcp SMALLINT NOT NULL, mode SMALLINT NOT NULL, lead SMALLINT NOT NULL,
			n BIGINT NOT NULL`,
	}
	for _, t := range partitionedTablesV7 {
		old := t.Table + "_v6"
		kl := strings.Join(t.Key, ", ")
		if err := execAll(tx,
			`ALTER TABLE `+t.Table+` RENAME TO `+old,
			`ALTER INDEX `+t.Table+`_pkey RENAME TO `+old+`_pkey`,
			`CREATE TABLE `+t.Table+` (`+defs[t.Table]+`, PRIMARY KEY (`+kl+`)) PARTITION BY RANGE (day)`,
		); err != nil {
			return err
		}
		var r struct{ Lo, Hi *int64 }
		if err := tx.Raw(`SELECT MIN(day) AS lo, MAX(day) AS hi FROM ` + old).Scan(&r).Error; err != nil {
			return err
		}
		if r.Lo != nil {
			for ms, me := monthBoundsV7(*r.Lo); ms <= *r.Hi; ms, me = monthBoundsV7(me) {
				q := fmt.Sprintf(`CREATE TABLE %s PARTITION OF %s FOR VALUES FROM (%d) TO (%d)`, partitionNameV7(t.Table, ms), t.Table, ms, me)
				if err := tx.Exec(q).Error; err != nil {
					return err
				}
			}
			cols := kl + ", n"
			sel := cols
			if t.Table != rollupTableV7 {
				cols += ", line, import_id"
				sel += ", 0, import_id"
			}
			if err := tx.Exec(`INSERT INTO ` + t.Table + ` (` + cols + `) SELECT ` + sel + ` FROM ` + old).Error; err != nil {
				return err
			}
		}
		if err := tx.Exec(`DROP TABLE ` + old).Error; err != nil {
			return err
		}
	}
	return nil
}
