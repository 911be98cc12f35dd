package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ErrNotFound is returned when a record does not exist (or is deleted).
var ErrNotFound = errors.New("not found")

// EventFilter selects events for lists and the timeline. Zero values mean
// "any".
type EventFilter struct {
	Kinds      []Kind
	From, To   *time.Time // overlap with [From, To]
	Union      string
	StaffGroup string
	DisputeID  *int64
	Query      string
	Limit      int // 0 means 100; capped at 1000
	Offset     int
	// Descending orders newest first; the default is oldest first.
	Descending     bool
	IncludeDeleted bool

	// Working lists the working copies, drafts included, for planners and
	// editors; otherwise lists read the published register only. Status
	// then narrows to draft (awaiting review: new drafts and pending
	// revisions), published or withdrawn.
	Working bool
	Status  string
	// AsOf reads the register as it was at that version (0: now);
	// WithWithdrawn includes withdrawn records (feeds and the calendar).
	AsOf          int
	WithWithdrawn bool
}

// CreateEvent validates and stores a new event with its sources and a
// "create" history entry, all in one transaction.
func (s *Store) CreateEvent(ctx context.Context, actor string, doc EventDoc) (*Event, error) {
	e, err := doc.ToEvent()
	if err != nil {
		return nil, err
	}
	e.CreatedBy, e.UpdatedBy, e.Version, e.PubState = actor, actor, 1, PubDraft
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return createEventTx(tx, actor, e)
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

func createEventTx(tx *gorm.DB, actor string, e *Event) error {
	if err := checkDispute(tx, e); err != nil {
		return err
	}
	if err := tx.Omit(clause.Associations).Create(e).Error; err != nil {
		return fmt.Errorf("store: unable to create event: %w", err)
	}
	if err := replaceSources(tx, e); err != nil {
		return err
	}
	return addHistory(tx, e, ActionCreate, actor, nil)
}

// GetEvent returns a live event with its sources.
func (s *Store) GetEvent(ctx context.Context, id int64) (*Event, error) {
	return getEvent(s.db.WithContext(ctx), id, false)
}

// GetEventAny returns an event even if it is soft-deleted.
func (s *Store) GetEventAny(ctx context.Context, id int64) (*Event, error) {
	return getEvent(s.db.WithContext(ctx), id, true)
}

func getEvent(db *gorm.DB, id int64, withDeleted bool) (*Event, error) {
	var e Event
	q := db.Preload("Sources", func(db *gorm.DB) *gorm.DB { return db.Order("position") })
	if withDeleted {
		q = q.Unscoped()
	}
	if err := q.First(&e, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("store: unable to fetch event %d: %w", id, err)
	}
	return &e, nil
}

// PatchEvent applies a JSON merge patch (RFC 7396: null clears a field) to a
// live event of the given kind ("" for any), validates the result as a whole
// and records the before and after documents.
func (s *Store) PatchEvent(ctx context.Context, actor string, id int64, kind Kind, patch []byte) (*Event, error) {
	return s.PatchEventIf(ctx, actor, id, kind, patch, Expect{})
}

// PatchEventIf is PatchEvent with the version the writer read: want.IfMatch
// from the header, and a "version" member of the patch as want.Version.
// An empty patch ({} or null, or only "version") changes nothing and makes
// no version.
func (s *Store) PatchEventIf(ctx context.Context, actor string, id int64, kind Kind, patch []byte, want Expect) (*Event, error) {
	var patchMap map[string]json.RawMessage
	if err := json.Unmarshal(patch, &patchMap); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if raw, ok := patchMap["version"]; ok {
		var v int
		if err := json.Unmarshal(raw, &v); err != nil || v < 1 {
			return nil, &ValidationError{Fields: map[string]string{"version": "must be the version you read, a whole number"}}
		}
		want.Version = v
		delete(patchMap, "version")
	}
	var out *Event
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := lockEvent(tx, s.Backend, id, false)
		if err != nil {
			return err
		}
		if kind != "" && cur.Kind != kind {
			return ErrNotFound
		}
		if err := want.check(cur.Version); err != nil {
			return err
		}
		if len(patchMap) == 0 {
			out = cur
			return nil
		}
		before := cur.Doc()
		merged, err := mergeDoc(before, patchMap)
		if err != nil {
			return err
		}
		doc, err := DecodeDoc(merged)
		if err != nil {
			return err
		}
		if doc.Kind != cur.Kind {
			return &ValidationError{Fields: map[string]string{"kind": "cannot be changed; delete and create instead"}}
		}
		out, err = replaceEventTx(tx, actor, cur, doc, ActionUpdate)
		return err
	})
	return out, err
}

