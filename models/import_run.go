package models

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Import run statuses. A run whose heartbeat is older than StaleAfter while
// still "running" is reported as interrupted (its process died: nothing of
// it is visible, because a file lands in one transaction).
const (
	ImportRunning     = "running"
	ImportSucceeded   = "succeeded"
	ImportFailed      = "failed"
	ImportInterrupted = "interrupted"
)

// StaleAfter is how old a running import's heartbeat may be before the run
// counts as interrupted.
var StaleAfter = 2 * time.Minute

// RowError is one rejected row: where, which column, what value and why.
type RowError struct {
	Line   int64  `json:"line"`
	Column string `json:"column,omitempty"`
	Value  string `json:"value,omitempty"`
	Reason string `json:"reason"`
}

// ImportRun records one file import: what was read, what changed, what was
// rejected, by whom and how long it took. Progress is written to it while
// the import runs so any app instance can report on it.
type ImportRun struct {
	ID           int64      `json:"id"`
	FileName     string     `json:"file_name"`
	SHA256       string     `gorm:"column:sha256" json:"sha256"`
	Format       string     `json:"format"`
	Policy       string     `json:"policy"`
	Status       string     `json:"status"`
	Actor        string     `json:"actor"`
	BytesTotal   int64      `json:"bytes_total"`
	BytesRead    int64      `json:"bytes_read"`
	RowsRead     int64      `json:"rows_read"`
	RowsInserted int64      `json:"rows_inserted"`
	RowsUpdated  int64      `json:"rows_updated"`
	RowsDeleted  int64      `json:"rows_deleted"`
	RowsRejected int64      `json:"rows_rejected"`
	Revised      bool       `json:"revised"`
	Note         string     `json:"note,omitempty"`
	Message      string     `json:"message,omitempty"`
	ErrorsJSON   string     `gorm:"column:errors" json:"-"`
	Errors       []RowError `gorm:"-" json:"errors"`
	StartedAt    time.Time  `json:"started_at"`
	HeartbeatAt  time.Time  `json:"heartbeat_at"`
	FinishedAt   *time.Time `json:"finished_at,omitempty"`
	DurationMS   int64      `gorm:"column:duration_ms" json:"duration_ms"`
	// Target, DayFrom and DayTo say which table and days [from, to) a
	// successful run wrote (day numbers, see DayNumber).
	Target  string `gorm:"column:target" json:"-"`
	DayFrom *int64 `gorm:"column:day_from" json:"-"`
	DayTo   *int64 `gorm:"column:day_to" json:"-"`
	// CommitSeq orders successful runs of one table by when they
	// committed (assigned under the table's merge lock), which is not the
	// order they started in (their id).
	CommitSeq *int64 `gorm:"column:commit_seq" json:"-"`
}

// TableName names the table.
func (ImportRun) TableName() string { return "import_runs" }

// Progress is the fraction of the file read, 0..1 (0 when the size is unknown).
func (r *ImportRun) Progress() float64 {
	if r.Status == ImportSucceeded {
		return 1
	}
	if r.BytesTotal <= 0 {
		return 0
	}
	return min(1, float64(r.BytesRead)/float64(r.BytesTotal))
}

func (r *ImportRun) afterLoad(now time.Time) {
	r.Errors = nil
	if r.ErrorsJSON != "" {
		_ = json.Unmarshal([]byte(r.ErrorsJSON), &r.Errors)
	}
	if r.Errors == nil {
		r.Errors = []RowError{}
	}
	if r.Status == ImportRunning && now.Sub(r.HeartbeatAt) > StaleAfter {
		r.Status = ImportInterrupted
	}
}

// maxFileName is the file_name column's size, in characters.
const maxFileName = 500

// clipMiddle shortens s to at most n characters by cutting out its middle,
// keeping the start and the end (the extension, an archive member's name)
// whole characters at a time, so the result stays valid UTF-8.
func clipMiddle(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	tail := (n - 1) / 3
	return string(r[:n-1-tail]) + "…" + string(r[len(r)-tail:])
}

