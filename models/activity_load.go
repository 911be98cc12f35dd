package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// LoadTarget describes one activity table for the bulk loader. Cols are the
// natural key: the scope (an area or practice id) first, the day second,
// then the categories. The value column is always n.
type LoadTarget struct {
	Table  string
	Cols   []string
	Rollup bool // maintain appt_rollup_daily from this table
}

// The activity tables.
var (
	TargetSubICBDaily     = LoadTarget{"appt_subicb_daily", []string{"area_id", "day", "status", "hcp", "mode", "lead"}, true}
	TargetNatCatDaily     = LoadTarget{"appt_natcat_daily", []string{"area_id", "day", "setting", "context", "category"}, false}
	TargetPracticeMonthly = LoadTarget{"appt_practice_monthly", []string{"practice_id", "day", "hcp", "mode", "category", "lead", "status"}, false}
	TargetOCMonthly       = LoadTarget{"oc_practice_monthly", []string{"practice_id", "day", "supplier", "metric"}, false}
)

// Loader stages one file's rows in a private staging table, then merges
// them into the target in one transaction (Merge). Until Merge commits,
// nothing of the file is visible; a crash leaves only the staging table,
// which the next import drops.
//
// Rows passed to Write hold the key columns, then n, then the source line
// number (used to report duplicate keys).
type Loader struct {
	s     *Store
	t     LoadTarget
	runID int64
	stg   string
	cols  []string // staging columns
}

// Epoch is day 0 of the integer day columns.
var Epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// DayNumber converts a civil date to the stored day number.
func DayNumber(t time.Time) int64 {
	t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return int64(t.Sub(Epoch) / (24 * time.Hour))
}

// DayTime converts a stored day number back to a UTC midnight.
func DayTime(d int64) time.Time { return Epoch.AddDate(0, 0, int(d)) }

// monthBounds returns the day numbers of the first day of d's month and of
// the next month.
func monthBounds(d int64) (int64, int64) {
	t := DayTime(d)
	ms := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	return DayNumber(ms), DayNumber(ms.AddDate(0, 1, 0))
}

// NewLoader creates the staging table for import run runID.
func (s *Store) NewLoader(ctx context.Context, t LoadTarget, runID int64) (*Loader, error) {
	l := &Loader{s: s, t: t, runID: runID, stg: fmt.Sprintf("stg_import_%d", runID)}
	l.cols = append(append([]string{}, t.Cols...), "n", "line", "ms", "me")
	defs := make([]string, len(l.cols))
	for i, c := range l.cols {
		defs[i] = c + " BIGINT NOT NULL"
	}
	unlogged := ""
	if s.Backend == Postgres {
		// Staging needs no WAL: it is rebuilt from the file after a crash.
		unlogged = "UNLOGGED "
	}
	q := "CREATE " + unlogged + "TABLE " + l.stg + " (" + strings.Join(defs, ", ") + ")"
	if err := s.DB.WithContext(ctx).Exec(q).Error; err != nil {
		return nil, fmt.Errorf("store: unable to create staging table: %w", err)
	}
	return l, nil
}

// Write appends a batch of rows to the staging table: COPY on PostgreSQL,
// prepared multi-row inserts in one transaction on SQLite.
func (l *Loader) Write(ctx context.Context, rows [][]int64) error {
	if len(rows) == 0 {
		return nil
	}
	nk := len(l.t.Cols)
	if l.s.Backend == Postgres {
		_, err := l.s.Pool.CopyFrom(ctx, pgx.Identifier{l.stg}, l.cols, pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
			r := rows[i]
			ms, me := monthBounds(r[1])
			v := make([]any, 0, nk+4)
			for _, x := range r[:nk+2] {
				v = append(v, x)
			}
			return append(v, ms, me), nil
		}))
		if err != nil {
			return fmt.Errorf("store: COPY into staging failed: %w", err)
		}
		return nil
	}
	return l.writeSQLite(ctx, rows)
}

const sqliteBatch = 200

