package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"
)

// ImportRow is one record of a bulk event import, already parsed from its
// file. The store finds the record it stands for (by Key, else by kind,
// title and start), asks Apply for the new document and writes the
// difference.
type ImportRow struct {
	Line int
	// Key is the file's stable key for the record; empty means match on
	// kind, title and start.
	Key string
	// DisputeKey names the parent dispute by key: a dispute in the same
	// file or one already in the database. Empty leaves Apply's dispute_id.
	DisputeKey string
	// Apply fills the document. base is the matched record's current
	// document (zero for a new record), so fields the file has no column
	// for keep their stored values. A *ValidationError lists bad fields.
	Apply func(base EventDoc) (EventDoc, error)
}

// ImportOptions control a bulk event import.
type ImportOptions struct {
	Actor string
	// DryRun works out every outcome and writes nothing.
	DryRun bool
	// SkipBad writes the good rows when some are bad; the default rejects
	// the whole file and writes nothing.
	SkipBad bool
	// Publish publishes the records the import adds, as one register
	// version (an editor's choice; by default they are drafts for review).
	// Changed records stay pending revisions either way: a change to a
	// published fact needs an editor's correction note.
	Publish bool
}

// Import outcomes of a row.
const (
	ImportAdded     = "added"
	ImportChanged   = "changed"
	ImportUnchanged = "unchanged"
	ImportBad       = "bad"
)

// ImportProblem is one reason a row was refused: the document field (as in
// the JSON API, e.g. "sources[0].url") and what is wrong with it.
type ImportProblem struct {
	Field  string
	Reason string
}

// ImportRowResult is what happened, or in a dry run would happen, to a row.
type ImportRowResult struct {
	Line    int
	Outcome string
	EventID int64 // the matched or created record; 0 for a dry-run add or a bad row
	Kind    Kind
	Title   string
	// Fields lists the document fields that changed (outcome "changed").
	Fields   []string
	Note     string
	Problems []ImportProblem
}

// ImportResult sums up an import.
type ImportResult struct {
	Rows                           []ImportRowResult
	Added, Changed, Unchanged, Bad int
	// Written is true when the changes were committed.
	Written bool
}

// ErrImportRejected means the file had bad rows and the policy was to
// reject it: nothing was written. The result lists the rows.
var ErrImportRejected = errors.New("import rejected: the file has bad rows, so nothing was written")

var errRollback = errors.New("rollback")

// ImportEvents writes rows in one transaction: new records are created, a
// matched record is replaced only if its document differs, and an
// identical one is left alone, so importing the same file twice changes
// nothing the second time. Disputes are handled first so that records in
// the same file can name them by key. With bad rows and no SkipBad, or in a
// dry run, the transaction is rolled back. Concurrent imports are
// serialised, so two at once store what one after the other would.
func (s *Store) ImportEvents(ctx context.Context, rows []ImportRow, opts ImportOptions) (*ImportResult, error) {
	res := &ImportResult{}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		*res = ImportResult{}
		if s.Backend == Postgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(4242114)").Error; err != nil {
				return fmt.Errorf("import: unable to lock: %w", err)
			}
		}
		im := &eventImport{tx: tx, b: s.Backend, opts: opts, keyed: map[string]*Event{}, claimed: map[int64]int{}, fileKeys: map[string]int{}}
		for pass := 0; pass < 2; pass++ {
			for i := range rows {
				r := &rows[i]
				probe, err := r.Apply(EventDoc{})
				isDispute := err == nil && probe.Kind == KindDispute
				if (pass == 0) != isDispute {
					continue
				}
				out, err := im.row(r)
				if err != nil {
					return err
				}
				res.Rows = append(res.Rows, out)
			}
		}
		sort.Slice(res.Rows, func(i, j int) bool { return res.Rows[i].Line < res.Rows[j].Line })
		for _, r := range res.Rows {
			switch r.Outcome {
			case ImportAdded:
				res.Added++
			case ImportChanged:
				res.Changed++
			case ImportUnchanged:
				res.Unchanged++
			case ImportBad:
				res.Bad++
			}
		}
		if opts.DryRun || (res.Bad > 0 && !opts.SkipBad) {
			return errRollback
		}
		if opts.Publish {
			return publishNewTx(tx, s.Backend, opts.Actor, "bulk import", im.added)
		}
		return nil
	})
	switch {
	case errors.Is(err, errRollback):
		// Rolled back: the ids given to new records no longer exist.
		for i := range res.Rows {
			if res.Rows[i].Outcome == ImportAdded {
				res.Rows[i].EventID = 0
			}
		}
		if res.Bad > 0 && !opts.SkipBad {
			return res, ErrImportRejected
		}
		return res, nil
	case err != nil:
		return nil, err
	}
	res.Written = true
	return res, nil
}

