package models

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// On PostgreSQL every activity table (and the rollup) is partitioned by
// calendar month, one partition per month named <table>_mYYYYMM.
//
// An import builds each month its file touches as a standalone table,
// stg_import_<run>_YYYYMM, created with the month's CHECK constraint:
//
//  1. COPY the file's rows into it, no index to maintain;
//  2. carry over the stored rows of areas the file does not cover (a file
//     replaces the (area, month) pairs it holds, nothing else);
//  3. build the primary key in one sorted pass, which also finds
//     duplicate keys in the file;
//  4. compare with the stored month (inserted / changed / withdrawn rows);
//     a month with no difference is left alone;
//  5. key the month's rollup table, written from sums made while the rows
//     streamed (activity_rollup_pg.go).
//
// One short transaction then detaches and drops the old partitions,
// attaches the new ones (the CHECK constraint spares PostgreSQL a
// validation scan) and records the run. Readers see the old month or the
// new one, never a mixture, and a crash before that transaction leaves
// only stg_import_* tables for CleanupImports to drop.
//
// Why not a staging table merged with INSERT … ON CONFLICT: inserting 0.7 M
// rows a month into a keyed table row by row, then rebuilding the rollup
// from it, cost about five times the COPY itself.

// pgPart is one month being built.
type pgPart struct {
	ms, me  int64
	table   string // the new month's table, while it is being built
	rollup  string // its rollup table ("" when the target has none)
	old     string // the attached partition it replaces ("" for a new month)
	rows    int64  // rows copied from the file
	changed bool   // differs from the stored month (or the month is new)

	roll        *monthSums // rollup sums while the month streams
	rollupStale bool       // the sums do not cover the month: use SQL
}

// partitionName is the partition of table holding the month starting ms.
func partitionName(table string, ms int64) string {
	t := DayTime(ms)
	return fmt.Sprintf("%s_m%04d%02d", table, t.Year(), int(t.Month()))
}

// pgLoader builds a file's months as tables of their own and swaps them in.
type pgLoader struct {
	loadBase
	parts   map[int64]*pgPart // months being built, by first day
	cur     *pgPart           // the month being copied
	copy    *copyStream
	widths  []int
	vals    []int64
	regions map[int64]areaRegion // area id → region, for the rollup sums
}

func newPGLoader(b loadBase) *pgLoader {
	return &pgLoader{loadBase: b, parts: map[int64]*pgPart{}}
}

const rollupTable = "appt_rollup_daily"

var rollupKey = []string{"level", "area_id", "day", "status", "hcp", "mode", "lead"}

func (l *pgLoader) copyCols() []string {
	return append(append([]string{}, l.t.Cols...), "n", "line", "import_id")
}

// part returns the month table for day d, creating it on first use.
func (l *pgLoader) part(ctx context.Context, d int64) (*pgPart, error) {
	ms, me := monthBounds(d)
	if p, ok := l.parts[ms]; ok {
		return p, nil
	}
	p := &pgPart{ms: ms, me: me, table: fmt.Sprintf("%s_%s", l.stg, DayTime(ms).Format("200601"))}
	if err := createMonthTable(ctx, l.s, p.table, l.t.Table, l.t.Cols[1], ms, me); err != nil {
		return nil, err
	}
	l.parts[ms] = p
	return p, nil
}

// createMonthTable creates a standalone table shaped like parent, with the
// CHECK constraint that lets it be attached as the month's partition
// without a scan.
func createMonthTable(ctx context.Context, s *Store, name, parent, dayCol string, ms, me int64) error {
	q := fmt.Sprintf("CREATE TABLE %s (LIKE %s, CONSTRAINT %s_month CHECK (%s >= %d AND %s < %d))", name, parent, name, dayCol, ms, dayCol, me)
	if _, err := s.pool.Exec(ctx, q); err != nil {
		return fmt.Errorf("store: unable to create %s: %w", name, err)
	}
	return nil
}