func (l *Loader) writeSQLite(ctx context.Context, rows [][]int64) error {
	sqlDB, err := l.s.DB.DB()
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

// Close drops the staging table.
func (l *Loader) Close() error {
	return l.s.DB.Exec("DROP TABLE IF EXISTS " + l.stg).Error
}

// MergeOptions say how Merge treats duplicate keys within the file.
type MergeOptions struct {
	// SkipBad drops duplicate rows (keeping the first) instead of failing.
	SkipBad bool
	// MaxErrors caps the duplicate rows reported.
	MaxErrors int
}

// DuplicateError reports rows of one file that share a natural key.
type DuplicateError struct {
	Rows  []RowError
	Count int64
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("%d rows repeat the natural key of an earlier row", e.Count)
}

// Merge moves the staged rows into the target in one transaction: every
// (scope, month) present in the file is replaced by the file's figures
// (a republished month supersedes the earlier one), rollups for the months
// touched are rebuilt, and run is recorded as succeeded in the same
// transaction. run's counters (inserted, updated, deleted, revised, note)
// are filled in. Duplicate keys fail the merge with a *DuplicateError
// unless opt.SkipBad, in which case they are dropped and added to run.
func (l *Loader) Merge(ctx context.Context, run *ImportRun, opt MergeOptions) error {
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
	return l.s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if l.s.Backend == Postgres {
			// Keep the merge's sorts and hash aggregates in memory.
			if err := tx.Exec(`SET LOCAL work_mem = '256MB'`).Error; err != nil {
				return err
			}
		}
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
				res := tx.Exec(`INSERT INTO `+t.Table+` (`+kl+`, n, import_id) SELECT `+kl+`, n, ? FROM `+stg, run.ID)
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
			// On PostgreSQL a duplicate key in the file makes this fail
			// ("cannot affect row a second time").
			return tx.Exec(`INSERT INTO `+t.Table+` (`+kl+`, n, import_id) SELECT `+kl+`, n, ? FROM `+stg+` WHERE true
				ON CONFLICT (`+kl+`) DO UPDATE SET n = excluded.n, import_id = excluded.import_id WHERE `+t.Table+`.n <> excluded.n`, run.ID).Error
		}
		checked := false
		if replace {
			if l.s.Backend == SQLite {
				// SQLite has no hash anti-join: index the staged keys so
				// the withdrawn-row check is a lookup, not a scan per row.
				if err := tx.Exec(`CREATE INDEX ` + stg + `_k ON ` + stg + ` (` + kl + `)`).Error; err != nil {
					return err
				}
			}
			// An upsert does not reliably fail on duplicate rows (SQLite
			// keeps the last; PostgreSQL skips repeats of an unchanged
			// row), so check for them first.
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
			if run.RowsUpdated > 0 || run.RowsDeleted > 0 {
				run.Revised = true
				run.Note = fmt.Sprintf("revision: replaced earlier figures for %s to %s (%d rows changed, %d rows withdrawn)",
					DayTime(b.MinMS).Format("2006-01"), DayTime(b.MaxME-1).Format("2006-01"), run.RowsUpdated, run.RowsDeleted)
			} else if run.RowsInserted == 0 {
				run.Note = "no change: every row was already loaded with the same figures"
			}
		}
		lap("merge")
		if t.Rollup && b.Rows > 0 {
			if err := rebuildRollup(tx, b.MinMS, b.MaxME); err != nil {
				return err
			}
		}
		lap("rollup")
		run.Status = ImportSucceeded
		return tx.Model(&ImportRun{}).Where("id = ?", run.ID).Updates(finishValues(run)).Error
	})
}