type eventImport struct {
	tx   *gorm.DB
	b    Backend
	opts ImportOptions
	// keyed holds records of this file by key (created or matched), so a
	// later row can name a dispute created by an earlier one.
	keyed map[string]*Event
	// claimed maps record ids already matched by a row to that row's line.
	claimed  map[int64]int
	fileKeys map[string]int
	// added are the records this import created, in file order.
	added []*Event
}

func (im *eventImport) row(r *ImportRow) (ImportRowResult, error) {
	out := ImportRowResult{Line: r.Line}
	bad := func(field, reason string) (ImportRowResult, error) {
		out.Outcome = ImportBad
		out.Problems = append(out.Problems, ImportProblem{Field: field, Reason: reason})
		return out, nil
	}
	if r.Key != "" {
		if line, dup := im.fileKeys[r.Key]; dup {
			return bad("key", fmt.Sprintf("the same key as line %d", line))
		}
		im.fileKeys[r.Key] = r.Line
	}
	probe, err := r.Apply(EventDoc{})
	if err != nil {
		return im.badDoc(out, err)
	}
	out.Kind, out.Title = probe.Kind, strings.TrimSpace(probe.Title)
	cur, err := im.match(r.Key, probe)
	if err != nil {
		return out, err
	}
	if cur != nil {
		if line, dup := im.claimed[cur.ID]; dup {
			return bad("key", fmt.Sprintf("matches the same record as line %d", line))
		}
		im.claimed[cur.ID] = r.Line
		out.EventID = cur.ID
		if cur.DeletedAt.Valid {
			out.Outcome, out.Note = ImportUnchanged, "this record was deleted here; an import does not bring it back"
			return out, nil
		}
		if cur.Kind != probe.Kind {
			return bad("kind", fmt.Sprintf("the record with this key is a %s; the kind cannot change", cur.Kind))
		}
	}
	base := EventDoc{}
	if cur != nil {
		base = snapshot(cur.Doc())
	}
	doc, err := r.Apply(base)
	if err != nil {
		return im.badDoc(out, err)
	}
	if r.DisputeKey != "" {
		d, err := im.dispute(r.DisputeKey)
		if err != nil {
			return out, err
		}
		if d == nil {
			return bad("dispute_key", "no dispute with this key in the file or the database")
		}
		doc.DisputeID = &d.ID
	}
	next, err := doc.ToEvent()
	if err != nil {
		return im.badDoc(out, err)
	}
	if err := checkDispute(im.tx, next); err != nil {
		return im.badDoc(out, err)
	}
	if cur == nil {
		next.CreatedBy, next.UpdatedBy, next.Version = im.opts.Actor, im.opts.Actor, 1
		if r.Key != "" {
			key := r.Key
			next.ImportKey = &key
		}
		if err := createEventTx(im.tx, im.opts.Actor, next); err != nil {
			return out, fmt.Errorf("import: line %d: %w", r.Line, err)
		}
		if r.Key != "" {
			im.keyed[r.Key] = next
		}
		out.Outcome, out.EventID = ImportAdded, next.ID
		im.claimed[next.ID] = r.Line
		im.added = append(im.added, next)
		return out, nil
	}
	if r.Key != "" {
		im.keyed[r.Key] = cur
	}
	out.Fields = changedFields(snapshot(cur.Doc()), snapshot(next.Doc()))
	if len(out.Fields) == 0 {
		out.Outcome = ImportUnchanged
		return out, nil
	}
	if _, err := replaceEventTx(im.tx, im.opts.Actor, cur, doc, ActionUpdate); err != nil {
		var v *ValidationError
		if errors.As(err, &v) {
			return im.badDoc(out, err)
		}
		return out, fmt.Errorf("import: line %d: %w", r.Line, err)
	}
	out.Outcome = ImportChanged
	return out, nil
}

