package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"
)

// Editorial states of a record (Event.PubState). Planners write drafts and
// revisions; editors publish them or withdraw what was published. The
// public reads only the published register: the publications table, which
// keeps every version the public ever saw, so a citation of register
// version N can always be reproduced.
const (
	PubDraft     = "draft"
	PubPublished = "published"
	PubWithdrawn = "withdrawn"
)

// Errors of the editorial workflow; the API answers 409 or 412.
var (
	// ErrStale means an If-Match precondition named an older version.
	ErrStale = errors.New("the record has changed since the version in If-Match")
	// ErrNothingToPublish means the record has no unpublished change.
	ErrNothingToPublish = errors.New("nothing to publish: the current version is already published")
	// ErrNotPublished means only a published record can be withdrawn.
	ErrNotPublished = errors.New("only a published record can be withdrawn")
	// ErrPublished means a record the public has seen is withdrawn by an
	// editor, never deleted, so its permalink keeps explaining itself.
	ErrPublished = errors.New("this record has been published: an editor withdraws it rather than deleting it")
)

// Expect is the version a writer read: IfMatch from the If-Match header
// (a mismatch is ErrStale) and Version from the body (ErrConflict). Zero
// means not given. Both are checked inside the write transaction, after
// the row is locked.
type Expect struct{ IfMatch, Version int }

func (x Expect) check(cur int) error {
	if x.IfMatch != 0 && x.IfMatch != cur {
		return ErrStale
	}
	if x.Version != 0 && x.Version != cur {
		return ErrConflict
	}
	return nil
}

// Publication is one version of a record as published: a publish (state
// published, with a correction note unless it is the first or a minor
// one) or a withdrawal (state withdrawn, Note is the reason, Doc the last
// published document). A row is what the public sees from register
// version RegisterVersion until SupersededIn (nil: still current). The
// filter columns copy the document's so public lists filter in SQL.
type Publication struct {
	ID               int64      `json:"-"`
	EventID          int64      `json:"event_id"`
	EventVersion     int        `json:"event_version"`
	RegisterVersion  int        `json:"register_version"`
	SupersededIn     *int       `json:"superseded_in,omitempty"`
	State            string     `json:"state"`
	Minor            bool       `json:"minor,omitempty"`
	Note             string     `json:"note,omitempty"`
	Actor            string     `json:"-"`
	At               time.Time  `json:"at"`
	FirstPublishedAt time.Time  `json:"first_published_at"`
	Kind             Kind       `json:"kind"`
	Title            string     `json:"title"`
	Summary          string     `json:"-"`
	Notes            string     `json:"-"`
	Unions           []string   `gorm:"serializer:json;type:text" json:"-"`
	StaffGroup       string     `json:"-"`
	DisputeID        *int64     `json:"-"`
	StartAt          time.Time  `json:"-"`
	EndAt            *time.Time `json:"-"`
	Doc              string     `json:"-"`
}

// TableName names the table.
func (Publication) TableName() string { return "publications" }

// IsCorrection reports whether the publication carries a public correction
// note (a withdrawal's note is its reason).
func (p *Publication) IsCorrection() bool { return p.State == PubPublished && p.Note != "" }

// registerVersion is one step of the register: a publish or withdrawal
// (or, for the seed and the upgrade, many records at once).
type registerVersion struct {
	Version     int `gorm:"primaryKey;autoIncrement:false"`
	PublishedAt time.Time
	Actor       string
	EventID     *int64
	Action      string
	Note        string
}

func (registerVersion) TableName() string { return "register_versions" }

// Register is the citable state of the whole register.
type Register struct {
	Version     int        `json:"version"`
	PublishedAt *time.Time `json:"published_at"`
	// DataAsOf is the latest month of GP appointment data imported
	// ("2025-10"), empty before the first import.
	DataAsOf string `json:"data_as_of"`
}

// PubInfo is the editorial state of a record as the API shows it.
type PubInfo struct {
	Status           string     `json:"status"`
	PendingRevision  bool       `json:"pending_revision,omitempty"`
	PublishedVersion int        `json:"published_version,omitempty"`
	RegisterVersion  int        `json:"register_version,omitempty"`
	PublishedAt      *time.Time `json:"published_at,omitempty"`
}

