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

// sqliteLoader stages a file's rows in one table, stg_import_<run>, and
// merges them month by month.
type sqliteLoader struct {
	loadBase
	cols []string // staging columns: the key, n, line, and the row's month
}

func newSQLiteLoader(ctx context.Context, b loadBase) (*sqliteLoader, error) {
	l := &sqliteLoader{loadBase: b}
	l.cols = append(append([]string{}, b.t.Cols...), "n", "line", "ms", "me")
	defs := make([]string, len(l.cols))
	for i, c := range l.cols {
		defs[i] = c + " BIGINT NOT NULL"
	}
	q := "CREATE TABLE " + l.stg + " (" + strings.Join(defs, ", ") + ")"
	if err := b.s.db.WithContext(ctx).Exec(q).Error; err != nil {
		return nil, fmt.Errorf("store: unable to create staging table: %w", err)
	}
	return l, nil
}

func (l *sqliteLoader) close() error {
	return l.s.db.Exec("DROP TABLE IF EXISTS " + l.stg).Error
}

// write adds a batch to the staging table in prepared multi-row inserts.
func (l *sqliteLoader) write(ctx context.Context, rows [][]int64) error {
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

// merge moves the staged rows into the target in one transaction, month by
// month. A month never loaded for the file's areas is a plain INSERT …
// SELECT. A month already loaded is compared row by row with the stored
// one (the counts), its withdrawn rows deleted and, if anything differs,
// every staged row of the month upserted: as on PostgreSQL, where the
// month is rebuilt whole, each row of a changed month then carries the
// run and line of the file that last replaced the month, and an unchanged
// month keeps its rows as they were.
func (l *sqliteLoader) merge(ctx context.Context, run *ImportRun, opt MergeOptions) error {
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
		q := `SELECT g.first, s.line FROM (SELECT ms, ` + kl + `, MIN(line) AS first FROM ` + stg + ` GROUP BY ms, ` + kl + ` HAVING COUNT(*) > 1) g
			JOIN ` + stg + ` s ON s.ms = g.ms AND ` + match("s", "g") + ` AND s.line <> g.first ORDER BY s.line`
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
		var months []monthChange
		var bounds []struct{ MS, ME int64 }
		if err := tx.Raw(`SELECT ms, me FROM ` + stg + ` GROUP BY ms, me ORDER BY ms`).Scan(&bounds).Error; err != nil {
			return fmt.Errorf("store: unable to list the file's months: %w", err)
		}
		// Which months already hold rows of the file's areas.
		stored := make([]bool, len(bounds))
		anyStored := false
		for i, m := range bounds {
			months = append(months, monthChange{ms: m.MS, me: m.ME})
			var hit []int64
			if err := tx.Raw(`SELECT 1 FROM `+t.Table+` WHERE `+day+` >= ? AND `+day+` < ? AND `+scope+` IN (SELECT `+scope+` FROM `+stg+` WHERE ms = ?) LIMIT 1`,
				m.MS, m.ME, m.MS).Scan(&hit).Error; err != nil {
				return fmt.Errorf("store: scope check failed: %w", err)
			}
			stored[i] = len(hit) > 0
			anyStored = anyStored || stored[i]
		}
		lap("scope check")
		insert := `INSERT INTO ` + t.Table + ` (` + kl + `, n, line, import_id) SELECT ` + kl + `, n, line, ? FROM ` + stg + ` s WHERE s.ms = ?`
		apply := func() error {
			if !anyStored {
				// Fast path, months never loaded for these areas: one
				// INSERT. A duplicate key in the file fails the primary key.
				if err := tx.Exec(`INSERT INTO `+t.Table+` (`+kl+`, n, line, import_id) SELECT `+kl+`, n, line, ? FROM `+stg, run.ID).Error; err != nil {
					return err
				}
				var per []struct{ N int64 }
				if err := tx.Raw(`SELECT COUNT(*) AS n FROM ` + stg + ` GROUP BY ms ORDER BY ms`).Scan(&per).Error; err != nil {
					return err
				}
				for i := range months {
					months[i].inserted = per[i].N
				}
				return nil
			}
			for i := range months {
				m := &months[i]
				m.inserted, m.updated, m.deleted = 0, 0, 0 // a retry starts again
				if !stored[i] {
					res := tx.Exec(insert, run.ID, m.ms)
					if res.Error != nil {
						return res.Error
					}
					m.inserted = res.RowsAffected
					continue
				}
				if err := tx.Raw(`SELECT COUNT(*) FROM `+stg+` s WHERE s.ms = ? AND NOT EXISTS (SELECT 1 FROM `+t.Table+` t WHERE `+match("t", "s")+`)`, m.ms).Scan(&m.inserted).Error; err != nil {
					return err
				}
				if err := tx.Raw(`SELECT COUNT(*) FROM `+stg+` s JOIN `+t.Table+` t ON `+match("t", "s")+` WHERE s.ms = ? AND t.n <> s.n`, m.ms).Scan(&m.updated).Error; err != nil {
					return err
				}
				res := tx.Exec(`DELETE FROM `+t.Table+` WHERE `+day+` >= ? AND `+day+` < ? AND `+scope+` IN (SELECT `+scope+` FROM `+stg+` WHERE ms = ?)
					AND NOT EXISTS (SELECT 1 FROM `+stg+` s WHERE s.ms = ? AND `+match(t.Table, "s")+`)`, m.ms, m.me, m.ms, m.ms)
				if res.Error != nil {
					return fmt.Errorf("store: replacing revised months failed: %w", res.Error)
				}
				m.deleted = res.RowsAffected
				if !m.changed() {
					continue
				}
				if err := tx.Exec(insert+` ON CONFLICT (`+kl+`) DO UPDATE SET n = excluded.n, line = excluded.line, import_id = excluded.import_id`, run.ID, m.ms).Error; err != nil {
					return err
				}
			}
			return nil
		}
		checked := false
		if anyStored {
			// SQLite has no hash anti-join: index the staged keys, by
			// month, so the withdrawn-row check is a lookup, not a scan
			// per row, and each month's rows a range.
			if err := tx.Exec(`CREATE INDEX ` + stg + `_k ON ` + stg + ` (ms, ` + kl + `)`).Error; err != nil {
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
		lap("merge")
		if t.Rollup {
			for _, m := range months {
				if !m.changed() {
					continue
				}
				if err := rebuildRollup(tx, m.ms, m.me); err != nil {
					return err
				}
			}
		}
		lap("rollup")
		return finishRun(tx, t, run, months)
	})
}

// rollupSQL aggregates the sub-ICB rows of from (a table) with days in
// [lo, hi) (two placeholders: "?" for GORM, "$1" and "$2" for pgx) to the
// regional (level 1) and national (level 0) daily rollups. ICB series are read from the sub-ICB table instead (two or
// three sub-ICBs per ICB): an ICB level would triple the rollup rows a load
// writes. Sub-ICBs without a known region still count in the national total.
func rollupSQL(from, lo, hi string) string {
	dims := "status, hcp, mode, lead"
	return `WITH agg AS MATERIALIZED (
			SELECT COALESCE(a.region_id, 0) AS region_id, d.day, d.status, d.hcp, d.mode, d.lead, SUM(d.n) AS n
			FROM areas a JOIN ` + from + ` d ON d.area_id = a.id AND d.day >= ` + lo + ` AND d.day < ` + hi + `
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
		stmt{`INSERT INTO appt_rollup_daily (level, area_id, day, status, hcp, mode, lead, n) ` + rollupSQL("appt_subicb_daily", "?", "?"), []any{from, to}},
	)
	if err != nil {
		return fmt.Errorf("store: rollup rebuild failed: %w", err)
	}
	return nil
}
