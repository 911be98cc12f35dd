package models

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"gorm.io/gorm"
)

const sqliteBatch = 200

func (l *Loader) writeSQLite(ctx context.Context, rows [][]int64) error {
	sqlDB, err := l.s.db.DB()
	if err != nil {
		return err
	}
	tx, err := sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: unable to begin staging batch: %w", err)
	}
	defer tx.Rollback()
	nc := len(l.cols)
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", nc), ",") + ")"
	prep := func(n int) (*sql.Stmt, error) {
		q := "INSERT INTO " + l.stg + " VALUES " + strings.TrimSuffix(strings.Repeat(one+",", n), ",")
		return tx.PrepareContext(ctx, q)
	}
	big, err := prep(sqliteBatch)
	if err != nil {
		return fmt.Errorf("store: unable to prepare staging insert: %w", err)
	}
	defer big.Close()
	args := make([]any, 0, sqliteBatch*nc)
	nk := len(l.t.Cols)
	add := func(r []int64) {
		for _, x := range r[:nk+2] {
			args = append(args, x)
		}
		ms, me := monthBounds(r[1])
		args = append(args, ms, me)
	}
	i := 0
	for ; i+sqliteBatch <= len(rows); i += sqliteBatch {
		args = args[:0]
		for _, r := range rows[i : i+sqliteBatch] {
			add(r)
		}
		if _, err := big.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("store: staging insert failed: %w", err)
		}
	}
	if rest := len(rows) - i; rest > 0 {
		small, err := prep(rest)
		if err != nil {
			return fmt.Errorf("store: unable to prepare staging insert: %w", err)
		}
		defer small.Close()
		args = args[:0]
		for _, r := range rows[i:] {
			add(r)
		}
		if _, err := small.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("store: staging insert failed: %w", err)
		}
	}
	return tx.Commit()
}

// mergeSQLite moves the staged rows into the target in one transaction.
// A month already loaded for the file's areas is merged row by row (the
// counts come from comparing staged and stored rows); a new one is a plain
// INSERT … SELECT.
func (l *Loader) mergeSQLite(ctx context.Context, run *ImportRun, opt MergeOptions) error {
	t := l.t
	keys := t.Cols
	match := func(a, b string) string {
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = a + "." + k + " = " + b + "." + k
		}
		return strings.Join(parts, " AND ")
	}
	kl := strings.Join(keys, ", ")
	scope, day := keys[0], keys[1]
	stg := l.stg
	t0 := time.Now()
	lap := func(step string) {
		slog.Debug("merge step", "step", step, "elapsed", time.Since(t0).Round(time.Millisecond))
	}
	dedupe := func(tx *gorm.DB) error {
		// Duplicate natural keys within the file.
		var dups []struct{ First, Line int64 }
		q := `SELECT g.first, s.line FROM (SELECT ` + kl + `, MIN(line) AS first FROM ` + stg + ` GROUP BY ` + kl + ` HAVING COUNT(*) > 1) g
			JOIN ` + stg + ` s ON ` + match("s", "g") + ` AND s.line <> g.first ORDER BY s.line`
		if err := tx.Raw(q).Scan(&dups).Error; err != nil {
			return fmt.Errorf("store: duplicate check failed: %w", err)
		}
		if len(dups) == 0 {
			return nil
		}
		de := &DuplicateError{Count: int64(len(dups))}
		for _, d := range dups {
			if len(de.Rows) >= opt.MaxErrors {
				break
			}
			de.Rows = append(de.Rows, RowError{Line: d.Line, Reason: fmt.Sprintf("duplicate natural key (first seen on line %d)", d.First)})
		}
		if !opt.SkipBad {
			return de
		}
		run.Errors = append(run.Errors, de.Rows...)
		run.RowsRejected += de.Count
		return tx.Exec(`DELETE FROM ` + stg + ` WHERE line NOT IN (SELECT MIN(line) FROM ` + stg + ` GROUP BY ` + kl + `)`).Error
	}
	return l.s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var b struct{ Rows, MinMS, MaxME int64 }
		if err := tx.Raw(`SELECT COUNT(*) AS rows, COALESCE(MIN(ms), 0) AS min_ms, COALESCE(MAX(me), 0) AS max_me FROM ` + stg).Scan(&b).Error; err != nil {
			return err
		}
		scopes := `(SELECT DISTINCT ` + scope + `, ms, me FROM ` + stg + `) sc`
		inScope := `EXISTS (SELECT 1 FROM ` + scopes + ` WHERE sc.` + scope + ` = ` + t.Table + `.` + scope +
			` AND ` + t.Table + `.` + day + ` >= sc.ms AND ` + t.Table + `.` + day + ` < sc.me)`
		var existing []int64
		if err := tx.Raw(`SELECT 1 FROM `+t.Table+` WHERE `+t.Table+`.`+day+` >= ? AND `+t.Table+`.`+day+` < ? AND `+inScope+` LIMIT 1`, b.MinMS, b.MaxME).Scan(&existing).Error; err != nil {
			return fmt.Errorf("store: scope check failed: %w", err)
		}
		lap("scope check")
		replace := len(existing) > 0
		apply := func() error {
			if !replace {
				// Fast path: months never loaded for these areas. A
				// duplicate key in the file fails the primary key.
				res := tx.Exec(`INSERT INTO `+t.Table+` (`+kl+`, n, line, import_id) SELECT `+kl+`, n, line, ? FROM `+stg, run.ID)
				if res.Error != nil {
					return res.Error
				}
				run.RowsInserted = res.RowsAffected
				return nil
			}
			if err := tx.Raw(`SELECT COUNT(*) FROM ` + stg + ` s WHERE NOT EXISTS (SELECT 1 FROM ` + t.Table + ` t WHERE ` + match("t", "s") + `)`).Scan(&run.RowsInserted).Error; err != nil {
				return err
			}
			if err := tx.Raw(`SELECT COUNT(*) FROM ` + stg + ` s JOIN ` + t.Table + ` t ON ` + match("t", "s") + ` WHERE t.n <> s.n`).Scan(&run.RowsUpdated).Error; err != nil {
				return err
			}
			res := tx.Exec(`DELETE FROM ` + t.Table + ` WHERE ` + inScope + ` AND NOT EXISTS (SELECT 1 FROM ` + stg + ` s WHERE ` + match(t.Table, "s") + `)`)
			if res.Error != nil {
				return fmt.Errorf("store: replacing revised months failed: %w", res.Error)
			}
			run.RowsDeleted = res.RowsAffected
			return tx.Exec(`INSERT INTO `+t.Table+` (`+kl+`, n, line, import_id) SELECT `+kl+`, n, line, ? FROM `+stg+` WHERE true
				ON CONFLICT (`+kl+`) DO UPDATE SET n = excluded.n, line = excluded.line, import_id = excluded.import_id WHERE `+t.Table+`.n <> excluded.n`, run.ID).Error
		}
		checked := false
		if replace {
			// SQLite has no hash anti-join: index the staged keys so the
			// withdrawn-row check is a lookup, not a scan per row.
			if err := tx.Exec(`CREATE INDEX ` + stg + `_k ON ` + stg + ` (` + kl + `)`).Error; err != nil {
				return err
			}
			// An upsert does not fail on duplicate rows (SQLite keeps the
			// last), so check for them first.
			if err := dedupe(tx); err != nil {
				return err
			}
			checked = true
		}
		// On fresh months duplicates fail the primary key: try first and
		// look for them only on failure.
		if err := tx.SavePoint("merge").Error; err != nil {
			return err
		}
		err := apply()
		if err != nil && !checked && isDuplicateKey(err) {
			if err := tx.RollbackTo("merge").Error; err != nil {
				return err
			}
			if err := dedupe(tx); err != nil {
				return err
			}
			err = apply()
		}
		if err != nil {
			return fmt.Errorf("store: merge failed: %w", err)
		}
		if replace {
			revisionNote(run, b.MinMS, b.MaxME)
		}
		lap("merge")
		if t.Rollup && b.Rows > 0 {
			if err := rebuildRollup(tx, b.MinMS, b.MaxME); err != nil {
				return err
			}
		}
		lap("rollup")
		if b.Rows > 0 {
			run.Target, run.DayFrom, run.DayTo = t.Table, &b.MinMS, &b.MaxME
		}
		run.Status = ImportSucceeded
		return tx.Model(&ImportRun{}).Where("id = ?", run.ID).Updates(finishValues(run)).Error
	})
}