// ReplaceEvent validates doc and stores it as the new version of id.
func (s *Store) ReplaceEvent(ctx context.Context, actor string, id int64, doc EventDoc) (*Event, error) {
	return s.ReplaceEventIf(ctx, actor, id, doc, Expect{})
}

// ReplaceEventIf is ReplaceEvent only if the record is still at the version
// the writer read (the edit form's hidden version).
func (s *Store) ReplaceEventIf(ctx context.Context, actor string, id int64, doc EventDoc, want Expect) (*Event, error) {
	return s.lockedWrite(ctx, id, false, want, func(tx *gorm.DB, cur *Event) (*Event, error) {
		if doc.Kind != cur.Kind {
			return nil, &ValidationError{Fields: map[string]string{"kind": "cannot be changed; delete and create instead"}}
		}
		return replaceEventTx(tx, actor, cur, doc, ActionUpdate)
	})
}

// lockedWrite runs fn in one transaction on record id, locked and checked
// against the version the writer read (want), so two writers of one
// version cannot both succeed; withDeleted also finds a deleted record.
func (s *Store) lockedWrite(ctx context.Context, id int64, withDeleted bool, want Expect, fn func(tx *gorm.DB, cur *Event) (*Event, error)) (*Event, error) {
	var out *Event
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := lockEvent(tx, s.Backend, id, withDeleted)
		if err != nil {
			return err
		}
		if err := want.check(cur.Version); err != nil {
			return err
		}
		out, err = fn(tx, cur)
		return err
	})
	return out, err
}

func replaceEventTx(tx *gorm.DB, actor string, cur *Event, doc EventDoc, action string) (*Event, error) {
	before := cur.Doc()
	next, err := doc.ToEvent()
	if err != nil {
		return nil, err
	}
	next.ID, next.SeedKey, next.ImportKey, next.CreatedAt, next.CreatedBy = cur.ID, cur.SeedKey, cur.ImportKey, cur.CreatedAt, cur.CreatedBy
	next.Version, next.UpdatedBy = cur.Version+1, actor
	if err := checkDispute(tx, next); err != nil {
		return nil, err
	}
	// Select("*") so that cleared fields (zero values) are written too.
	res := tx.Model(&Event{}).Unscoped().Where("id = ? AND version = ?", cur.ID, cur.Version).
		Select("*").Omit("id", "created_at", "created_by", "seed_key", "import_key", "deleted_at", "pub_state", "published_version", clause.Associations).Updates(next)
	if res.Error != nil {
		return nil, fmt.Errorf("store: unable to update event %d: %w", cur.ID, res.Error)
	}
	if res.RowsAffected != 1 {
		return nil, ErrConflict
	}
	if action == ActionRestore && cur.DeletedAt.Valid {
		if err := tx.Model(&Event{}).Unscoped().Where("id = ?", cur.ID).Update("deleted_at", nil).Error; err != nil {
			return nil, fmt.Errorf("store: unable to undelete event %d: %w", cur.ID, err)
		}
	}
	if err := replaceSources(tx, next); err != nil {
		return nil, err
	}
	if err := addHistory(tx, next, action, actor, &before); err != nil {
		return nil, err
	}
	return getEvent(tx, cur.ID, false)
}

// ErrConflict means the record changed under a concurrent writer.
var ErrConflict = errors.New("the record was changed by someone else; reload and try again")

// DeleteEvent soft-deletes a live draft and records it in history.
func (s *Store) DeleteEvent(ctx context.Context, actor string, id int64, kind Kind) error {
	return s.DeleteEventIf(ctx, actor, id, kind, Expect{})
}

// DeleteEventIf is DeleteEvent only at the version the writer read. A
// record the public has seen is never deleted (ErrPublished): an editor
// withdraws it.
func (s *Store) DeleteEventIf(ctx context.Context, actor string, id int64, kind Kind, want Expect) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cur, err := lockEvent(tx, s.Backend, id, false)
		if err != nil {
			return err
		}
		if kind != "" && cur.Kind != kind {
			return ErrNotFound
		}
		if err := want.check(cur.Version); err != nil {
			return err
		}
		if cur.PubState != PubDraft && cur.PubState != "" {
			return ErrPublished
		}
		before := cur.Doc()
		now := time.Now().UTC()
		res := tx.Model(&Event{}).Where("id = ? AND version = ?", id, cur.Version).
			Updates(map[string]any{"deleted_at": now, "version": cur.Version + 1, "updated_by": actor, "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("store: unable to delete event %d: %w", id, res.Error)
		}
		if res.RowsAffected != 1 {
			return ErrConflict
		}
		cur.Version++
		cur.DeletedAt = gorm.DeletedAt{Time: now, Valid: true}
		return addHistory(tx, cur, ActionDelete, actor, &before)
	})
}