// PubInfo returns e's editorial state: from the publication when e was
// read from the register, else from the working copy.
func (e *Event) PubInfo() PubInfo {
	if e.Pub != nil {
		at := e.Pub.At.UTC()
		return PubInfo{Status: e.Pub.State, PublishedVersion: e.Pub.EventVersion, RegisterVersion: e.Pub.RegisterVersion, PublishedAt: &at}
	}
	st := e.PubState
	if st == "" {
		st = PubDraft
	}
	return PubInfo{Status: st, PublishedVersion: e.PublishedVersion,
		PendingRevision: st != PubDraft && e.Version > e.PublishedVersion}
}

// PublishInput is an editor's publish request.
type PublishInput struct {
	Expect
	CorrectionNote string
	Minor          bool
}

// WithdrawInput is an editor's withdrawal.
type WithdrawInput struct {
	Expect
	Reason string
}

const maxNote = 2000

// cleanNote validates a correction note or reason: printable text (new
// lines allowed), at most maxNote characters.
func cleanNote(v *ValidationError, field, s string, required bool) string {
	// Browsers send a textarea's line breaks as CRLF; a bare CR is refused
	// below, since some calendar and feed parsers split lines on it.
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	switch {
	case s == "" && required:
		v.add(field, "is required")
	case len([]rune(s)) > maxNote:
		v.add(field, fmt.Sprintf("must be at most %d characters", maxNote))
	case strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }):
		v.add(field, "must not contain control characters")
	}
	return s
}

// Publish makes the record's current version the public one, as a new
// register version. A change to a published record's facts needs a public
// correction note, or Minor for a typo fix; publishing a withdrawn record
// again always needs a note.
func (s *Store) Publish(ctx context.Context, actor string, id int64, in PublishInput) (*Event, error) {
	v := &ValidationError{}
	note := cleanNote(v, "correction_note", in.CorrectionNote, false)
	if in.Minor && note != "" {
		v.add("minor", "cannot be combined with a correction note: a correction is not minor")
	}
	if err := v.orNil(); err != nil {
		return nil, err
	}
	return s.editorialTx(ctx, id, in.Expect, func(tx *gorm.DB, cur *Event, prev *Publication) error {
		if cur.PubState == PubPublished && cur.Version == cur.PublishedVersion {
			return ErrNothingToPublish
		}
		doc, err := json.Marshal(snapshot(cur.Doc()))
		if err != nil {
			return err
		}
		switch {
		case prev == nil:
			if note != "" {
				return &ValidationError{Fields: map[string]string{"correction_note": "applies only to a change of a published record"}}
			}
		case prev.State == PubWithdrawn:
			if note == "" {
				return &ValidationError{Fields: map[string]string{"correction_note": "is required to publish a withdrawn record again"}}
			}
		case note == "" && !in.Minor && !sameDoc(prev.Doc, string(doc)):
			return &ValidationError{Fields: map[string]string{"correction_note": "is required: this changes the published record's facts (send \"minor\": true for a typo fix)"}}
		}
		now := time.Now().UTC()
		if err := bumpEvent(tx, cur, PubPublished, actor, ActionPublish, now); err != nil {
			return err
		}
		reg, err := nextRegisterVersion(tx, s.Backend, now, actor, &cur.ID, ActionPublish, note)
		if err != nil {
			return err
		}
		p := publicationOf(cur, string(doc))
		p.RegisterVersion, p.State, p.Minor, p.Note, p.Actor, p.At, p.FirstPublishedAt = reg, PubPublished, in.Minor, note, actor, now, now
		if prev != nil {
			p.FirstPublishedAt = prev.FirstPublishedAt
		}
		return addPublication(tx, p)
	})
}

// editorialTx runs a publish or withdrawal of id in one transaction: the
// record locked and checked against the writer's version, fn given it and
// its current publication (nil if never published); it returns the record
// as fn left it.
func (s *Store) editorialTx(ctx context.Context, id int64, want Expect, fn func(tx *gorm.DB, cur *Event, prev *Publication) error) (*Event, error) {
	return s.lockedWrite(ctx, id, false, want, func(tx *gorm.DB, cur *Event) (*Event, error) {
		prev, err := currentPublication(tx, id)
		if err != nil {
			return nil, err
		}
		if err := fn(tx, cur, prev); err != nil {
			return nil, err
		}
		return getEvent(tx, id, false)
	})
}

