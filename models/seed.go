package models

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"
)

//go:embed seed/timeline.json
var seedJSON []byte

// SeedRecord is one record of the embedded timeline: an EventDoc plus a
// stable key, and the key of its parent dispute instead of a database id.
type SeedRecord struct {
	EventDoc
	Key        string `json:"key"`
	DisputeKey string `json:"dispute_key,omitempty"`
}

type seedFile struct {
	Version int          `json:"version"`
	Records []SeedRecord `json:"records"`
}

// SeedRecords parses the embedded seed timeline.
func SeedRecords() ([]SeedRecord, error) {
	f, err := parseSeed(seedJSON)
	return f.Records, err
}

// SeedVersion is the version number of the embedded seed timeline; it goes
// up whenever records are added or corrected.
func SeedVersion() int {
	f, _ := parseSeed(seedJSON)
	return f.Version
}

func parseSeed(data []byte) (seedFile, error) {
	var f seedFile
	if err := json.Unmarshal(data, &f); err != nil {
		return f, fmt.Errorf("seed: timeline is not valid JSON: %w", err)
	}
	return f, nil
}

// SeedActor is the actor recorded in history for seeded records.
const SeedActor = "seed"

// SeedReport says what one seed load did.
type SeedReport struct {
	Version   int
	Added     int
	Corrected int
	// Skipped lists seeded records the seed would correct but that a planner
	// edited or deleted since the seed last wrote them; they are left alone.
	Skipped []SeedSkip
}

// SeedSkip is a seeded record whose correction was not applied.
type SeedSkip struct {
	Key     string
	EventID int64
	Actor   string // who last changed it
	Action  string // how: update, delete, restore
}

// LoadSeed applies the embedded seed and returns how many records it added;
// SyncSeed gives the full report.
func (s *Store) LoadSeed(ctx context.Context) (int, error) {
	r, err := s.SyncSeed(ctx)
	return r.Added, err
}

// SyncSeed brings the database up to the embedded seed in one transaction:
// keys never loaded are inserted; a record the seed loaded before is
// corrected to the seed's current text only if nobody changed it since the
// seed last wrote it (its latest history entry is the seed's own). Records a
// planner edited or deleted are never touched and are listed in Skipped. A
// second run with the same seed changes nothing.
func (s *Store) SyncSeed(ctx context.Context) (SeedReport, error) {
	return s.syncSeed(ctx, seedJSON)
}

// SyncSeedFrom is SyncSeed with a seed file other than the embedded one,
// such as an earlier seed version kept to build an old database in tests.
func (s *Store) SyncSeedFrom(ctx context.Context, data []byte) (SeedReport, error) {
	return s.syncSeed(ctx, data)
}

// seedState is what the database knows about one loaded seed key.
type seedState struct {
	id         int64
	lastSeed   string // After snapshot of the seed's latest write
	lastActor  string
	lastAction string
}

func (s *Store) syncSeed(ctx context.Context, data []byte) (SeedReport, error) {
	ctx = OnPrimary(ctx) // what is loaded already decides what to insert
	f, err := parseSeed(data)
	if err != nil {
		return SeedReport{}, err
	}
	rep := SeedReport{Version: f.Version}
	var fresh []*Event
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		rep, fresh = SeedReport{Version: f.Version}, nil
		if s.Backend == Postgres {
			// Two instances starting together must not both insert the
			// same keys.
			if err := tx.Exec("SELECT pg_advisory_xact_lock(4242014)").Error; err != nil {
				return fmt.Errorf("seed: unable to lock: %w", err)
			}
		}
		state, err := loadSeedState(tx)
		if err != nil {
			return err
		}
		ids := make(map[string]int64, len(state))
		for k, st := range state {
			ids[k] = st.id
		}
		// File order, which puts every dispute before the records that name
		// it; new records go at the end so ids of a fresh database stay the
		// same from one seed version to the next.
		for _, r := range f.Records {
			doc := r.EventDoc
			if r.DisputeKey != "" {
				id, ok := ids[r.DisputeKey]
				if !ok {
					return fmt.Errorf("seed: record %q names unknown dispute %q", r.Key, r.DisputeKey)
				}
				doc.DisputeID = &id
			}
			e, err := doc.ToEvent()
			if err != nil {
				return fmt.Errorf("seed: record %q: %w", r.Key, err)
			}
			st, loaded := state[r.Key]
			if !loaded {
				key := r.Key
				e.SeedKey = &key
				e.CreatedBy, e.UpdatedBy, e.Version, e.PubState = SeedActor, SeedActor, 1, PubDraft
				if err := createEventTx(tx, SeedActor, e); err != nil {
					return fmt.Errorf("seed: record %q: %w", r.Key, err)
				}
				ids[key] = e.ID
				rep.Added++
				fresh = append(fresh, e)
				continue
			}
			want, err := json.Marshal(snapshot(e.Doc()))
			if err != nil {
				return err
			}
			if sameJSON(want, []byte(st.lastSeed)) {
				continue // the seed has nothing new for this record
			}
			if st.lastActor != SeedActor {
				rep.Skipped = append(rep.Skipped, SeedSkip{Key: r.Key, EventID: st.id, Actor: st.lastActor, Action: st.lastAction})
				continue
			}
			cur, err := lockEvent(tx, s.Backend, st.id, true)
			if err != nil {
				return fmt.Errorf("seed: record %q: %w", r.Key, err)
			}
			if _, err := replaceEventTx(tx, SeedActor, cur, doc, ActionUpdate); err != nil {
				return fmt.Errorf("seed: correcting record %q: %w", r.Key, err)
			}
			rep.Corrected++
		}
		// New seed records are curated and sourced: they are published at
		// once, together as one register version (version 1 on a new
		// database). A correction of a published seed record is a pending
		// revision, which an editor publishes with its correction note.
		return publishNewTx(tx, s.Backend, SeedActor, "seed records", fresh)
	})
	if err != nil {
		return SeedReport{Version: f.Version}, err
	}
	return rep, nil
}

// loadSeedState reads, for every seeded event, its latest history entry and
// the seed's latest snapshot of it, in two queries.
func loadSeedState(tx *gorm.DB) (map[string]seedState, error) {
	type row struct {
		ID      int64
		SeedKey string
	}
	var rows []row
	if err := tx.Model(&Event{}).Unscoped().Where("seed_key IS NOT NULL").Select("id, seed_key").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("seed: unable to read loaded keys: %w", err)
	}
	byID := make(map[int64]string, len(rows))
	for _, r := range rows {
		byID[r.ID] = r.SeedKey
	}
	var hist []HistoryEntry
	if len(rows) > 0 {
		if err := tx.Where("event_id IN (SELECT id FROM events WHERE seed_key IS NOT NULL)").
			Order("event_id, id").Find(&hist).Error; err != nil {
			return nil, fmt.Errorf("seed: unable to read history: %w", err)
		}
	}
	out := make(map[string]seedState, len(rows))
	for _, r := range rows {
		out[r.SeedKey] = seedState{id: r.ID}
	}
	for _, h := range hist {
		key := byID[h.EventID]
		st := out[key]
		st.lastActor, st.lastAction = h.Actor, h.Action
		if h.Actor == SeedActor {
			st.lastSeed = h.After
		}
		out[key] = st
	}
	return out, nil
}

// sameJSON compares two JSON documents by value, so key order and spacing
// in stored snapshots do not count as a change.
func sameJSON(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return bytes.Equal(ja, jb)
}