// RestoreEvent makes the document recorded at version the current one (and
// undeletes the record if needed), as a new version.
func (s *Store) RestoreEvent(ctx context.Context, actor string, id int64, version int) (*Event, error) {
	return s.RestoreEventIf(ctx, actor, id, version, Expect{})
}

// RestoreEventIf is RestoreEvent only if the record is still at the
// version the writer read. On a published record the restored content is
// a pending revision, like any edit.
func (s *Store) RestoreEventIf(ctx context.Context, actor string, id int64, version int, want Expect) (*Event, error) {
	return s.lockedWrite(ctx, id, true, want, func(tx *gorm.DB, cur *Event) (*Event, error) {
		var h HistoryEntry
		if err := tx.Where("event_id = ? AND version = ?", id, version).First(&h).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return nil, ErrNotFound
			}
			return nil, fmt.Errorf("store: unable to read history: %w", err)
		}
		snap := h.After
		if h.Action == ActionDelete {
			// A delete's "after" is the deleted record: restoring it means
			// bringing back that content.
			snap = h.Before
		}
		doc, err := DecodeDoc([]byte(snap))
		if err != nil {
			return nil, fmt.Errorf("store: history snapshot %d/%d unreadable: %w", id, version, err)
		}
		return replaceEventTx(tx, actor, cur, doc, ActionRestore)
	})
}

// History returns every recorded change of an event, oldest first.
func (s *Store) History(ctx context.Context, id int64) ([]HistoryEntry, error) {
	var hs []HistoryEntry
	if err := s.db.WithContext(ctx).Where("event_id = ?", id).Order("version").Find(&hs).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read history of %d: %w", id, err)
	}
	// Every event has its creation in history, so an empty answer is
	// almost always an unknown id: only then look the event up.
	if len(hs) == 0 {
		if _, err := getEvent(s.db.WithContext(ctx), id, true); err != nil {
			return nil, err
		}
	}
	return hs, nil
}

// ListEvents returns one page of events matching f and the total count:
// the published register unless f.Working asks for the working copies.
func (s *Store) ListEvents(ctx context.Context, f EventFilter) ([]Event, int64, error) {
	if !f.Working {
		return s.listPublished(ctx, f)
	}
	var events []Event
	total, err := listPage(eventWhere(s.workingQuery(ctx, f), f, "id"), f, "id", func(q *gorm.DB) error {
		return q.Preload("Sources", func(db *gorm.DB) *gorm.DB { return db.Order("position") }).Find(&events).Error
	})
	if err != nil {
		return nil, 0, fmt.Errorf("store: unable to list events: %w", err)
	}
	return events, total, nil
}

// workingQuery selects the working copies f's status asks for.
func (s *Store) workingQuery(ctx context.Context, f EventFilter) *gorm.DB {
	q := s.db.WithContext(ctx).Model(&Event{})
	if f.IncludeDeleted {
		q = q.Unscoped()
	}
	switch f.Status {
	case PubDraft:
		// Everything awaiting an editor: new drafts and revisions of
		// published or withdrawn records.
		q = q.Where("pub_state = ? OR version > published_version", PubDraft)
	case PubPublished, PubWithdrawn:
		q = q.Where("pub_state = ?", f.Status)
	}
	return q
}

// listPage counts what q matches and finds one page of it in timeline
// order (idCol breaks ties).
func listPage(q *gorm.DB, f EventFilter, idCol string, find func(*gorm.DB) error) (int64, error) {
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return 0, err
	}
	return total, find(q.Order(timelineOrder(f, idCol)).Limit(listLimit(f.Limit)).Offset(max(f.Offset, 0)))
}

// listLimit applies the default (100) and the cap (1000) of a page size.
func listLimit(limit int) int {
	if limit <= 0 {
		return 100
	}
	return min(limit, 1000)
}