// Withdraw takes a published record out of the public register with a
// public reason, as a new register version. Its permalink then answers
// 410 Gone with the reason and the last published title and dates.
func (s *Store) Withdraw(ctx context.Context, actor string, id int64, in WithdrawInput) (*Event, error) {
	v := &ValidationError{}
	reason := cleanNote(v, "reason", in.Reason, true)
	if err := v.orNil(); err != nil {
		return nil, err
	}
	return s.editorialTx(ctx, id, in.Expect, func(tx *gorm.DB, cur *Event, prev *Publication) error {
		if prev == nil || prev.State != PubPublished {
			return ErrNotPublished
		}
		now := time.Now().UTC()
		if err := bumpEvent(tx, cur, PubWithdrawn, actor, ActionWithdraw, now); err != nil {
			return err
		}
		reg, err := nextRegisterVersion(tx, s.Backend, now, actor, &cur.ID, ActionWithdraw, reason)
		if err != nil {
			return err
		}
		p := *prev
		p.ID, p.SupersededIn, p.EventVersion, p.RegisterVersion = 0, nil, cur.Version, reg
		p.State, p.Minor, p.Note, p.Actor, p.At = PubWithdrawn, false, reason, actor, now
		return addPublication(tx, &p)
	})
}

// bumpEvent records a state change as a new version of the record (so
// ETags change and history shows who published or withdrew it); cur
// becomes that version.
func bumpEvent(tx *gorm.DB, cur *Event, state, actor, action string, now time.Time) error {
	before := cur.Doc()
	next := cur.Version + 1
	res := tx.Model(&Event{}).Where("id = ? AND version = ?", cur.ID, cur.Version).
		Updates(map[string]any{"version": next, "pub_state": state, "published_version": next, "updated_at": now})
	if res.Error != nil {
		return fmt.Errorf("store: unable to %s event %d: %w", action, cur.ID, res.Error)
	}
	if res.RowsAffected != 1 {
		return ErrConflict
	}
	cur.Version, cur.PubState, cur.PublishedVersion, cur.UpdatedAt = next, state, next, now
	return addHistory(tx, cur, action, actor, &before)
}

// publishNewTx publishes freshly created records (the seed) together as
// one register version, their version 1 unchanged.
func publishNewTx(tx *gorm.DB, b Backend, actor, note string, events []*Event) error {
	if len(events) == 0 {
		return nil
	}
	now := time.Now().UTC()
	reg, err := nextRegisterVersion(tx, b, now, actor, nil, ActionPublish, note)
	if err != nil {
		return err
	}
	for _, e := range events {
		doc, err := json.Marshal(snapshot(e.Doc()))
		if err != nil {
			return err
		}
		if err := tx.Model(&Event{}).Where("id = ?", e.ID).
			Updates(map[string]any{"pub_state": PubPublished, "published_version": e.Version}).Error; err != nil {
			return fmt.Errorf("store: unable to publish event %d: %w", e.ID, err)
		}
		e.PubState, e.PublishedVersion = PubPublished, e.Version
		p := publicationOf(e, string(doc))
		p.RegisterVersion, p.State, p.Actor, p.At, p.FirstPublishedAt = reg, PubPublished, actor, now, now
		if err := addPublication(tx, p); err != nil {
			return err
		}
	}
	return nil
}

// publicationOf copies e's filter columns into a new publication of doc.
func publicationOf(e *Event, doc string) *Publication {
	return &Publication{EventID: e.ID, EventVersion: e.Version, Kind: e.Kind, Title: e.Title, Summary: e.Summary,
		Notes: e.Notes, Unions: e.Unions, StaffGroup: e.StaffGroup, DisputeID: e.DisputeID, StartAt: e.StartAt,
		EndAt: e.EndAt, Doc: doc}
}

// addPublication supersedes the record's current publication with p.
func addPublication(tx *gorm.DB, p *Publication) error {
	if err := tx.Model(&Publication{}).Where("event_id = ? AND superseded_in IS NULL", p.EventID).
		Update("superseded_in", p.RegisterVersion).Error; err != nil {
		return fmt.Errorf("store: unable to supersede publication of %d: %w", p.EventID, err)
	}
	if err := tx.Create(p).Error; err != nil {
		return fmt.Errorf("store: unable to record publication of %d: %w", p.EventID, err)
	}
	return nil
}

// nextRegisterVersion appends a register version. Publishing is rare, so
// one lock for the whole register keeps the numbers gap-free and in commit
// order (SQLite's immediate transactions already serialise writers).
func nextRegisterVersion(tx *gorm.DB, b Backend, at time.Time, actor string, eventID *int64, action, note string) (int, error) {
	if b == Postgres {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(4242011)").Error; err != nil {
			return 0, fmt.Errorf("store: unable to lock the register: %w", err)
		}
	}
	var last *int
	if err := tx.Model(&registerVersion{}).Select("MAX(version)").Scan(&last).Error; err != nil {
		return 0, fmt.Errorf("store: unable to read the register version: %w", err)
	}
	n := 1
	if last != nil {
		n = *last + 1
	}
	r := registerVersion{Version: n, PublishedAt: at, Actor: actor, EventID: eventID, Action: action, Note: note}
	if err := tx.Create(&r).Error; err != nil {
		return 0, fmt.Errorf("store: unable to record register version %d: %w", n, err)
	}
	return n, nil
}

