package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
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

// Loader takes one file's rows and makes them visible all at once (Merge).
// Until Merge commits, nothing of the file is visible; a crash leaves only
// private stg_import_<run>… tables, which the next start or import drops
// (CleanupImports).
//
// The two backends load differently, behind one contract (loader), chosen
// once in NewLoader. SQLite stages the rows in one table and merges them
// month by month with INSERT … SELECT (activity_load_sqlite.go).
// PostgreSQL builds each month the file touches as a table of its own and
// swaps it in for that month's partition (activity_load_pg.go): a sorted
// index build per month instead of a B-tree insert per row. Both report
// what each month gained, changed and lost, and finishRun turns that into
// the run's record, so the two cannot describe the same load differently.
//
// Rows passed to Write hold the key columns, then n, then the source line
// number (kept with the row, and used to report duplicate keys).
type Loader struct {
	impl loader
}

// loader is one backend's way of loading a file.
type loader interface {
	// write stages a batch of rows.
	write(ctx context.Context, rows [][]int64) error
	// merge makes the staged rows visible and records run (finishRun) in
	// the same transaction.
	merge(ctx context.Context, run *ImportRun, opt MergeOptions) error
	// close drops whatever the load left behind.
	close() error
}

// loadBase is what every loader knows about its load.
type loadBase struct {
	s     *Store
	t     LoadTarget
	runID int64
	stg   string // name (or prefix) of the load's private tables
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

// NewLoader prepares the load of one file for import run runID.
func (s *Store) NewLoader(ctx context.Context, t LoadTarget, runID int64) (*Loader, error) {
	ctx = OnPrimary(ctx) // imports read and write the primary only
	base := loadBase{s: s, t: t, runID: runID, stg: fmt.Sprintf("stg_import_%d", runID)}
	var impl loader
	var err error
	if s.Backend == Postgres {
		impl = newPGLoader(base)
	} else if impl, err = newSQLiteLoader(ctx, base); err != nil {
		return nil, err
	}
	return &Loader{impl: impl}, nil
}

// Write appends a batch of rows.
func (l *Loader) Write(ctx context.Context, rows [][]int64) error {
	if len(rows) == 0 {
		return nil
	}
	return l.impl.write(ctx, rows)
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

// Merge makes the file's rows visible in one transaction: every (scope,
// month) present in the file is replaced by the file's figures (a
// republished month supersedes the earlier one), rollups for the months
// touched are rebuilt, and run is recorded as succeeded in the same
// transaction. run's counters (inserted, updated, deleted, revised, note)
// are filled in. Duplicate keys fail the merge with a *DuplicateError
// unless opt.SkipBad, in which case they are dropped and added to run.
func (l *Loader) Merge(ctx context.Context, run *ImportRun, opt MergeOptions) error {
	return l.impl.merge(ctx, run, opt)
}

// monthChange is what a merge did to one month of the file: rows new to
// the store, stored rows whose figure changed, stored rows withdrawn (their
// area is in the file for that month, the row is not).
type monthChange struct {
	ms, me                     int64
	inserted, updated, deleted int64
}

// changed reports whether the month's stored rows differ after the merge.
func (m monthChange) changed() bool { return m.inserted+m.updated+m.deleted > 0 }

// finishRun records a merged run as succeeded, in the merge's transaction
// tx: its counters, its note and the days it wrote, from months (the
// file's months in date order).
//
// The revision note names the months whose stored figures were replaced or
// withdrawn, not every month the file holds: re-importing an October and
// November file where only November was revised says "2023-11 to 2023-11".
// A reader of the import history wants to know which published figures
// moved; October was read again but is what it was. A month that only
// gained rows is not a revision (nothing published before was replaced).
// DayFrom and DayTo still span the whole file: they say what the file
// covers, which is what "is this file still stored" (StillStored) needs.
func finishRun(tx *gorm.DB, t LoadTarget, run *ImportRun, months []monthChange) error {
	var from, to int64
	revisedAny := false
	for _, m := range months {
		run.RowsInserted += m.inserted
		run.RowsUpdated += m.updated
		run.RowsDeleted += m.deleted
		if m.updated > 0 || m.deleted > 0 {
			if !revisedAny {
				from, revisedAny = m.ms, true
			}
			to = m.me
		}
	}
	if revisedAny {
		run.Revised = true
		run.Note = fmt.Sprintf("revision: replaced earlier figures for %s to %s (%d rows changed, %d rows withdrawn)",
			DayTime(from).Format("2006-01"), DayTime(to-1).Format("2006-01"), run.RowsUpdated, run.RowsDeleted)
	} else if len(months) > 0 && run.RowsInserted == 0 {
		run.Note = "no change: every row was already loaded with the same figures"
	}
	if len(months) > 0 {
		from, to := months[0].ms, months[len(months)-1].me
		run.Target, run.DayFrom, run.DayTo = t.Table, &from, &to
	}
	run.Status = ImportSucceeded
	if err := tx.Model(&ImportRun{}).Where("id = ?", run.ID).Updates(finishValues(run)).Error; err != nil {
		return fmt.Errorf("store: unable to finish import run: %w", err)
	}
	return nil
}

// isDuplicateKey reports a unique-key violation: a primary key that cannot
// be built (PostgreSQL, through pgx) or a row that breaks it (either
// backend through GORM, which translates the driver's error since the
// store opens it with TranslateError).
func isDuplicateKey(err error) bool {
	var pe *pgconn.PgError
	return errors.Is(err, gorm.ErrDuplicatedKey) || errors.As(err, &pe) && pe.Code == pgUniqueViolation
}

// PostgreSQL error codes (SQLSTATE) the store acts on.
const (
	pgUniqueViolation  = "23505"
	pgLockNotAvailable = "55P03"
)

// Close drops what the load left behind (nothing after a successful Merge).
func (l *Loader) Close() error { return l.impl.close() }

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
// drops staging tables that no live run owns (left by a crash or kill). It
// runs at every start (Migrate) and before every import.
//
// On PostgreSQL a live import holds its run's advisory lock (HoldRun), so a
// staging table whose run lock is free belongs to a dead process, on any
// instance: it is dropped at once and its run marked interrupted, without
// waiting for the heartbeat to go stale. On SQLite the run's state tells:
// staging tables of runs no longer running are dropped.
func (s *Store) CleanupImports(ctx context.Context) error {
	db := s.db.WithContext(ctx)
	cut := time.Now().UTC().Add(-StaleAfter)
	if err := db.Model(&ImportRun{}).Where("status = ? AND heartbeat_at < ?", ImportRunning, cut).
		Updates(map[string]any{"status": ImportInterrupted, "message": interruptedMessage}).Error; err != nil {
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
	dead := map[int64]bool{}
	for _, n := range names {
		var id int64
		if _, err := fmt.Sscanf(n, "stg_import_%d", &id); err != nil {
			continue
		}
		d, ok := dead[id]
		if !ok {
			var err error
			if d, err = s.runDead(ctx, id); err != nil {
				return err
			}
			dead[id] = d
		}
		if d {
			if err := db.Exec("DROP TABLE IF EXISTS " + n).Error; err != nil {
				return fmt.Errorf("store: unable to drop stale staging table %s: %w", n, err)
			}
		}
	}
	return nil
}

const interruptedMessage = "the importing process stopped (crash or kill); nothing of this file was kept"

// runDead reports whether run id's staging tables are abandoned, marking
// the run interrupted when PostgreSQL shows its process gone.
func (s *Store) runDead(ctx context.Context, id int64) (bool, error) {
	db := s.db.WithContext(ctx)
	if s.Backend != Postgres {
		var live int64
		if err := db.Model(&ImportRun{}).Where("id = ? AND status = ?", id, ImportRunning).Count(&live).Error; err != nil {
			return false, fmt.Errorf("store: unable to look up import run %d: %w", id, err)
		}
		return live == 0, nil
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return false, fmt.Errorf("store: unable to get a connection: %w", err)
	}
	defer conn.Release()
	var free bool
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock("+runLockKey+")", strconv.FormatInt(id, 10)).Scan(&free); err != nil {
		return false, fmt.Errorf("store: unable to test import run %d: %w", id, err)
	}
	if !free {
		return false, nil
	}
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_unlock("+runLockKey+")", strconv.FormatInt(id, 10)); err != nil {
		return false, fmt.Errorf("store: unable to unlock import run %d: %w", id, err)
	}
	if err := db.Model(&ImportRun{}).Where("id = ? AND status = ?", id, ImportRunning).
		Updates(map[string]any{"status": ImportInterrupted, "message": interruptedMessage}).Error; err != nil {
		return false, fmt.Errorf("store: unable to mark import run %d interrupted: %w", id, err)
	}
	return true, nil
}

// runLockKey is the SQL of the advisory lock a live import holds on its
// run, taking the run id (decimal text) as $1. Advisory locks are database-wide while run
// ids are per schema, so the key mixes in the schema: two deployments (or
// two test schemas) in one database must not see each other's runs alive.
const runLockKey = `hashtextextended('strikeline.run.' || current_schema() || '.' || $1, 0)`

// HoldRun marks import run id as alive in this process until release is
// called: on PostgreSQL, a session advisory lock held on a connection of
// its own, which CleanupImports on any instance tests before dropping the
// run's staging tables (the lock goes when the process or its connection
// dies). The connection is outside the pool, so imports at once cannot
// use up the connections their own loads need. On SQLite it does nothing;
// the run's heartbeat tells.
func (s *Store) HoldRun(ctx context.Context, id int64) (release func(), err error) {
	if s.Backend != Postgres {
		return func() {}, nil
	}
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, fmt.Errorf("store: unable to connect to hold import run %d: %w", id, err)
	}
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock("+runLockKey+")", strconv.FormatInt(id, 10)); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("store: unable to hold import run %d: %w", id, err)
	}
	return func() {
		// Ending the session ends its lock.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		conn.Close(cctx)
	}, nil
}
