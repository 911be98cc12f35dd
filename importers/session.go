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
	// Done marks the last report of a file, sent whatever its outcome.
	Done bool
	// PriorBytes is the size of the inputs imported before this one in the
	// same ImportInputs call: with their total it makes a progress bar over
	// every file.
	PriorBytes int64
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
	// OnProgress, if set, is called every few thousand rows, when the
	// merge begins and when the file's import ends (Progress.Done).
	OnProgress func(Progress)
	// BatchDelay slows loading down (tests of crash recovery only).
	BatchDelay time.Duration
	Logger     *slog.Logger
}

// Importer imports files into a store, each as one session (a run).
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

// ImportPaths imports every CSV found in paths (Expand), one run per CSV,
// in order (ImportInputs).
func (im *Importer) ImportPaths(ctx context.Context, paths []string, lim Limits) ([]*models.ImportRun, error) {
	inputs, closeAll, err := Expand(paths, lim)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	return im.ImportInputs(ctx, inputs)
}

// ImportInputs imports inputs in order, one run each: the command line's
// import. A file that is refused (its error wraps ErrImportFailed) does not
// stop the others, and the error returned then is a *FilesFailedError; any
// other error (the database, a cancellation before a run began) stops at
// once and is returned as it is. Every run made is returned.
func (im *Importer) ImportInputs(ctx context.Context, inputs []Input) ([]*models.ImportRun, error) {
	var runs []*models.ImportRun
	ff := &FilesFailedError{Total: len(inputs)}
	var prior int64
	for _, in := range inputs {
		run, err := im.importInput(ctx, in, nil, prior)
		prior += in.Size
		if run != nil {
			runs = append(runs, run)
		}
		if err != nil {
			if !errors.Is(err, ErrImportFailed) || run == nil {
				return runs, err
			}
			ff.Failed++
			if ff.First == nil {
				ff.First = err
			}
		}
		if ctx.Err() != nil {
			break
		}
	}
	if ff.Failed > 0 {
		return runs, ff
	}
	return runs, ctx.Err()
}

// FilesFailedError says how many files of an ImportInputs call were
// refused, with the first one's error (which wraps ErrImportFailed). Each
// file's own reason is in its run.
type FilesFailedError struct {
	Failed, Total int
	First         error
}

func (e *FilesFailedError) Error() string {
	return fmt.Sprintf("%d of %d files failed; the first: %v", e.Failed, e.Total, e.First)
}
func (e *FilesFailedError) Unwrap() error { return e.First }

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
	return im.importInput(ctx, in, run, 0)
}

// importInput is Import of an input that follows prior bytes of other
// inputs in the same ImportInputs call (Progress.PriorBytes).
func (im *Importer) importInput(ctx context.Context, in Input, run *models.ImportRun, prior int64) (*models.ImportRun, error) {
	if err := im.Store.CleanupImports(ctx); err != nil {
		return nil, err
	}
	if run == nil {
		var err error
		if run, err = im.NewRun(ctx, in); err != nil {
			return nil, err
		}
	}
	s := &session{im: im, in: in, run: run, start: time.Now(), prior: prior}
	err := s.load(ctx)
	if im.Opt.OnProgress != nil {
		p := s.progress(false)
		p.Done = true
		im.Opt.OnProgress(p)
	}
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
		"rejected", run.RowsRejected, "revised", run.Revised, "duration", time.Since(s.start).Round(time.Millisecond))
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

// session is the import of one input as one run, in the steps the package
// comment names: open the file and detect its format from the header
// (open), stage its rows through the store's loader while a heartbeat
// records progress (heartbeat, stage), then merge them in the one
// transaction that makes the file visible and records the run (merge). A
// reference file is read instead of staged (loadReference).
type session struct {
	im    *Importer
	in    Input
	run   *models.ImportRun
	start time.Time
	prior int64 // Progress.PriorBytes

	cr     *countingReader
	hashed bool // cr's digest taken, its goroutine ended
	res    *storeResolver
	rd     *Reader
	ld     stager

	// Read by the heartbeat while the parser counts.
	rowsRead, rejected atomic.Int64
}

// stager is what a session needs of the store's loader.
type stager interface {
	Write(ctx context.Context, rows [][]int64) error
	Merge(ctx context.Context, run *models.ImportRun, opt models.MergeOptions) error
	Close() error
}

