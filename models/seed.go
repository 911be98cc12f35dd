package models

import (
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
	var f seedFile
	if err := json.Unmarshal(seedJSON, &f); err != nil {
		return nil, fmt.Errorf("seed: embedded timeline is not valid JSON: %w", err)
	}
	return f.Records, nil
}

// SeedActor is the actor recorded in history for seeded records.
const SeedActor = "seed"

// LoadSeed inserts every seed record whose key has never been loaded, in one
// transaction. Keys already present, even if the record was since edited or
// deleted, are left alone, so a restart adds nothing and planners' changes
// win. It returns how many records were added.
func (s *Store) LoadSeed(ctx context.Context) (int, error) {
	ctx = OnPrimary(ctx) // what is loaded already decides what to insert
	recs, err := SeedRecords()
	if err != nil {
		return 0, err
	}
	added := 0
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		type row struct {
			ID      int64
			SeedKey string
		}
		var rows []row
		if err := tx.Model(&Event{}).Unscoped().Where("seed_key IS NOT NULL").Select("id, seed_key").Scan(&rows).Error; err != nil {
			return fmt.Errorf("seed: unable to read loaded keys: %w", err)
		}
		ids := make(map[string]int64, len(rows))
		for _, r := range rows {
			ids[r.SeedKey] = r.ID
		}
		// Disputes first, so children can resolve their dispute_key.
		for pass := 0; pass < 2; pass++ {
			for _, r := range recs {
				if (pass == 0) != (r.Kind == KindDispute) {
					continue
				}
				if _, done := ids[r.Key]; done {
					continue
				}
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
				key := r.Key
				e.SeedKey = &key
				e.CreatedBy, e.UpdatedBy, e.Version = SeedActor, SeedActor, 1
				if err := createEventTx(tx, SeedActor, e); err != nil {
					return fmt.Errorf("seed: record %q: %w", r.Key, err)
				}
				ids[key] = e.ID
				added++
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}
