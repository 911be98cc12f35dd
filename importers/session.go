package importers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/strikeline/strikeline/models"
)

// Policy says what to do with bad rows.
type Policy string

// The bad-row policies. Reject (the default) refuses the whole file when any
// row is bad, so figures are never silently incomplete; Skip loads the good
// rows and reports the bad ones.
const (
	PolicyReject Policy = "reject"
	PolicySkip   Policy = "skip"
)

// ParsePolicy accepts "", "reject" or "skip".
func ParsePolicy(s string) (Policy, error) {
	switch Policy(s) {
	case "", PolicyReject:
		return PolicyReject, nil
	case PolicySkip:
		return PolicySkip, nil
	}
	return "", fmt.Errorf("bad-row policy must be %q or %q, not %q", PolicyReject, PolicySkip, s)
}

// Progress is reported while a file is read.
type Progress struct {
	RunID                  int64
	File                   string
	BytesRead, BytesTotal  int64
	RowsRead, RowsRejected int64
	Elapsed                time.Duration
	Merging                bool
}

// Options configure an Importer.
type Options struct {
	// Kind restricts formats to KindGPAD or KindOC ("" accepts any).
	Kind   string
	Policy Policy
	// MaxErrors caps the bad rows kept in the record (the rest are counted).
	MaxErrors int
	Actor     string
	// BatchRows is the number of rows per COPY / insert batch.
	BatchRows int
	// HeartbeatEvery is how often progress is written to import_runs.
	HeartbeatEvery time.Duration
	// OnProgress, if set, is called every few thousand rows and at the end.
	OnProgress func(Progress)
	// BatchDelay slows loading down (tests of crash recovery only).
	BatchDelay time.Duration
	Logger     *slog.Logger
}

// Importer is a bulk-load session over a store.
type Importer struct {
	Store *models.Store
	Opt   Options
}

// ErrImportFailed is wrapped by every failed import.
var ErrImportFailed = errors.New("import failed")