// load runs the session's steps; a file whose figures are already stored
// is recorded as such without them.
func (s *session) load(ctx context.Context) error {
	if done, err := s.im.alreadyStored(ctx, s.in, s.run); done || err != nil {
		return err
	}
	// Held until the load ends: another instance's cleanup then leaves this
	// run's staging tables alone.
	release, err := s.im.Store.HoldRun(ctx, s.run.ID)
	if err != nil {
		return err
	}
	defer release()
	closeInput, err := s.open(ctx)
	if err != nil {
		return err
	}
	defer closeInput()
	if s.rd.Target().Table == "" { // a reference file: areas only (reference.go)
		return s.loadReference(ctx)
	}
	ld, err := s.im.Store.NewLoader(ctx, s.rd.Target(), s.run.ID)
	if err != nil {
		return err
	}
	s.ld = ld
	defer func() {
		if err := ld.Close(); err != nil {
			s.im.Opt.Logger.Warn("unable to drop staging table", "run", s.run.ID, "err", err)
		}
	}()
	stop := s.heartbeat(ctx)
	defer stop()
	if err := s.stage(ctx); err != nil {
		return err
	}
	return s.merge(ctx)
}

// open opens the input, counting and hashing what is read of it, and
// detects its format from the header. The function returned closes it.
func (s *session) open(ctx context.Context) (func(), error) {
	rc, err := s.in.Open()
	if err != nil {
		return nil, fileError{err}
	}
	s.cr = newCountingReader(rc)
	closeInput := func() {
		if !s.hashed {
			s.cr.SHA256() // ends the hashing goroutine
		}
		rc.Close()
	}
	s.res = &storeResolver{s: s.im.Store}
	if s.rd, err = NewReader(ctx, s.cr, s.im.Opt.Kind, s.res); err != nil {
		closeInput()
		return nil, fileError{err}
	}
	s.run.Format = string(s.rd.Format())
	return closeInput, nil
}

func (s *session) progress(merging bool) Progress {
	var read int64
	if s.cr != nil {
		read = s.cr.n.Load()
	}
	return Progress{RunID: s.run.ID, File: s.in.Name, BytesRead: read, BytesTotal: s.in.Size,
		RowsRead: s.rowsRead.Load(), RowsRejected: s.rejected.Load(), Elapsed: time.Since(s.start),
		Merging: merging, PriorBytes: s.prior}
}

// heartbeat writes the progress to import_runs every HeartbeatEvery, so
// any instance can report it, until the function returned is called.
func (s *session) heartbeat(ctx context.Context) (stop func()) {
	hbCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(s.im.Opt.HeartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-hbCtx.Done():
				return
			case <-t.C:
				p := s.progress(false)
				if err := s.im.Store.ImportProgress(hbCtx, s.run.ID, p.BytesRead, p.RowsRead, p.RowsRejected); err != nil && hbCtx.Err() == nil {
					s.im.Opt.Logger.Warn("unable to write import heartbeat", "run", s.run.ID, "err", err)
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}

// stage parses the whole input into the loader's staging. Under the reject
// policy a bad row refuses the file once it has been read to the end.
func (s *session) stage(ctx context.Context) error {
	b := newBatcher(ctx, s.ld, s.im.Opt.BatchRows, s.rd.Width(), s.im.Opt.BatchDelay)
	err := s.parse(ctx, b.row, b.keep)
	if werr := b.close(); werr != nil && err == nil {
		err = werr
	}
	s.finishReading()
	if err != nil {
		return err
	}
	if s.run.RowsRejected > 0 && s.im.Opt.Policy == PolicyReject {
		s.run.Message = fmt.Sprintf("%d bad rows; nothing was imported (policy %q: use %q to load the good rows)", s.run.RowsRejected, PolicyReject, PolicySkip)
		return errors.New(s.run.Message)
	}
	s.im.Opt.Logger.Debug("staged", "file", s.in.Name, "rows", s.run.RowsRead, "elapsed", time.Since(s.start).Round(time.Millisecond))
	return nil
}

// parse reads the input to its end. Each record is parsed into row(); a
// bad one is counted and kept for the record (up to MaxErrors), a good one
// handed to keep, if any. Under the reject policy a bad file is only
// validated from its first bad row on: nothing more is kept. It returns
// the first fatal error.
func (s *session) parse(ctx context.Context, row func() []int64, keep func([]int64)) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		r := row()
		err := s.rd.Next(r)
		if err == io.EOF {
			return nil
		}
		n := s.rowsRead.Add(1)
		var bad *BadRow
		if errors.As(err, &bad) {
			s.rejected.Add(1)
			if len(s.run.Errors) < s.im.Opt.MaxErrors {
				s.run.Errors = append(s.run.Errors, bad.RowError)
			}
			continue
		} else if err != nil {
			return err
		}
		if keep != nil && (s.rejected.Load() == 0 || s.im.Opt.Policy == PolicySkip) {
			keep(r)
		}
		if n%5000 == 0 && s.im.Opt.OnProgress != nil {
			s.im.Opt.OnProgress(s.progress(false))
		}
	}
}