// write streams a batch into the month tables. A file is ordered by
// date or holds one month, so one COPY per month stays open across batches;
// a row of another month ends it and opens (or reopens) that month's.
func (l *pgLoader) write(ctx context.Context, rows [][]int64) error {
	nk := len(l.t.Cols)
	if l.widths == nil {
		w, err := columnWidths(ctx, l.s.pool, l.t.Table, l.copyCols())
		if err != nil {
			return err
		}
		l.widths, l.vals = w, make([]int64, nk+3)
	}
	v := l.vals
	v[nk+2] = l.runID
	rows = l.byMonth(rows)
	for _, r := range rows {
		if p := l.cur; p == nil || r[1] < p.ms || r[1] >= p.me {
			if err := l.endCopy(ctx); err != nil {
				return err
			}
			p, err := l.part(ctx, r[1])
			if err != nil {
				return err
			}
			if l.copy, err = openCopy(ctx, l.s.pool, p.table, l.copyCols(), l.widths); err != nil {
				return err
			}
			l.cur = p
		}
		copy(v, r[:nk+2])
		if err := l.copy.row(v); err != nil {
			return fmt.Errorf("store: COPY into %s failed: %w", l.cur.table, err)
		}
		l.cur.rows++
		if l.t.Rollup {
			if err := l.addRollup(ctx, l.cur, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// byMonth returns the batch with its rows grouped by month (stable), so a
// file whose months are interleaved costs one COPY per month per batch,
// not one per row. An ordered file's batch is returned as it is.
func (l *pgLoader) byMonth(rows [][]int64) [][]int64 {
	ms, me := monthBounds(rows[0][1])
	mixed := false
	for _, r := range rows {
		if r[1] < ms || r[1] >= me {
			mixed = true
			break
		}
	}
	if !mixed {
		return rows
	}
	groups := map[int64][][]int64{}
	var order []int64
	for _, r := range rows {
		m, _ := monthBounds(r[1])
		if _, ok := groups[m]; !ok {
			order = append(order, m)
		}
		groups[m] = append(groups[m], r)
	}
	out := make([][]int64, 0, len(rows))
	for _, m := range order {
		out = append(out, groups[m]...)
	}
	return out
}

// endCopy finishes the open COPY, if any, and writes its month's rollup.
func (l *pgLoader) endCopy(ctx context.Context) error {
	cs, p := l.copy, l.cur
	l.copy, l.cur = nil, nil
	if cs == nil {
		return nil
	}
	if err := cs.finish(); err != nil {
		return fmt.Errorf("store: COPY into %s failed: %w", p.table, err)
	}
	return l.writeRollup(ctx, p)
}

// sortedParts returns the months in date order.
func (l *pgLoader) sortedParts() []*pgPart {
	ps := make([]*pgPart, 0, len(l.parts))
	for _, p := range l.parts {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].ms < ps[j].ms })
	return ps
}

// loadLockKey is the advisory lock serialising merges into one table, so
// two imports of the same month (from any instance) cannot both replace it.
func loadLockKey(table string) int64 {
	h := fnv.New64a()
	h.Write([]byte("strikeline.load." + table))
	return int64(h.Sum64())
}

func (l *pgLoader) merge(ctx context.Context, run *ImportRun, opt MergeOptions) error {
	if err := l.endCopy(ctx); err != nil {
		return err
	}
	t0 := time.Now()
	lap := func(step string) {
		slog.Debug("merge step", "step", step, "elapsed", time.Since(t0).Round(time.Millisecond))
	}
	lock, err := l.s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("store: unable to get a connection: %w", err)
	}
	defer lock.Release()
	key := loadLockKey(l.t.Table)
	if _, err := lock.Exec(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		return fmt.Errorf("store: unable to lock %s for the merge: %w", l.t.Table, err)
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, err := lock.Exec(uctx, "SELECT pg_advisory_unlock($1)", key); err != nil {
			// Closing the connection ends the session and its lock.
			lock.Conn().Close(uctx)
		}
	}()

	parts := l.sortedParts()
	keys := l.t.Cols
	kl := strings.Join(keys, ", ")
	db := l.s.db.WithContext(ctx)
	for _, p := range parts {
		if p.old, err = l.s.existingTable(ctx, partitionName(l.t.Table, p.ms)); err != nil {
			return err
		}
		if p.old == "" {
			continue
		}
		// Keep the stored rows of areas this file does not cover.
		scope := keys[0]
		q := fmt.Sprintf("INSERT INTO %s SELECT * FROM %s WHERE %s NOT IN (SELECT DISTINCT %s FROM %s)", p.table, p.old, scope, scope, p.table)
		res := db.Exec(q)
		if res.Error != nil {
			return fmt.Errorf("store: unable to carry over %s: %w", p.old, res.Error)
		}
		if res.RowsAffected > 0 {
			p.rollupStale = true
		}
	}
	lap("carry over")

	// Primary keys, each in one sorted pass.
	pkErr := make([]error, len(parts))
	for i, p := range parts {
		pkErr[i] = l.s.addPrimaryKey(ctx, p.table, keys)
	}
	lap("keys")
	// A key that fails to build means duplicate keys in the file: report
	// them all (every month), or drop the repeats and build again.
	var failed []*pgPart
	for i, p := range parts {
		if err := pkErr[i]; err != nil {
			if !isDuplicateKey(err) {
				return err
			}
			failed = append(failed, p)
		}
	}
	if len(failed) > 0 {
		de := &DuplicateError{}
		for _, p := range failed {
			if err := l.duplicates(ctx, p, de, opt); err != nil {
				return err
			}
		}
		if !opt.SkipBad {
			return de
		}
		run.Errors = append(run.Errors, de.Rows...)
		run.RowsRejected += de.Count
		for _, p := range failed {
			if err := l.s.addPrimaryKey(ctx, p.table, keys); err != nil {
				return err
			}
			p.rollupStale = true // the sums counted the repeats too
		}
	}
	lap("primary keys")

	// What changed, month by month.
	months := make([]monthChange, len(parts))
	for i, p := range parts {
		m := &months[i]
		m.ms, m.me = p.ms, p.me
		if p.old == "" {
			m.inserted = p.rows
			p.changed = true
			continue
		}
		q := fmt.Sprintf(`SELECT COUNT(*) FILTER (WHERE o.n IS NULL) AS inserted,
				COUNT(*) FILTER (WHERE o.n <> s.n) AS updated,
				COUNT(*) FILTER (WHERE s.n IS NULL) AS deleted
			FROM %s s FULL JOIN %s o USING (%s)`, p.table, p.old, kl)
		var c struct{ Inserted, Updated, Deleted int64 }
		if err := db.Raw(q).Scan(&c).Error; err != nil {
			return fmt.Errorf("store: unable to compare with %s: %w", p.old, err)
		}
		m.inserted, m.updated, m.deleted = c.Inserted, c.Updated, c.Deleted
		p.changed = m.changed()
	}
	lap("compare")

	if l.t.Rollup {
		for _, p := range parts {
			if !p.changed {
				continue
			}
			if p.rollupStale || p.rollup == "" {
				if err := l.buildRollup(ctx, p); err != nil {
					return err
				}
			}
			if err := l.s.addPrimaryKey(ctx, p.rollup, rollupKey); err != nil {
				return fmt.Errorf("store: rollup key of %s: %w", p.table, err)
			}
		}
	}
	lap("rollup")

	// Detaching a replaced month waits for every query reading the table;
	// while it waits, new readers queue behind it. So it waits at most a
	// few seconds and tries again, rather than stall the site behind a
	// long report.
	for attempt := 1; ; attempt++ {
		err = db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec(fmt.Sprintf("SET LOCAL lock_timeout = '%dms'", swapLockWait.Milliseconds())).Error; err != nil {
				return err
			}
			for _, p := range parts {
				if !p.changed {
					continue
				}
				if err := swapIn(tx, l.t.Table, p.table, p.old, p.ms, p.me); err != nil {
					return err
				}
				if p.rollup != "" {
					oldRoll, err := l.s.existingTable(ctx, partitionName(rollupTable, p.ms))
					if err != nil {
						return err
					}
					if err := swapIn(tx, rollupTable, p.rollup, oldRoll, p.ms, p.me); err != nil {
						return err
					}
				}
			}
			return finishRun(tx, l.t, run, months)
		})
		var pe *pgconn.PgError
		if err == nil || !errors.As(err, &pe) || pe.Code != pgLockNotAvailable || attempt == swapAttempts {
			break
		}
		slog.Info("import waits for readers of the table", "table", l.t.Table, "attempt", attempt)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt) * time.Second):
		}
	}
	if err != nil {
		return err
	}
	for _, p := range parts {
		if p.changed { // renamed into place: nothing left for Close to drop
			p.table, p.rollup = "", ""
		}
	}
	lap("swap")
	return nil
}