// isDuplicateKey reports a unique-key violation (or PostgreSQL's "ON
// CONFLICT DO UPDATE command cannot affect row a second time").
func isDuplicateKey(err error) bool {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505" || pe.Code == "21000"
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// rebuildRollup recomputes the national, regional and ICB daily rollups for
// days in [from, to) from the sub-ICB table.
func rebuildRollup(tx *gorm.DB, from, to int64) error {
	// One pass over the sub-ICB rows aggregates them to ICB level (with
	// each ICB's region); the region and national rows are then summed
	// from that much smaller set. Sub-ICBs without a known ICB or region
	// are kept under id 0 so the national total still counts them.
	dims := "status, hcp, mode, lead"
	err := execAllArgs(tx,
		// Deleted through the primary key's (level, area_id, day) prefix:
		// a day index would make every load pay for one more index.
		stmt{`DELETE FROM appt_rollup_daily WHERE level = 0 AND area_id = 0 AND day >= ? AND day < ?`, []any{from, to}},
		stmt{`DELETE FROM appt_rollup_daily WHERE level = 1 AND area_id IN (SELECT id FROM areas WHERE level = 1) AND day >= ? AND day < ?`, []any{from, to}},
		stmt{`DELETE FROM appt_rollup_daily WHERE level = 2 AND area_id IN (SELECT id FROM areas WHERE level = 2) AND day >= ? AND day < ?`, []any{from, to}},
		stmt{`WITH agg AS MATERIALIZED (
				SELECT COALESCE(a.region_id, 0) AS region_id, COALESCE(a.icb_id, 0) AS icb_id, d.day, d.status, d.hcp, d.mode, d.lead, SUM(d.n) AS n
				FROM areas a JOIN appt_subicb_daily d ON d.area_id = a.id AND d.day >= ? AND d.day < ?
				WHERE a.level = ` + fmt.Sprint(LevelSubICB) + `
				GROUP BY COALESCE(a.region_id, 0), COALESCE(a.icb_id, 0), d.day, d.status, d.hcp, d.mode, d.lead)
			INSERT INTO appt_rollup_daily (level, area_id, day, ` + dims + `, n)
			SELECT 2, icb_id, day, ` + dims + `, SUM(n) FROM agg WHERE icb_id <> 0 GROUP BY icb_id, day, ` + dims + `
			UNION ALL
			SELECT 1, region_id, day, ` + dims + `, SUM(n) FROM agg WHERE region_id <> 0 GROUP BY region_id, day, ` + dims + `
			UNION ALL
			SELECT 0, 0, day, ` + dims + `, SUM(n) FROM agg GROUP BY day, ` + dims, []any{from, to}},
	)
	if err != nil {
		return fmt.Errorf("store: rollup rebuild failed: %w", err)
	}
	return nil
}

type stmt struct {
	q    string
	args []any
}

func execAllArgs(tx *gorm.DB, ss ...stmt) error {
	for _, s := range ss {
		if err := tx.Exec(s.q, s.args...).Error; err != nil {
			return fmt.Errorf("%s: %w", truncate(s.q, 80), err)
		}
	}
	return nil
}

// CleanupImports marks runs whose heartbeat went stale as interrupted and
// drops staging tables that no live run owns (left by a crash).
func (s *Store) CleanupImports(ctx context.Context) error {
	db := s.DB.WithContext(ctx)
	cut := time.Now().UTC().Add(-StaleAfter)
	if err := db.Model(&ImportRun{}).Where("status = ? AND heartbeat_at < ?", ImportRunning, cut).
		Updates(map[string]any{"status": ImportInterrupted, "message": "the importing process stopped (crash or kill); nothing of this file was kept"}).Error; err != nil {
		return fmt.Errorf("store: unable to mark interrupted imports: %w", err)
	}
	var names []string
	var q string
	if s.Backend == Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'stg\_import\_%'`
	} else {
		q = `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'stg\_import\_%' ESCAPE '\'`
	}
	if err := db.Raw(q).Scan(&names).Error; err != nil {
		return fmt.Errorf("store: unable to list staging tables: %w", err)
	}
	for _, n := range names {
		var id int64
		if _, err := fmt.Sscanf(n, "stg_import_%d", &id); err != nil {
			continue
		}
		var live int64
		if err := db.Model(&ImportRun{}).Where("id = ? AND status = ?", id, ImportRunning).Count(&live).Error; err != nil {
			return err
		}
		if live == 0 {
			if err := db.Exec("DROP TABLE IF EXISTS " + n).Error; err != nil {
				return fmt.Errorf("store: unable to drop stale staging table %s: %w", n, err)
			}
		}
	}
	return nil
}