// CreateImportRun inserts a new running import record and sets r.ID. A
// file name longer than the column is shortened, not refused.
func (s *Store) CreateImportRun(ctx context.Context, r *ImportRun) error {
	now := time.Now().UTC()
	r.Status = ImportRunning
	r.StartedAt, r.HeartbeatAt = now, now
	r.FileName = clipMiddle(r.FileName, maxFileName)
	if err := s.db.WithContext(ctx).Omit("Errors").Create(r).Error; err != nil {
		return fmt.Errorf("store: unable to create import run: %w", err)
	}
	return nil
}

// ImportProgress writes a running import's counters and heartbeat.
func (s *Store) ImportProgress(ctx context.Context, id int64, bytesRead, rowsRead, rowsRejected int64) error {
	err := s.db.WithContext(ctx).Model(&ImportRun{}).Where("id = ? AND status = ?", id, ImportRunning).
		Updates(map[string]any{"bytes_read": bytesRead, "rows_read": rowsRead, "rows_rejected": rowsRejected, "heartbeat_at": time.Now().UTC()}).Error
	if err != nil {
		return fmt.Errorf("store: unable to record import progress: %w", err)
	}
	return nil
}

// MaxMessageBytes caps a run's message and note as stored: they are shown
// in pages and API answers, and may quote a file (its header).
const MaxMessageBytes = 2048

// cutText returns the longest prefix of s of at most n bytes that
// does not split a character.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// SafeText makes text from a file or an error safe to store and show:
// valid UTF-8 without NUL (PostgreSQL refuses both in text), cut to at most
// max bytes on a character boundary, an ellipsis marking the cut.
func SafeText(s string, max int) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", "\uFFFD"), "\uFFFD")
	if len(s) > max {
		s = cutText(s, max-len("…")) + "…"
	}
	return s
}

// finishValues are the columns a finished run writes.
func finishValues(r *ImportRun) map[string]any {
	r.Message, r.Note = SafeText(r.Message, MaxMessageBytes), SafeText(r.Note, MaxMessageBytes)
	now := time.Now().UTC()
	r.FinishedAt = &now
	r.DurationMS = now.Sub(r.StartedAt).Milliseconds()
	errs := r.Errors
	if errs == nil {
		errs = []RowError{}
	}
	b, _ := json.Marshal(errs)
	r.ErrorsJSON = string(b)
	v := map[string]any{
		"sha256": r.SHA256, "format": r.Format, "status": r.Status,
		"bytes_total": r.BytesTotal, "bytes_read": r.BytesRead,
		"rows_read": r.RowsRead, "rows_inserted": r.RowsInserted, "rows_updated": r.RowsUpdated,
		"rows_deleted": r.RowsDeleted, "rows_rejected": r.RowsRejected,
		"revised": r.Revised, "note": r.Note, "message": r.Message, "errors": r.ErrorsJSON,
		"heartbeat_at": now, "finished_at": now, "duration_ms": r.DurationMS,
		"target": r.Target, "day_from": r.DayFrom, "day_to": r.DayTo,
	}
	if r.Status == ImportSucceeded {
		// Written in the committing transaction, under the table's merge
		// lock: the next run of the table to commit sees this one.
		v["commit_seq"] = gorm.Expr("(SELECT COALESCE(MAX(commit_seq), 0) + 1 FROM import_runs)")
	}
	return v
}

// StillStored returns the latest successful import of a file with this
// SHA-256 and size whose figures are still the stored ones: it rejected no
// row, and no import that committed after it changed anything in its table
// and days. It returns nil when there is none. The answer can be stale by
// the time it is used: FinishUnchanged decides again under the merge lock.
func (s *Store) StillStored(ctx context.Context, sha string, size int64) (*ImportRun, error) {
	ctx = OnPrimary(ctx) // decides whether an import runs
	return stillStored(s.db.WithContext(ctx), sha, size)
}