func currentPublication(tx *gorm.DB, id int64) (*Publication, error) {
	var ps []Publication
	if err := tx.Where("event_id = ? AND superseded_in IS NULL", id).Limit(1).Find(&ps).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read publication of %d: %w", id, err)
	}
	if len(ps) == 0 {
		return nil, nil
	}
	return &ps[0], nil
}

// SnapshotJSON is the record's editable content as history and the
// register store it, for diffs against a published version.
func (e *Event) SnapshotJSON() string {
	b, err := json.Marshal(snapshot(e.Doc()))
	if err != nil {
		return ""
	}
	return string(b)
}

// sameDoc compares two snapshots by content, so a change in how a
// document is serialised never counts as a change of facts.
func sameDoc(a, b string) bool {
	var x, y map[string]any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// asOf limits q to the publications visible at register version n (0: now).
func asOf(q *gorm.DB, n int) *gorm.DB {
	if n <= 0 {
		return q.Where("superseded_in IS NULL")
	}
	return q.Where("register_version <= ? AND (superseded_in IS NULL OR superseded_in > ?)", n, n)
}

// publishedQuery selects the register's rows f's version asks for.
func (s *Store) publishedQuery(ctx context.Context, f EventFilter) *gorm.DB {
	q := asOf(s.db.WithContext(ctx).Model(&Publication{}), f.AsOf)
	if !f.WithWithdrawn {
		q = q.Where("state = ?", PubPublished)
	}
	return q
}

// listPublished is ListEvents over the register.
func (s *Store) listPublished(ctx context.Context, f EventFilter) ([]Event, int64, error) {
	q := publishedWhere(s.db.WithContext(ctx).Model(&Publication{}), f)
	var ps []Publication
	total, err := listPage(q, f, "event_id", func(q *gorm.DB) error { return q.Find(&ps).Error })
	if err != nil {
		return nil, 0, fmt.Errorf("store: unable to list published events: %w", err)
	}
	out := make([]Event, len(ps))
	for i := range ps {
		out[i] = *ps[i].event()
	}
	if err := fillKeys(s.db.WithContext(ctx), out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// fillKeys copies each record's seed and import keys from the working
// copies onto events read from the register. Keys are the record's stable
// identity, not published content, so downloads carry them whatever the
// version and imports match on them.
func fillKeys(db *gorm.DB, es []Event) error {
	if len(es) == 0 {
		return nil
	}
	ids := make([]int64, len(es))
	for i := range es {
		ids[i] = es[i].ID
	}
	type keys struct {
		ID        int64
		SeedKey   *string
		ImportKey *string
	}
	var ks []keys
	if err := db.Model(&Event{}).Unscoped().Where("id IN ?", ids).Select("id, seed_key, import_key").Scan(&ks).Error; err != nil {
		return fmt.Errorf("store: unable to read record keys: %w", err)
	}
	byID := make(map[int64]keys, len(ks))
	for _, k := range ks {
		byID[k.ID] = k
	}
	for i := range es {
		k := byID[es[i].ID]
		es[i].SeedKey, es[i].ImportKey = k.SeedKey, k.ImportKey
	}
	return nil
}

// GetPublished returns the record as the public sees it at register version
// asOf (0: now), withdrawn or not: e.Pub.State says which. ErrNotFound if
// it was not published then.
func (s *Store) GetPublished(ctx context.Context, id int64, asOfVersion int) (*Event, error) {
	var ps []Publication
	q := asOf(s.db.WithContext(ctx).Where("event_id = ?", id), asOfVersion)
	if err := q.Limit(1).Find(&ps).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read publication of %d: %w", id, err)
	}
	if len(ps) == 0 {
		return nil, ErrNotFound
	}
	es := []Event{*ps[0].event()}
	if err := fillKeys(s.db.WithContext(ctx), es); err != nil {
		return nil, err
	}
	return &es[0], nil
}

// Publications returns every published version of a record up to register
// version asOf (0: all), oldest first: its public history.
func (s *Store) Publications(ctx context.Context, id int64, asOfVersion int) ([]Publication, error) {
	q := s.db.WithContext(ctx).Where("event_id = ?", id)
	if asOfVersion > 0 {
		q = q.Where("register_version <= ?", asOfVersion)
	}
	var ps []Publication
	if err := q.Order("register_version").Find(&ps).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read publications of %d: %w", id, err)
	}
	return ps, nil
}

// Corrections returns the latest corrections and withdrawals, newest first.
func (s *Store) Corrections(ctx context.Context, limit int) ([]Publication, error) {
	var ps []Publication
	err := s.db.WithContext(ctx).Where("(state = ? AND note <> '') OR state = ?", PubPublished, PubWithdrawn).
		Order("register_version DESC").Limit(listLimit(limit)).Find(&ps).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to list corrections: %w", err)
	}
	return ps, nil
}