// New returns an importer with defaults filled in.
func New(s *models.Store, opt Options) *Importer {
	if opt.Policy == "" {
		opt.Policy = PolicyReject
	}
	if opt.MaxErrors <= 0 {
		opt.MaxErrors = 100
	}
	if opt.BatchRows <= 0 {
		opt.BatchRows = 20000
	}
	if opt.HeartbeatEvery <= 0 {
		opt.HeartbeatEvery = time.Second
	}
	if opt.Actor == "" {
		opt.Actor = "cli"
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	return &Importer{Store: s, Opt: opt}
}

// ImportPaths imports every CSV found in paths, one run per CSV, in order.
// It carries on after a failed file and returns every run and the first
// error.
func (im *Importer) ImportPaths(ctx context.Context, paths []string, lim Limits) ([]*models.ImportRun, error) {
	inputs, closeAll, err := Expand(paths, lim)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	var runs []*models.ImportRun
	var first error
	for _, in := range inputs {
		run, err := im.Import(ctx, in, nil)
		if run != nil {
			runs = append(runs, run)
		}
		if err != nil && first == nil {
			first = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return runs, first
}

// NewRun creates the import record for in before it is imported (the web
// upload returns its id at once).
func (im *Importer) NewRun(ctx context.Context, in Input) (*models.ImportRun, error) {
	run := &models.ImportRun{FileName: in.Name, Policy: string(im.Opt.Policy), Actor: im.Opt.Actor, BytesTotal: in.Size}
	if err := im.Store.CreateImportRun(ctx, run); err != nil {
		return nil, err
	}
	return run, nil
}

// alreadyStored finishes run without loading anything when the same file
// (size and SHA-256) was imported before and its figures are still the
// stored ones. Each monthly GPAD edition re-issues some thirty months,
// most unchanged; recognising them costs a read of the file instead of a
// load and a comparison. It reports whether run was finished.
func (im *Importer) alreadyStored(ctx context.Context, in Input, run *models.ImportRun) (bool, error) {
	if in.Size <= 0 {
		return false, nil
	}
	if ok, err := im.Store.HasImportOfSize(ctx, in.Size); !ok || err != nil {
		return false, err
	}
	rc, err := in.Open()
	if err != nil {
		return false, err
	}
	h := sha256.New()
	n, err := io.Copy(h, rc)
	rc.Close()
	if err != nil {
		return false, err
	}
	sha := hex.EncodeToString(h.Sum(nil))
	prev, err := im.Store.StillStored(ctx, sha, n)
	if err != nil || prev == nil {
		return false, err
	}
	if im.Opt.Kind != "" && formatKind(Format(prev.Format)) != im.Opt.Kind {
		return false, nil // let the header check refuse it
	}
	// Decided again under the merge lock: another import of the table
	// may have committed since.
	run.BytesRead = n
	prev, err = im.Store.FinishUnchanged(ctx, run, sha)
	if err != nil || prev == nil {
		run.BytesRead = 0
		return false, err
	}
	return true, nil
}

// countingReader counts what passes through it and hashes it on a
// goroutine of its own: SHA-256 of a national month (82 MB) is a fifth of
// the parsing time, and the parser is what an import waits for.
type countingReader struct {
	r      io.Reader
	n      atomic.Int64
	chunks chan []byte
	free   chan []byte
	sum    chan string
}

func newCountingReader(r io.Reader) *countingReader {
	c := &countingReader{r: r, chunks: make(chan []byte, 4), free: make(chan []byte, 4), sum: make(chan string, 1)}
	go func() {
		h := sha256.New()
		for b := range c.chunks {
			h.Write(b)
			select {
			case c.free <- b[:0]:
			default:
			}
		}
		c.sum <- hex.EncodeToString(h.Sum(nil))
	}()
	return c
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		var b []byte
		select {
		case b = <-c.free:
		default:
		}
		c.chunks <- append(b, p[:n]...)
		c.n.Add(int64(n))
	}
	return n, err
}

// SHA256 stops hashing and returns the hex digest of what was read.
func (c *countingReader) SHA256() string {
	close(c.chunks)
	return <-c.sum
}

// storeResolver resolves ids through the store (the reader caches them).
// Areas already stored as the file describes them are answered from memory:
// re-importing a month then writes no area at all.
type storeResolver struct {
	s     *models.Store
	areas map[areaKey]models.Area
	// upserts counts the areas written (new or changed).
	upserts int
}

type areaKey struct {
	level int16
	code  string
}

func (r *storeResolver) AreaID(ctx context.Context, a models.Area) (int64, error) {
	if r.areas == nil {
		all, err := r.s.AllAreas(ctx)
		if err != nil {
			return 0, err
		}
		r.areas = make(map[areaKey]models.Area, len(all))
		for _, b := range all {
			r.areas[areaKey{b.Level, b.Code}] = b
		}
	}
	k := areaKey{a.Level, strings.TrimSpace(a.Code)}
	if b, ok := r.areas[k]; ok && b.Covers(a) {
		return b.ID, nil
	}
	id, err := r.s.UpsertArea(ctx, a)
	if err != nil {
		return 0, err
	}
	r.upserts++
	// The reader asks once per area and file; what the upsert merged is
	// not needed again.
	delete(r.areas, k)
	return id, nil
}
func (r *storeResolver) LabelID(ctx context.Context, kind, label string) (int64, error) {
	return r.s.LabelID(ctx, kind, label)
}

// Import loads one input as one run (creating the run unless given). The
// file lands whole or not at all. The returned run holds the outcome; the
// error wraps ErrImportFailed when the file was refused.
func (im *Importer) Import(ctx context.Context, in Input, run *models.ImportRun) (*models.ImportRun, error) {
	if err := im.Store.CleanupImports(ctx); err != nil {
		return nil, err
	}
	if run == nil {
		var err error
		if run, err = im.NewRun(ctx, in); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	err := im.load(ctx, in, run, start)
	if err != nil {
		run.Status = models.ImportFailed
		if run.Message == "" {
			run.Message = publicMessage(ctx, err)
			var fe fileError
			if !errors.As(err, &fe) {
				im.Opt.Logger.Error("import failed", "run", run.ID, "file", in.Name, "err", err)
			}
		}
		im.recordFailure(ctx, run)
		return run, fmt.Errorf("%w: %s: %w", ErrImportFailed, in.Name, err)
	}
	im.Opt.Logger.Info("imported", "file", in.Name, "format", run.Format, "rows", run.RowsRead,
		"inserted", run.RowsInserted, "updated", run.RowsUpdated, "deleted", run.RowsDeleted,
		"rejected", run.RowsRejected, "revised", run.Revised, "duration", time.Since(start).Round(time.Millisecond))
	return run, nil
}

// fileError is an error that describes the input file (its header, its
// encoding, reading it), which the run's message may quote; any other
// error is the server's, logged and summarised (publicMessage).
type fileError struct{ err error }

func (e fileError) Error() string { return e.err.Error() }
func (e fileError) Unwrap() error { return e.err }

// publicMessage is what a failed run tells its reader about err: the
// file's own problem as it is, a cancellation or database outage by name,
// and nothing of a server error's text (SQL, table names), which is
// logged instead.
func publicMessage(ctx context.Context, err error) string {
	var fe fileError
	switch {
	case errors.As(err, &fe):
		return fe.Error()
	case ctx.Err() != nil:
		return "the import was stopped (" + ctx.Err().Error() + "); nothing of this file was kept"
	}
	if why := models.UnavailableReason(err); why != "" {
		return "database unavailable (" + why + "); nothing of this file was kept: import it again when the database is back"
	}
	return "the import failed on a server error (details are in the server log); nothing of this file was kept"
}

// recordFailure writes a failed run's outcome, even when ctx was
// cancelled. While the database is unreachable it keeps trying for
// StaleAfter: a run that cannot be recorded would later be taken for a
// crashed process ("crash or kill") instead of saying what happened.
func (im *Importer) recordFailure(ctx context.Context, run *models.ImportRun) {
	bg := context.WithoutCancel(ctx)
	give := time.Now().Add(models.StaleAfter)
	for wait := 250 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
		fctx, cancel := context.WithTimeout(bg, 10*time.Second)
		err := im.Store.FinishImportRun(fctx, run)
		// A write that did not finish in time may come back as the
		// server's "statement cancelled" rather than as the deadline.
		slow := fctx.Err() != nil
		cancel()
		if err == nil {
			return
		}
		if !(slow || models.IsUnavailable(err)) || time.Now().After(give) {
			im.Opt.Logger.Error("unable to record failed import", "run", run.ID, "err", err)
			return
		}
		time.Sleep(wait)
	}
}

func (im *Importer) load(ctx context.Context, in Input, run *models.ImportRun, start time.Time) error {
	if done, err := im.alreadyStored(ctx, in, run); done || err != nil {
		return err
	}
	// Held until the load ends: another instance's cleanup then leaves this
	// run's staging tables alone.
	release, err := im.Store.HoldRun(ctx, run.ID)
	if err != nil {
		return err
	}
	defer release()
	rc, err := in.Open()
	if err != nil {
		return fileError{err}
	}
	defer rc.Close()
	cr := newCountingReader(rc)
	hashed := false
	defer func() {
		if !hashed {
			cr.SHA256() // ends the hashing goroutine
		}
	}()
	res := &storeResolver{s: im.Store}
	rd, err := NewReader(ctx, cr, im.Opt.Kind, res)
	if err != nil {
		return fileError{err}
	}
	run.Format = string(rd.Format())
	if rd.Target().Table == "" { // a reference file: areas only (reference.go)
		return im.loadReference(ctx, rd, res, run, func() string { hashed = true; return cr.SHA256() }, func() int64 { return cr.n.Load() })
	}
	ld, err := im.Store.NewLoader(ctx, rd.Target(), run.ID)
	if err != nil {
		return err
	}
	defer func() {
		if err := ld.Close(); err != nil {
			im.Opt.Logger.Warn("unable to drop staging table", "run", run.ID, "err", err)
		}
	}()

	var rowsRead, rejected atomic.Int64
	progress := func(merging bool) Progress {
		return Progress{RunID: run.ID, File: in.Name, BytesRead: cr.n.Load(), BytesTotal: in.Size,
			RowsRead: rowsRead.Load(), RowsRejected: rejected.Load(), Elapsed: time.Since(start), Merging: merging}
	}
	// Heartbeat: progress lives in import_runs so any instance can report it.
	hbCtx, stopHB := context.WithCancel(ctx)
	hbDone := make(chan struct{})
	go func() {
		defer close(hbDone)
		t := time.NewTicker(im.Opt.HeartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-hbCtx.Done():
				return
			case <-t.C:
				p := progress(false)
				if err := im.Store.ImportProgress(hbCtx, run.ID, p.BytesRead, p.RowsRead, p.RowsRejected); err != nil && hbCtx.Err() == nil {
					im.Opt.Logger.Warn("unable to write import heartbeat", "run", run.ID, "err", err)
				}
			}
		}
	}()
	defer func() { stopHB(); <-hbDone }()

	// Loader goroutine: parsing the next batch overlaps writing this one.
	width := rd.Width()
	// Written batches come back through spent for reuse: a national month
	// is 35 batches of 1.4 MB, and allocating each anew kept the garbage
	// collector busy on the cores the parser and the database need.
	type batch struct {
		rows [][]int64
		buf  []int64
	}
	batches := make(chan batch, 4)
	spent := make(chan batch, 5)
	loadErr := make(chan error, 1)
	go func() {
		var err error
		for b := range batches {
			if err == nil {
				err = ld.Write(ctx, b.rows)
				if err == nil && im.Opt.BatchDelay > 0 {
					time.Sleep(im.Opt.BatchDelay)
				}
			}
			select {
			case spent <- batch{b.rows[:0], b.buf}:
			default:
			}
		}
		loadErr <- err
	}()
	newBatch := func() ([][]int64, []int64) {
		select {
		case b := <-spent:
			return b.rows, b.buf
		default:
		}
		return make([][]int64, 0, im.Opt.BatchRows), make([]int64, im.Opt.BatchRows*width)
	}
	rows, buf := newBatch()
	send := func() {
		if len(rows) > 0 {
			batches <- batch{rows, buf}
			rows, buf = newBatch()
		}
	}
	var fatal error
	for {
		if ctx.Err() != nil {
			fatal = ctx.Err()
			break
		}
		row := buf[len(rows)*width : (len(rows)+1)*width]
		err := rd.Next(row)
		if err == io.EOF {
			break
		}
		n := rowsRead.Add(1)
		var bad *BadRow
		if errors.As(err, &bad) {
			rejected.Add(1)
			if len(run.Errors) < im.Opt.MaxErrors {
				run.Errors = append(run.Errors, bad.RowError)
			}
			continue
		} else if err != nil {
			fatal = err
			break
		}
		// Under the reject policy a bad file is only validated from its
		// first bad row on: nothing more is staged.
		if rejected.Load() == 0 || im.Opt.Policy == PolicySkip {
			rows = append(rows, row)
			if len(rows) == im.Opt.BatchRows {
				send()
			}
		}
		if n%5000 == 0 && im.Opt.OnProgress != nil {
			im.Opt.OnProgress(progress(false))
		}
	}
	send()
	close(batches)
	if err := <-loadErr; err != nil && fatal == nil {
		fatal = err
	}
	run.RowsRead, run.RowsRejected = rowsRead.Load(), rejected.Load()
	run.BytesRead = cr.n.Load()
	run.SHA256, hashed = cr.SHA256(), true
	if fatal != nil {
		return fatal
	}
	if run.RowsRejected > 0 && im.Opt.Policy == PolicyReject {
		run.Message = fmt.Sprintf("%d bad rows; nothing was imported (policy %q: use %q to load the good rows)", run.RowsRejected, PolicyReject, PolicySkip)
		return errors.New(run.Message)
	}
	im.Opt.Logger.Debug("staged", "file", in.Name, "rows", run.RowsRead, "elapsed", time.Since(start).Round(time.Millisecond))
	if im.Opt.OnProgress != nil {
		im.Opt.OnProgress(progress(true))
	}
	// Like the areas themselves, their months are recorded before the
	// figures; recording them again changes nothing.
	if err := im.Store.RecordAreaMonths(ctx, rd.Parents()); err != nil {
		return err
	}
	err = ld.Merge(ctx, run, models.MergeOptions{SkipBad: im.Opt.Policy == PolicySkip, MaxErrors: im.Opt.MaxErrors})
	var de *models.DuplicateError
	if errors.As(err, &de) {
		run.Errors = append(run.Errors, de.Rows...)
		run.RowsRejected += de.Count
		run.Message = de.Error() + "; nothing was imported"
	}
	return err
}