// finishReading records in the run what was read of the input: rows,
// rejects, bytes and the file's SHA-256.
func (s *session) finishReading() {
	s.run.RowsRead, s.run.RowsRejected = s.rowsRead.Load(), s.rejected.Load()
	s.run.BytesRead = s.cr.n.Load()
	s.run.SHA256, s.hashed = s.cr.SHA256(), true
}

// merge makes the staged file visible in one transaction, with its
// rollups, and records the run.
func (s *session) merge(ctx context.Context) error {
	if s.im.Opt.OnProgress != nil {
		s.im.Opt.OnProgress(s.progress(true))
	}
	// Like the areas themselves, their months are recorded before the
	// figures; recording them again changes nothing.
	if err := s.im.Store.RecordAreaMonths(ctx, s.rd.Parents()); err != nil {
		return err
	}
	err := s.ld.Merge(ctx, s.run, models.MergeOptions{SkipBad: s.im.Opt.Policy == PolicySkip, MaxErrors: s.im.Opt.MaxErrors})
	var de *models.DuplicateError
	if errors.As(err, &de) {
		s.run.Errors = append(s.run.Errors, de.Rows...)
		s.run.RowsRejected += de.Count
		s.run.Message = de.Error() + "; nothing was imported"
	}
	return err
}

// batcher hands full batches of rows to a goroutine that writes them
// through the loader, so parsing the next batch overlaps writing this one.
// Written batches come back for reuse: a national month is 35 batches of
// 1.4 MB, and allocating each anew kept the garbage collector busy on the
// cores the parser and the database need.
type batcher struct {
	size, width int
	rows        [][]int64 // the batch being filled, its rows slices of buf
	buf         []int64
	full, spent chan batch
	err         chan error
}

type batch struct {
	rows [][]int64
	buf  []int64
}

func newBatcher(ctx context.Context, ld stager, size, width int, delay time.Duration) *batcher {
	b := &batcher{size: size, width: width, full: make(chan batch, 4), spent: make(chan batch, 5), err: make(chan error, 1)}
	go b.write(ctx, ld, delay)
	b.rows, b.buf = b.next()
	return b
}

// write writes every batch sent until the first error, then drains the rest.
func (b *batcher) write(ctx context.Context, ld stager, delay time.Duration) {
	var err error
	for bt := range b.full {
		if err == nil {
			err = ld.Write(ctx, bt.rows)
			if err == nil && delay > 0 {
				time.Sleep(delay)
			}
		}
		select {
		case b.spent <- batch{bt.rows[:0], bt.buf}:
		default:
		}
	}
	b.err <- err
}

// row is the space the next record is parsed into.
func (b *batcher) row() []int64 {
	n := len(b.rows)
	return b.buf[n*b.width : (n+1)*b.width]
}

// keep adds a row got from row to the batch, sending the batch when full.
func (b *batcher) keep(r []int64) {
	b.rows = append(b.rows, r)
	if len(b.rows) == b.size {
		b.send()
	}
}

func (b *batcher) send() {
	if len(b.rows) > 0 {
		b.full <- batch{b.rows, b.buf}
		b.rows, b.buf = b.next()
	}
}

func (b *batcher) next() ([][]int64, []int64) {
	select {
	case bt := <-b.spent:
		return bt.rows, bt.buf
	default:
	}
	return make([][]int64, 0, b.size), make([]int64, b.size*b.width)
}

// close sends the last batch, waits for the writer and returns its error.
func (b *batcher) close() error {
	b.send()
	close(b.full)
	return <-b.err
}
