package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// Area is one row of the geography reference: a region, ICB, sub-ICB
// location (or its predecessor CCG), PCN or practice. Regions and ICBs are
// keyed by their ONS codes (E40…, E54…), sub-ICBs by their 3-character code
// (00L), PCNs and practices by their ODS codes.
type Area struct {
	ID       int64  `json:"id"`
	Level    int16  `json:"level"`
	Code     string `json:"code"`
	ONSCode  string `gorm:"column:ons_code" json:"ons_code,omitempty"`
	Name     string `json:"name"`
	RegionID *int64 `gorm:"column:region_id" json:"-"`
	ICBID    *int64 `gorm:"column:icb_id" json:"-"`
	SubICBID *int64 `gorm:"column:sub_icb_id" json:"-"`
	PCNID    *int64 `gorm:"column:pcn_id" json:"-"`
}

// TableName names the table.
func (Area) TableName() string { return "areas" }

// UpsertArea inserts or refreshes an area and returns its id. Empty names,
// ONS codes and parents never overwrite known ones, so a file that names
// only codes does not erase what an earlier file said.
func (s *Store) UpsertArea(ctx context.Context, a Area) (int64, error) {
	a.Code = strings.TrimSpace(a.Code)
	if a.Code == "" {
		return 0, errors.New("store: area code is empty")
	}
	q := `INSERT INTO areas (level, code, ons_code, name, region_id, icb_id, sub_icb_id, pcn_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (level, code) DO UPDATE SET
			ons_code = CASE WHEN excluded.ons_code <> '' THEN excluded.ons_code ELSE areas.ons_code END,
			name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE areas.name END,
			region_id = COALESCE(excluded.region_id, areas.region_id),
			icb_id = COALESCE(excluded.icb_id, areas.icb_id),
			sub_icb_id = COALESCE(excluded.sub_icb_id, areas.sub_icb_id),
			pcn_id = COALESCE(excluded.pcn_id, areas.pcn_id)
		RETURNING id`
	args := []any{a.Level, a.Code, a.ONSCode, a.Name, a.RegionID, a.ICBID, a.SubICBID, a.PCNID}
	var id int64
	var err error
	if s.Backend == Postgres {
		// An import meets a hundred or more new areas one at a time; a
		// flushed commit each cost more than parsing the month. Without
		// the flush an area can be lost only in a server crash before the
		// import commits its rows, and that commit flushes it too.
		err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec("SET LOCAL synchronous_commit = off").Error; err != nil {
				return err
			}
			return tx.Raw(q, args...).Scan(&id).Error
		})
	} else {
		err = s.db.WithContext(ctx).Raw(q, args...).Scan(&id).Error
	}
	if err != nil {
		return 0, fmt.Errorf("store: unable to upsert area %s: %w", a.Code, err)
	}
	return id, nil
}

// AllAreas returns every area, for importers that resolve codes in memory.
func (s *Store) AllAreas(ctx context.Context) ([]Area, error) {
	var as []Area
	if err := s.db.WithContext(ctx).Find(&as).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read areas: %w", err)
	}
	return as, nil
}

// Covers reports whether upserting a would change nothing in stored area b
// (same code and level): UpsertArea keeps stored values a leaves empty.
func (b Area) Covers(a Area) bool {
	same := func(x, y *int64) bool { return x == nil || (y != nil && *x == *y) }
	return (a.ONSCode == "" || a.ONSCode == b.ONSCode) && (a.Name == "" || a.Name == b.Name) &&
		same(a.RegionID, b.RegionID) && same(a.ICBID, b.ICBID) && same(a.SubICBID, b.SubICBID) && same(a.PCNID, b.PCNID)
}

// LabelID returns the id of an open-vocabulary label (a national category,
// supplier, metric…), creating it on first sight.
func (s *Store) LabelID(ctx context.Context, kind, label string) (int64, error) {
	var id int64
	err := s.db.WithContext(ctx).Raw(`INSERT INTO activity_labels (kind, label) VALUES (?, ?)
		ON CONFLICT (kind, label) DO UPDATE SET label = excluded.label RETURNING id`, kind, label).Scan(&id).Error
	if err != nil {
		return 0, fmt.Errorf("store: unable to upsert label %s/%q: %w", kind, label, err)
	}
	return id, nil
}

// lookupLabel returns the id of an existing label, or ErrNotFound.
func (s *Store) lookupLabel(ctx context.Context, kind, label string) (int64, error) {
	var ids []int64
	if err := s.db.WithContext(ctx).Raw(`SELECT id FROM activity_labels WHERE kind = ? AND label = ?`, kind, label).Scan(&ids).Error; err != nil {
		return 0, fmt.Errorf("store: unable to read label: %w", err)
	}
	if len(ids) == 0 {
		return 0, ErrNotFound
	}
	return ids[0], nil
}

// ResolveArea finds the area a query names: "" or ENGLAND is national
// (level 0); E40… a region, E54… an ICB (by ONS code); anything else a
// sub-ICB location code (or, failing that, a practice or PCN code).
func (s *Store) ResolveArea(ctx context.Context, code string) (Area, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" || code == "ENGLAND" {
		return Area{Level: LevelNational, Code: "ENGLAND", Name: "England"}, nil
	}
	var levels []int16
	switch {
	case strings.HasPrefix(code, "E40"):
		levels = []int16{LevelRegion}
	case strings.HasPrefix(code, "E54"):
		levels = []int16{LevelICB}
	default:
		levels = []int16{LevelSubICB, LevelPractice, LevelPCN}
	}
	for _, l := range levels {
		var as []Area
		if err := s.db.WithContext(ctx).Where("level = ? AND code = ?", l, code).Limit(1).Find(&as).Error; err != nil {
			return Area{}, fmt.Errorf("store: unable to resolve area: %w", err)
		}
		if len(as) > 0 {
			return as[0], nil
		}
	}
	return Area{}, fmt.Errorf("area %q: %w", code, ErrNotFound)
}
