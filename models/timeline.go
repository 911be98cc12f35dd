package models

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"
)

// TimelineItem is one record as the timeline lists it: only what the page
// and the timeline API show, read without rebuilding the whole record.
type TimelineItem struct {
	ID        int64
	Kind      Kind
	Title     string
	Summary   string
	StartAt   time.Time
	EndAt     *time.Time
	AllDay    bool
	DisputeID *int64
	Unions    []string
	Sources   []Source
	// Draft, Pending and Withdrawn mark what the public does not see:
	// a working copy never published, one with unpublished changes, and
	// (with EventFilter.WithWithdrawn) a withdrawn record.
	Draft, Pending, Withdrawn bool
}

// Start and End are the record's dates as its document writes them
// ("2025-07-25" for a day, "2025-07-25T07:00" for a London time).
func (t *TimelineItem) Start() string { return formatWhen(t.StartAt, t.AllDay) }

// End is the document's end, empty when the record has none.
func (t *TimelineItem) End() string {
	if t.EndAt == nil {
		return ""
	}
	return formatWhen(*t.EndAt, t.AllDay)
}

// Timeline returns one page of f's records for the timeline and the total
// count. The published register is read with one query over the current
// publications: the listed columns, and from each stored document only
// its start (whether it is a day) and its sources; the page is chosen on
// the small columns first, so the database sorts no documents. Working
// copies (f.Working) are read as ListEvents reads them.
func (s *Store) Timeline(ctx context.Context, f EventFilter) ([]TimelineItem, int64, error) {
	if f.Working {
		return s.workingTimeline(ctx, f)
	}
	db := s.db.WithContext(ctx)
	q := publishedWhere(db.Model(&Publication{}), f)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("store: unable to count the timeline: %w", err)
	}
	order := timelineOrder(f, "event_id")
	page := publishedWhere(db.Model(&Publication{}), f).Select("id").Order(order).
		Limit(listLimit(f.Limit)).Offset(max(f.Offset, 0))
	rows, err := db.Model(&Publication{}).Select("event_id, kind, title, summary, start_at, end_at, dispute_id, state, doc").
		Where("id IN (?)", page).Order(order).Rows()
	if err != nil {
		return nil, 0, fmt.Errorf("store: unable to read the timeline: %w", err)
	}
	defer rows.Close()
	out := make([]TimelineItem, 0, min(listLimit(f.Limit), int(total)))
	for rows.Next() {
		var (
			it         TimelineItem
			end        sql.NullTime
			dispute    sql.NullInt64
			state, doc string
		)
		if err := rows.Scan(&it.ID, &it.Kind, &it.Title, &it.Summary, &it.StartAt, &end, &dispute, &state, &doc); err != nil {
			return nil, 0, fmt.Errorf("store: unable to read a timeline row: %w", err)
		}
		if end.Valid {
			t := end.Time.UTC()
			it.EndAt = &t
		}
		if dispute.Valid {
			it.DisputeID = &dispute.Int64
		}
		it.StartAt, it.Withdrawn = it.StartAt.UTC(), state == PubWithdrawn
		var d struct {
			Start   string   `json:"start"`
			Sources []Source `json:"sources"`
		}
		if err := json.Unmarshal([]byte(doc), &d); err != nil {
			// The filter columns still list the record, as Publication.event does.
			slog.Warn("published document unreadable; listing its columns", "event", it.ID, "err", err)
		}
		it.AllDay, it.Sources = len(d.Start) == len(time.DateOnly), d.Sources
		if it.Sources == nil {
			it.Sources = []Source{}
		}
		for i := range it.Sources {
			it.Sources[i].EventID = it.ID
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: unable to read the timeline: %w", err)
	}
	return out, total, nil
}

// DisputeNames lists the disputes f's reader sees (f.Working, f.AsOf), with
// only their ids, titles and unions: the timeline's filter menu and its
// "part of" links.
func (s *Store) DisputeNames(ctx context.Context, f EventFilter) ([]TimelineItem, error) {
	f.Kinds, f.Limit, f.Offset = []Kind{KindDispute}, 1000, 0
	if f.Working {
		out, _, err := s.workingTimeline(ctx, f)
		return out, err
	}
	var ps []Publication
	err := publishedWhere(s.db.WithContext(ctx).Model(&Publication{}), f).Select("event_id, title, unions").
		Order(timelineOrder(f, "event_id")).Limit(f.Limit).Find(&ps).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to list disputes: %w", err)
	}
	out := make([]TimelineItem, len(ps))
	for i, p := range ps {
		out[i] = TimelineItem{ID: p.EventID, Kind: KindDispute, Title: p.Title, Unions: p.Unions}
	}
	return out, nil
}

// publishedWhere limits q (over publications) to what the public sees at
// f.AsOf that matches f.
func publishedWhere(q *gorm.DB, f EventFilter) *gorm.DB {
	q = asOf(q, f.AsOf)
	if !f.WithWithdrawn {
		q = q.Where("state = ?", PubPublished)
	}
	return eventWhere(q, f, "event_id")
}

// timelineOrder is listPage's order: by start, idCol breaking ties.
func timelineOrder(f EventFilter, idCol string) string {
	if f.Descending {
		return "start_at DESC, " + idCol + " DESC"
	}
	return "start_at ASC, " + idCol + " ASC"
}

// workingTimeline lists working copies (drafts marked) as timeline items.
func (s *Store) workingTimeline(ctx context.Context, f EventFilter) ([]TimelineItem, int64, error) {
	es, total, err := s.ListEvents(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	out := make([]TimelineItem, len(es))
	for i := range es {
		out[i] = ItemOf(&es[i])
	}
	return out, total, nil
}

// ItemOf is a whole record as a timeline item. A working copy (read from
// the events table) is marked draft, pending or withdrawn as its state
// says; a record read from the register is the public copy, unmarked.
func ItemOf(e *Event) TimelineItem {
	it := TimelineItem{ID: e.ID, Kind: e.Kind, Title: e.Title, Summary: e.Summary, StartAt: e.StartAt,
		EndAt: e.EndAt, AllDay: e.AllDay, DisputeID: e.DisputeID, Unions: e.Unions, Sources: e.Sources}
	if it.Sources == nil {
		it.Sources = []Source{}
	}
	if e.Pub == nil {
		st := e.PubInfo()
		it.Draft, it.Pending, it.Withdrawn = st.Status == PubDraft, st.PendingRevision, st.Status == PubWithdrawn
	}
	return it
}