// Change is one publication since a register version, with the register
// version of the publication it replaced (0: the record was added).
type Change struct {
	Publication
	Previous      int `json:"previous_register_version,omitempty"`
	prevWithdrawn bool
}

// What names the change: added, corrected, revised (minor or unannotated),
// withdrawn or republished.
func (c Change) What() string {
	switch {
	case c.State == PubWithdrawn:
		return "withdrawn"
	case c.Previous == 0:
		return "added"
	case c.Note != "" && c.prevWithdrawn:
		return "republished"
	case c.Note != "":
		return "corrected"
	}
	return "revised"
}

// Changes lists every publication after register version since, oldest
// first (at most 1000).
func (s *Store) Changes(ctx context.Context, since int) ([]Change, error) {
	var ps []Publication
	if err := s.db.WithContext(ctx).Where("register_version > ?", since).Order("register_version, event_id").
		Limit(1000).Find(&ps).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list changes: %w", err)
	}
	out := make([]Change, len(ps))
	for i, p := range ps {
		out[i].Publication = p
		var prev []Publication
		if err := s.db.WithContext(ctx).Where("event_id = ? AND superseded_in = ?", p.EventID, p.RegisterVersion).
			Limit(1).Find(&prev).Error; err != nil {
			return nil, fmt.Errorf("store: unable to read previous publication: %w", err)
		}
		if len(prev) == 1 {
			out[i].Previous, out[i].prevWithdrawn = prev[0].RegisterVersion, prev[0].State == PubWithdrawn
		}
	}
	return out, nil
}

// gpadTargets are the tables of GP appointment data (GPAD), whose latest
// imported month the register states.
var gpadTargets = []string{TargetSubICBDaily.Table, TargetNatCatDaily.Table, TargetPracticeMonthly.Table}

// RegisterState returns the register's current version and data month.
func (s *Store) RegisterState(ctx context.Context) (Register, error) {
	var r Register
	var rows []registerVersion
	db := s.db.WithContext(ctx)
	if err := db.Order("version DESC").Limit(1).Find(&rows).Error; err != nil {
		return r, fmt.Errorf("store: unable to read the register: %w", err)
	}
	if len(rows) == 1 {
		at := rows[0].PublishedAt.UTC()
		r.Version, r.PublishedAt = rows[0].Version, &at
	}
	var last *int64
	if err := db.Model(&ImportRun{}).Select("MAX(day_to)").Where("status = ? AND target IN ?", ImportSucceeded, gpadTargets).
		Scan(&last).Error; err != nil {
		return r, fmt.Errorf("store: unable to read the latest import: %w", err)
	}
	if last != nil {
		r.DataAsOf = DayTime(*last - 1).Format("2006-01")
	}
	return r, nil
}

// event rebuilds the published record. Its document passed validation
// when published; should a later, stricter rule refuse it, the filter
// columns still show the record rather than fail the whole page.
func (p *Publication) event() *Event {
	var d EventDoc
	var e *Event
	err := json.Unmarshal([]byte(p.Doc), &d)
	if err == nil {
		e, err = d.ToEvent()
	}
	if err != nil {
		slog.Warn("published document no longer validates; showing its summary fields", "event", p.EventID,
			"register_version", p.RegisterVersion, "err", err)
		e = &Event{Kind: p.Kind, Title: p.Title, Summary: p.Summary, Notes: p.Notes, Unions: p.Unions,
			StaffGroup: p.StaffGroup, DisputeID: p.DisputeID, StartAt: p.StartAt, EndAt: p.EndAt, AllDay: len(d.Start) == 10}
	}
	e.ID, e.Version, e.PubState, e.PublishedVersion = p.EventID, p.EventVersion, p.State, p.EventVersion
	e.CreatedAt, e.UpdatedAt = p.FirstPublishedAt, p.At
	for i := range e.Sources {
		e.Sources[i].EventID = p.EventID
	}
	e.Pub = p
	return e
}
