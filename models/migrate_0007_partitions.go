package models

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// migratePartitions reshapes the activity tables for month-by-month loads:
//
//   - every activity row keeps the line of the file it came from (with the
//     run id, a figure traces back to its source line);
//   - the ICB rollup level goes: ICB series are read from the sub-ICB table
//     (two or three sub-ICBs per ICB), and those rows were most of what a
//     load had to write;
//   - on PostgreSQL the activity and rollup tables become partitioned by
//     month (see activity_load_pg.go), existing rows moved across.
func migratePartitions(tx *gorm.DB, b Backend) error {
	if err := tx.Exec(`DELETE FROM appt_rollup_daily WHERE level = 2`).Error; err != nil {
		return err
	}
	if b == SQLite {
		for _, t := range partitionedTables {
			if t.Table == rollupTable {
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
	for _, t := range partitionedTables {
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
			for ms, me := monthBounds(*r.Lo); ms <= *r.Hi; ms, me = monthBounds(me) {
				q := fmt.Sprintf(`CREATE TABLE %s PARTITION OF %s FOR VALUES FROM (%d) TO (%d)`, partitionName(t.Table, ms), t.Table, ms, me)
				if err := tx.Exec(q).Error; err != nil {
					return err
				}
			}
			cols := kl + ", n"
			sel := cols
			if t.Table != rollupTable {
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