// How long the swap waits for a lock before it lets readers through and
// tries again, and how many times.
var (
	swapLockWait = 3 * time.Second
	swapAttempts = 20
)

// swapIn makes table the partition of parent for [ms, me), replacing old.
func swapIn(tx *gorm.DB, parent, table, old string, ms, me int64) error {
	name := partitionName(parent, ms)
	var stmts []string
	if old != "" {
		stmts = append(stmts, "ALTER TABLE "+parent+" DETACH PARTITION "+old, "DROP TABLE "+old)
	}
	stmts = append(stmts,
		"ALTER TABLE "+table+" RENAME TO "+name,
		"ALTER INDEX "+table+"_pkey RENAME TO "+name+"_pkey",
		"ALTER TABLE "+name+" RENAME CONSTRAINT "+table+"_month TO "+name+"_month",
		fmt.Sprintf("ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%d) TO (%d)", parent, name, ms, me),
	)
	if err := execAll(tx, stmts...); err != nil {
		return fmt.Errorf("store: unable to swap in %s: %w", name, err)
	}
	return nil
}

// existingTable returns name if such a table exists in the current schema.
func (s *Store) existingTable(ctx context.Context, name string) (string, error) {
	var got *string
	if err := s.pool.QueryRow(ctx, "SELECT to_regclass($1)::text", name).Scan(&got); err != nil {
		return "", fmt.Errorf("store: unable to look up %s: %w", name, err)
	}
	if got == nil {
		return "", nil
	}
	return name, nil
}