// rollupSQL aggregates the sub-ICB rows of FROM (a table or subquery
// holding days in [?, ?)) to the regional (level 1) and national (level 0)
// daily rollups. ICB series are read from the sub-ICB table instead (two or
// three sub-ICBs per ICB): an ICB level would triple the rollup rows a load
// writes. Sub-ICBs without a known region still count in the national total.
func rollupSQL(from string) string {
	dims := "status, hcp, mode, lead"
	return `WITH agg AS MATERIALIZED (
			SELECT COALESCE(a.region_id, 0) AS region_id, d.day, d.status, d.hcp, d.mode, d.lead, SUM(d.n) AS n
			FROM areas a JOIN ` + from + ` d ON d.area_id = a.id AND d.day >= ? AND d.day < ?
			WHERE a.level = ` + fmt.Sprint(LevelSubICB) + `
			GROUP BY COALESCE(a.region_id, 0), d.day, d.status, d.hcp, d.mode, d.lead)
		SELECT 1, region_id, day, ` + dims + `, SUM(n) FROM agg WHERE region_id <> 0 GROUP BY region_id, day, ` + dims + `
		UNION ALL
		SELECT 0, 0, day, ` + dims + `, SUM(n) FROM agg GROUP BY day, ` + dims
}

// rebuildRollup recomputes the national and regional daily rollups for days
// in [from, to) from the sub-ICB table.
func rebuildRollup(tx *gorm.DB, from, to int64) error {
	err := execAllArgs(tx,
		// Deleted through the primary key's (level, area_id, day) prefix:
		// a day index would make every load pay for one more index.
		stmt{`DELETE FROM appt_rollup_daily WHERE level = 0 AND area_id = 0 AND day >= ? AND day < ?`, []any{from, to}},
		stmt{`DELETE FROM appt_rollup_daily WHERE level = 1 AND area_id IN (SELECT id FROM areas WHERE level = 1) AND day >= ? AND day < ?`, []any{from, to}},
		stmt{`INSERT INTO appt_rollup_daily (level, area_id, day, status, hcp, mode, lead, n) ` + rollupSQL("appt_subicb_daily"), []any{from, to}},
	)
	if err != nil {
		return fmt.Errorf("store: rollup rebuild failed: %w", err)
	}
	return nil
}
