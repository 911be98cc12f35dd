package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// ImpactResult is one stored impact answer: the analysis of an event at a
// version, for one slice (metrics, filters, areas, detail level) and one
// data state. Any of the three changing gives a new key, so a stored row is
// never stale; it is only superseded.
type ImpactResult struct {
	ID           int64     `gorm:"primaryKey"`
	EventID      int64     `gorm:"not null"`
	EventVersion int       `gorm:"not null"`
	SliceKey     string    `gorm:"size:500;not null"`
	DataState    string    `gorm:"size:200;not null"`
	Body         string    `gorm:"type:text;not null"`
	CreatedAt    time.Time `gorm:"not null"`
}

// TableName names the table.
func (ImpactResult) TableName() string { return "impact_results" }

// ImpactResult returns the stored body for the key, and false if none is
// stored.
func (s *Store) ImpactResult(ctx context.Context, eventID int64, version int, sliceKey, dataState string) ([]byte, bool, error) {
	var rows []ImpactResult
	err := s.db.WithContext(ctx).Select("body").
		Where("event_id = ? AND event_version = ? AND slice_key = ? AND data_state = ?", eventID, version, sliceKey, dataState).
		Limit(1).Find(&rows).Error
	if err != nil {
		return nil, false, fmt.Errorf("store: unable to read a stored impact result: %w", err)
	}
	if len(rows) == 0 {
		return nil, false, nil
	}
	return []byte(rows[0].Body), true, nil
}

// MaxImpactResultsPerEvent bounds the stored answers of one event: any
// visitor can ask for a new slice, and each is stored, so the oldest go
// first beyond this many (they are recomputed if asked for again).
const MaxImpactResultsPerEvent = 200

// PutImpactResult stores a body under its key and removes the rows it
// supersedes (the same event and slice at another version or data state),
// and the oldest beyond MaxImpactResultsPerEvent. Two instances storing the
// same key at once keep one row: the second insert does nothing.
func (s *Store) PutImpactResult(ctx context.Context, r ImpactResult) error {
	r.ID = 0
	r.CreatedAt = time.Now().UTC()
	db := s.db.WithContext(ctx)
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&r).Error; err != nil {
		return fmt.Errorf("store: unable to store an impact result: %w", err)
	}
	err := db.Where("event_id = ? AND slice_key = ? AND NOT (event_version = ? AND data_state = ?)",
		r.EventID, r.SliceKey, r.EventVersion, r.DataState).Delete(&ImpactResult{}).Error
	if err != nil {
		return fmt.Errorf("store: unable to remove superseded impact results: %w", err)
	}
	var n int64
	if err := db.Model(&ImpactResult{}).Where("event_id = ?", r.EventID).Count(&n).Error; err != nil {
		return fmt.Errorf("store: unable to count impact results: %w", err)
	}
	if n > MaxImpactResultsPerEvent {
		err = db.Where("event_id = ? AND id NOT IN (?)", r.EventID,
			db.Model(&ImpactResult{}).Select("id").Where("event_id = ?", r.EventID).Order("id DESC").Limit(MaxImpactResultsPerEvent)).
			Delete(&ImpactResult{}).Error
		if err != nil {
			return fmt.Errorf("store: unable to trim impact results: %w", err)
		}
	}
	return nil
}

// ImportState identifies the state of the imported data for the civil days
// from..to: the latest successful import that changed figures on any of
// those days (or whose days are not recorded, as for imports made before
// they were). An import of other months leaves it unchanged, so results
// for earlier events stay valid.
func (s *Store) ImportState(ctx context.Context, from, to time.Time) (int64, error) {
	var id *int64
	err := s.db.WithContext(ctx).Model(&ImportRun{}).Select("MAX(id)").
		Where(`status = ? AND rows_inserted + rows_updated + rows_deleted > 0
			AND (day_from IS NULL OR (day_from <= ? AND day_to > ?))`, ImportSucceeded, DayNumber(to), DayNumber(from)).
		Scan(&id).Error
	if err != nil {
		return 0, fmt.Errorf("store: unable to read the import state: %w", err)
	}
	if id == nil {
		return 0, nil
	}
	return *id, nil
}

// WindowedEvents lists the events whose windows other events' baselines
// leave out (every strike round, and anything with an impact window
// override), with only the fields a window needs: the impact engine reads
// it on every answer, so it skips the sources and the count a listing
// carries.
func (s *Store) WindowedEvents(ctx context.Context) ([]Event, error) {
	var out []Event
	err := s.db.WithContext(ctx).Select("id", "kind", "title", "start_at", "end_at", "all_day", "impact_from", "impact_to").
		Where("kind = ? OR impact_from IS NOT NULL", KindStrikeRound).Order("start_at, id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to list event windows: %w", err)
	}
	return out, nil
}

// ImpactEvent returns live event id without its sources: what the impact
// engine reads of an event on every stored answer.
func (s *Store) ImpactEvent(ctx context.Context, id int64) (*Event, error) {
	var e Event
	if err := s.db.WithContext(ctx).Limit(1).Find(&e, id).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch event %d: %w", id, err)
	}
	if e.ID == 0 {
		return nil, ErrNotFound
	}
	return &e, nil
}

// ImpactKey is the key of a stored impact result.
type ImpactKey struct {
	EventID      int64
	EventVersion int
	SliceKey     string
	DataState    string
}

// ImpactResults returns the stored bodies of the keys that are stored, in
// one query (the rounds comparison reads a result per event).
func (s *Store) ImpactResults(ctx context.Context, keys []ImpactKey) (map[ImpactKey][]byte, error) {
	out := make(map[ImpactKey][]byte, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	want := make(map[ImpactKey]bool, len(keys))
	ids, slices := map[int64]bool{}, map[string]bool{}
	for _, k := range keys {
		want[k], ids[k.EventID], slices[k.SliceKey] = true, true, true
	}
	var rows []ImpactResult
	// Every stored key of these events and slices; the exact keys are
	// picked out below (superseded rows are removed when stored, so few
	// others come back).
	err := s.db.WithContext(ctx).Select("event_id", "event_version", "slice_key", "data_state", "body").
		Where("event_id IN ? AND slice_key IN ?", keysOf(ids), keysOf(slices)).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to read stored impact results: %w", err)
	}
	for _, r := range rows {
		if k := (ImpactKey{r.EventID, r.EventVersion, r.SliceKey, r.DataState}); want[k] {
			out[k] = []byte(r.Body)
		}
	}
	return out, nil
}

func keysOf[K comparable](m map[K]bool) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// ImportRanges are the successful imports that changed figures, with the
// civil days they changed: ImportState for many periods from one query.
type ImportRanges []importRange

type importRange struct {
	ID             int64
	DayFrom, DayTo *int64
}

// ImportRanges reads the imports ImportState looks at.
func (s *Store) ImportRanges(ctx context.Context) (ImportRanges, error) {
	var out ImportRanges
	err := s.db.WithContext(ctx).Model(&ImportRun{}).Select("id", "day_from", "day_to").
		Where("status = ? AND rows_inserted + rows_updated + rows_deleted > 0", ImportSucceeded).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to read the import ranges: %w", err)
	}
	return out, nil
}

// State is ImportState(from, to) over these imports.
func (r ImportRanges) State(from, to time.Time) int64 {
	var state int64
	f, t := DayNumber(from), DayNumber(to)
	for _, x := range r {
		if x.DayFrom == nil || (*x.DayFrom <= t && x.DayTo != nil && *x.DayTo > f) {
			state = max(state, x.ID)
		}
	}
	return state
}