// addPrimaryKey builds table's primary key in one sorted pass, with room
// for the sort in memory: a unique index (which lets reads go on), then
// the constraint over it (a catalogue change).
func (s *Store) addPrimaryKey(ctx context.Context, table string, keys []string) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
			return err
		}
		// One helper process beside the leader: with the default two, three
		// processes shared two cores and the build took 10 % longer.
		if _, err := tx.Exec(ctx, "SET LOCAL max_parallel_maintenance_workers = 1"); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "CREATE UNIQUE INDEX "+table+"_pkey ON "+table+" ("+strings.Join(keys, ", ")+")")
		return err
	})
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, "ALTER TABLE "+table+" ADD CONSTRAINT "+table+"_pkey PRIMARY KEY USING INDEX "+table+"_pkey")
	return err
}

// duplicates adds p's rows that repeat an earlier row's key to de and, with
// opt.SkipBad, deletes them (the first row of each key stays).
func (l *pgLoader) duplicates(ctx context.Context, p *pgPart, de *DuplicateError, opt MergeOptions) error {
	keys := l.t.Cols
	match := make([]string, len(keys))
	for i, k := range keys {
		match[i] = "s." + k + " = g." + k
	}
	kl := strings.Join(keys, ", ")
	// Only this run's rows: carried-over rows have other runs' line numbers.
	g := fmt.Sprintf(`(SELECT %s, MIN(line) AS first FROM %s WHERE import_id = %d GROUP BY %s HAVING COUNT(*) > 1) g`, kl, p.table, l.runID, kl)
	on := strings.Join(match, " AND ") + fmt.Sprintf(" AND s.line <> g.first AND s.import_id = %d", l.runID)
	var dups []struct{ First, Line int64 }
	db := l.s.db.WithContext(ctx)
	if err := db.Raw(`SELECT g.first, s.line FROM ` + g + ` JOIN ` + p.table + ` s ON ` + on + ` ORDER BY s.line`).Scan(&dups).Error; err != nil {
		return fmt.Errorf("store: duplicate check failed: %w", err)
	}
	de.Count += int64(len(dups))
	for _, d := range dups {
		if len(de.Rows) >= opt.MaxErrors {
			break
		}
		de.Rows = append(de.Rows, RowError{Line: d.Line, Reason: fmt.Sprintf("duplicate natural key (first seen on line %d)", d.First)})
	}
	if !opt.SkipBad || len(dups) == 0 {
		return nil
	}
	res := db.Exec(`DELETE FROM ` + p.table + ` s USING ` + g + ` WHERE ` + on)
	if res.Error != nil {
		return fmt.Errorf("store: unable to drop duplicate rows: %w", res.Error)
	}
	p.rows -= res.RowsAffected
	return nil
}