func (im *eventImport) badDoc(out ImportRowResult, err error) (ImportRowResult, error) {
	var v *ValidationError
	if !errors.As(err, &v) {
		return out, err
	}
	out.Outcome = ImportBad
	fields := make([]string, 0, len(v.Fields))
	for f := range v.Fields {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		out.Problems = append(out.Problems, ImportProblem{Field: f, Reason: v.Fields[f]})
	}
	return out, nil
}

// match finds the stored record a row stands for: by key (seed or import
// key, deleted records included), else by kind, title and start.
func (im *eventImport) match(key string, probe EventDoc) (*Event, error) {
	if key != "" {
		if e, ok := im.keyed[key]; ok {
			return e, nil
		}
		var ids []int64
		if err := im.tx.Model(&Event{}).Unscoped().Where("seed_key = ? OR import_key = ?", key, key).
			Order("id").Limit(1).Pluck("id", &ids).Error; err != nil {
			return nil, fmt.Errorf("import: unable to look up key: %w", err)
		}
		if len(ids) == 0 {
			return nil, nil
		}
		return lockEvent(im.tx, im.b, ids[0], true)
	}
	start, allDay, err := parseWhen(probe.Start)
	if err != nil {
		return nil, nil // ToEvent reports the bad start
	}
	var cands []Event
	if err := im.tx.Where("kind = ? AND title = ?", probe.Kind, strings.TrimSpace(probe.Title)).Order("id").Find(&cands).Error; err != nil {
		return nil, fmt.Errorf("import: unable to look up record: %w", err)
	}
	for _, c := range cands {
		if c.StartAt.Equal(start) && c.AllDay == allDay {
			return lockEvent(im.tx, im.b, c.ID, false)
		}
	}
	return nil, nil
}

// dispute resolves a dispute key from this file or the database.
func (im *eventImport) dispute(key string) (*Event, error) {
	if e, ok := im.keyed[key]; ok {
		if e.Kind != KindDispute {
			return nil, nil
		}
		return e, nil
	}
	var e Event
	err := im.tx.Where("kind = ? AND (seed_key = ? OR import_key = ?)", KindDispute, key, key).Order("id").Limit(1).Find(&e).Error
	if err != nil {
		return nil, fmt.Errorf("import: unable to look up dispute: %w", err)
	}
	if e.ID == 0 {
		return nil, nil
	}
	return &e, nil
}

// changedFields lists the top-level document fields that differ.
func changedFields(a, b EventDoc) []string {
	var ma, mb map[string]json.RawMessage
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	_ = json.Unmarshal(ja, &ma)
	_ = json.Unmarshal(jb, &mb)
	var out []string
	for k, v := range mb {
		if !sameJSON(v, ma[k]) {
			out = append(out, k)
		}
	}
	for k := range ma {
		if _, ok := mb[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// StableKeys returns the stable key (seed or import key) of each record in
// ids that has one, so a download can name a record's dispute by key.
func (s *Store) StableKeys(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Event
	err := s.db.WithContext(ctx).Unscoped().Select("id, seed_key, import_key").
		Where("id IN ? AND (seed_key IS NOT NULL OR import_key IS NOT NULL)", ids).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to read record keys: %w", err)
	}
	for i := range rows {
		out[rows[i].ID] = rows[i].StableKey()
	}
	return out, nil
}