func stillStored(db *gorm.DB, sha string, size int64) (*ImportRun, error) {
	var prev []ImportRun
	// "Latest" is by commit order: a run that started later may have
	// committed first.
	if err := db.Where("sha256 = ? AND bytes_total = ? AND status = ? AND rows_rejected = 0 AND day_from IS NOT NULL AND commit_seq IS NOT NULL", sha, size, ImportSucceeded).
		Order("commit_seq DESC").Limit(1).Find(&prev).Error; err != nil {
		return nil, fmt.Errorf("store: unable to look up earlier imports: %w", err)
	}
	if len(prev) == 0 {
		return nil, nil
	}
	p := prev[0]
	var later int64
	if err := db.Model(&ImportRun{}).Where(`commit_seq > ? AND status = ? AND target = ? AND day_from < ? AND day_to > ?
		AND rows_inserted + rows_updated + rows_deleted > 0`, *p.CommitSeq, ImportSucceeded, p.Target, *p.DayTo, *p.DayFrom).
		Count(&later).Error; err != nil {
		return nil, fmt.Errorf("store: unable to look up later imports: %w", err)
	}
	if later > 0 {
		return nil, nil
	}
	return &p, nil
}

// FinishUnchanged records run as succeeded without loading anything when
// the file it read (sha, and run.BytesRead bytes) is still stored, and
// returns the earlier run it matched; it returns nil when the file must be
// loaded. The decision and the record are made in one transaction holding
// the merge lock of the file's table (PostgreSQL's advisory lock; on
// SQLite the write lock every merge also takes), so no merge can commit
// between them and the run takes its place in commit order.
func (s *Store) FinishUnchanged(ctx context.Context, run *ImportRun, sha string) (*ImportRun, error) {
	cand, err := s.StillStored(ctx, sha, run.BytesRead)
	if err != nil || cand == nil {
		return nil, err
	}
	var prev *ImportRun
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if s.Backend == Postgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", loadLockKey(cand.Target)).Error; err != nil {
				return fmt.Errorf("store: unable to lock %s: %w", cand.Target, err)
			}
		}
		p, err := stillStored(tx, sha, run.BytesRead)
		if err != nil || p == nil {
			return err
		}
		prev = p
		run.Format, run.SHA256 = p.Format, sha
		run.Target, run.DayFrom, run.DayTo = p.Target, p.DayFrom, p.DayTo
		run.Status = ImportSucceeded
		run.Note = fmt.Sprintf("no change: the same file (SHA-256) as import %d, whose figures are still the stored ones; not loaded again", p.ID)
		if err := tx.Model(&ImportRun{}).Where("id = ?", run.ID).Updates(finishValues(run)).Error; err != nil {
			return fmt.Errorf("store: unable to finish import run: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return prev, nil
}

// HasImportOfSize reports whether a successful import read a file of this
// many bytes (a cheap test before hashing a file twice).
func (s *Store) HasImportOfSize(ctx context.Context, size int64) (bool, error) {
	ctx = OnPrimary(ctx) // decides whether an import runs
	var n int64
	err := s.db.WithContext(ctx).Model(&ImportRun{}).Where("bytes_total = ? AND status = ? AND day_from IS NOT NULL", size, ImportSucceeded).Limit(1).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("store: unable to look up earlier imports: %w", err)
	}
	return n > 0, nil
}

// FinishImportRun records a run's outcome (for failures; a successful load
// records its outcome inside the load transaction, see Load).
func (s *Store) FinishImportRun(ctx context.Context, r *ImportRun) error {
	if err := s.db.WithContext(ctx).Model(&ImportRun{}).Where("id = ?", r.ID).Updates(finishValues(r)).Error; err != nil {
		return fmt.Errorf("store: unable to finish import run: %w", err)
	}
	return nil
}

// GetImportRun returns one import run, or ErrNotFound.
func (s *Store) GetImportRun(ctx context.Context, id int64) (*ImportRun, error) {
	var rs []ImportRun
	if err := s.db.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&rs).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch import run: %w", err)
	}
	if len(rs) == 0 {
		return nil, ErrNotFound
	}
	rs[0].afterLoad(time.Now().UTC())
	return &rs[0], nil
}

// ImportRuns lists the latest import runs, newest first.
func (s *Store) ImportRuns(ctx context.Context, limit int) ([]ImportRun, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var rs []ImportRun
	if err := s.db.WithContext(ctx).Order("id DESC").Limit(limit).Find(&rs).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list import runs: %w", err)
	}
	now := time.Now().UTC()
	for i := range rs {
		rs[i].afterLoad(now)
	}
	return rs, nil
}