// buildRollup builds the month's national and regional rollup table from
// its new sub-ICB table in SQL, for months whose sums from the stream do
// not cover every row (see activity_rollup_pg.go).
func (l *pgLoader) buildRollup(ctx context.Context, p *pgPart) error {
	if err := l.dropRollup(ctx, p); err != nil {
		return err
	}
	// Without statistics the planner takes the new table for empty and
	// walks its key row by row (seconds instead of a fifth of one).
	if _, err := l.s.pool.Exec(ctx, "ANALYZE "+p.table); err != nil {
		return fmt.Errorf("store: unable to analyse %s: %w", p.table, err)
	}
	p.rollup = p.table + "_rollup"
	if err := createMonthTable(ctx, l.s, p.rollup, rollupTable, "day", p.ms, p.me); err != nil {
		return err
	}
	q := `INSERT INTO ` + p.rollup + ` (level, area_id, day, status, hcp, mode, lead, n) ` + rollupSQL(p.table, "$1", "$2")
	err := pgx.BeginFunc(ctx, l.s.pool, func(tx pgx.Tx) error {
		// The month's aggregate (about 50,000 groups) fits in memory.
		if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '256MB'"); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, q, p.ms, p.me)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: rollup of %s failed: %w", p.table, err)
	}
	p.rollupStale = false
	return nil
}

// dropRollup discards p's rollup table, if built.
func (l *pgLoader) dropRollup(ctx context.Context, p *pgPart) error {
	if p.rollup == "" {
		return nil
	}
	if _, err := l.s.pool.Exec(ctx, "DROP TABLE "+p.rollup); err != nil {
		return fmt.Errorf("store: unable to drop %s: %w", p.rollup, err)
	}
	p.rollup = ""
	return nil
}

// close drops the month tables a failed or abandoned load left.
func (l *pgLoader) close() error {
	if l.copy != nil {
		l.copy.abort()
		l.copy, l.cur = nil, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, p := range l.parts {
		for _, t := range []string{p.table, p.rollup} {
			if t == "" {
				continue
			}
			if _, err := l.s.pool.Exec(ctx, "DROP TABLE IF EXISTS "+t); err != nil {
				return err
			}
		}
	}
	return nil
}