// eventWhere adds f's conditions to q; the events table and the
// publications table share the column names except the record id.
func eventWhere(q *gorm.DB, f EventFilter, idCol string) *gorm.DB {
	if len(f.Kinds) > 0 {
		q = q.Where("kind IN ?", f.Kinds)
	}
	if f.From != nil {
		q = q.Where("COALESCE(end_at, start_at) >= ?", *f.From)
	}
	if f.To != nil {
		q = q.Where("start_at <= ?", *f.To)
	}
	if f.Union != "" {
		// unions is a JSON list of strings; match the quoted element.
		q = q.Where("LOWER(unions) LIKE ? ESCAPE '\\'", `%"`+escapeLike(strings.ToLower(f.Union))+`"%`)
	}
	if f.StaffGroup != "" {
		q = q.Where("staff_group = ?", f.StaffGroup)
	}
	if f.DisputeID != nil {
		q = q.Where("dispute_id = ? OR "+idCol+" = ?", *f.DisputeID, *f.DisputeID)
	}
	if t := strings.TrimSpace(f.Query); t != "" {
		for _, word := range strings.Fields(strings.ToLower(t)) {
			like := "%" + escapeLike(word) + "%"
			q = q.Where("(LOWER(title) LIKE ? ESCAPE '\\' OR LOWER(summary) LIKE ? ESCAPE '\\' OR LOWER(notes) LIKE ? ESCAPE '\\' OR LOWER(unions) LIKE ? ESCAPE '\\')", like, like, like, like)
		}
	}
	return q
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func lockEvent(tx *gorm.DB, b Backend, id int64, withDeleted bool) (*Event, error) {
	q := tx
	if b == Postgres {
		// SQLite's immediate transactions already hold the write lock.
		q = q.Clauses(clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: "events"}})
	}
	var e Event
	if withDeleted {
		q = q.Unscoped()
	}
	if err := q.First(&e, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("store: unable to lock event %d: %w", id, err)
	}
	if err := tx.Where("event_id = ?", id).Order("position").Find(&e.Sources).Error; err != nil {
		return nil, fmt.Errorf("store: unable to load sources of %d: %w", id, err)
	}
	return &e, nil
}

func checkDispute(tx *gorm.DB, e *Event) error {
	if e.DisputeID == nil {
		return nil
	}
	var kind string
	err := tx.Model(&Event{}).Select("kind").Where("id = ?", *e.DisputeID).Scan(&kind).Error
	if err != nil {
		return fmt.Errorf("store: unable to check dispute: %w", err)
	}
	if kind != string(KindDispute) {
		return &ValidationError{Fields: map[string]string{"dispute_id": "must be the id of an existing dispute"}}
	}
	return nil
}

func replaceSources(tx *gorm.DB, e *Event) error {
	if err := tx.Where("event_id = ?", e.ID).Delete(&Source{}).Error; err != nil {
		return fmt.Errorf("store: unable to replace sources: %w", err)
	}
	for i := range e.Sources {
		e.Sources[i].ID = 0
		e.Sources[i].EventID = e.ID
		e.Sources[i].Position = i
	}
	if len(e.Sources) == 0 {
		return nil
	}
	if err := tx.Create(&e.Sources).Error; err != nil {
		return fmt.Errorf("store: unable to save sources: %w", err)
	}
	return nil
}

func addHistory(tx *gorm.DB, e *Event, action, actor string, before *EventDoc) error {
	h := HistoryEntry{EventID: e.ID, Version: e.Version, Action: action, Actor: actor, At: time.Now().UTC()}
	after := e.Doc()
	// Snapshots hold the editable content only; bookkeeping fields would
	// make every diff noisy.
	b, err := json.Marshal(snapshot(after))
	if err != nil {
		return err
	}
	h.After = string(b)
	if before != nil {
		b, err := json.Marshal(snapshot(*before))
		if err != nil {
			return err
		}
		h.Before = string(b)
	}
	if err := tx.Create(&h).Error; err != nil {
		return fmt.Errorf("store: unable to record history: %w", err)
	}
	return nil
}

func snapshot(d EventDoc) EventDoc {
	d.ID, d.Version, d.CreatedAt, d.UpdatedAt, d.CreatedBy, d.UpdatedBy, d.IsSeed, d.Deleted = 0, 0, nil, nil, "", "", false, false
	return d
}

// mergeDoc applies an RFC 7396 merge patch to a document.
func mergeDoc(cur EventDoc, patch map[string]json.RawMessage) ([]byte, error) {
	b, err := json.Marshal(snapshot(cur))
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, v := range patch {
		if string(v) == "null" {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	return json.Marshal(m)
}
