package models

import (
	"context"
	"fmt"
	"time"
)

// Boundaries of an ICB series. Sub-ICB locations moved to new ICBs in the
// mergers of April 2026, so an ICB series sums the sub-ICB locations that
// belong to it under one stated set of boundaries: those each file
// published for a month (area_months), taken at the boundary month (the
// zero time: the latest published). The series then runs on across the
// merger, over every month any location has data.

// ICBMembers are the sub-ICB locations summed for an ICB, with the month
// whose boundaries were used and, for an ICB that no longer exists under
// those boundaries, a note naming its successor.
type ICBMembers struct {
	IDs        []int64
	Boundaries *time.Time
	Note       string
}

// icbMembers resolves the sub-ICB locations of icb under the boundaries
// of the month of at (zero: the latest published).
func (s *Store) icbMembers(ctx context.Context, icb Area, at time.Time) (ICBMembers, error) {
	db := s.db.WithContext(ctx)
	limit := int64(1 << 30)
	if !at.IsZero() {
		_, me := monthBounds(DayNumber(at))
		limit = me - 1
	}
	var m ICBMembers
	var rows []struct{ AreaID, Day int64 }
	err := db.Raw(`SELECT am.area_id, am.day FROM area_months am WHERE am.parent_id = ?
		AND am.day = (SELECT MAX(x.day) FROM area_months x WHERE x.area_id = am.area_id AND x.day <= ?)
		ORDER BY am.area_id`, icb.ID, limit).Scan(&rows).Error
	if err != nil {
		return m, fmt.Errorf("store: unable to read ICB boundaries: %w", err)
	}
	for _, r := range rows {
		m.IDs = append(m.IDs, r.AreaID)
		if t := DayTime(r.Day); m.Boundaries == nil || t.After(*m.Boundaries) {
			m.Boundaries = &t
		}
	}
	if len(m.IDs) > 0 {
		return m, nil
	}
	// Not an ICB under these boundaries: one that merged, or one no file
	// gave months for (older imports).
	var last []int64
	if err := db.Raw(`SELECT COALESCE(MAX(day), 0) FROM area_months WHERE parent_id = ? AND day <= ?`, icb.ID, limit).Scan(&last).Error; err != nil {
		return m, fmt.Errorf("store: unable to read ICB boundaries: %w", err)
	}
	if len(last) == 0 || last[0] == 0 {
		var later []int64
		if err := db.Raw(`SELECT COALESCE(MIN(day), 0) FROM area_months WHERE parent_id = ?`, icb.ID).Scan(&later).Error; err != nil {
			return m, fmt.Errorf("store: unable to read ICB boundaries: %w", err)
		}
		if len(later) > 0 && later[0] > 0 {
			m.Note = fmt.Sprintf("%s did not exist under the boundaries of %s (first published for %s)", icb.Code, at.Format("January 2006"), DayTime(later[0]).Format("January 2006"))
			return m, nil
		}
		if err := db.Raw(`SELECT id FROM areas WHERE level = ? AND icb_id = ? ORDER BY id`, LevelSubICB, icb.ID).Scan(&m.IDs).Error; err != nil {
			return m, fmt.Errorf("store: unable to read ICB members: %w", err)
		}
		return m, nil
	}
	if err := db.Raw(`SELECT area_id FROM area_months WHERE parent_id = ? AND day = ? ORDER BY area_id`, icb.ID, last[0]).Scan(&m.IDs).Error; err != nil {
		return m, fmt.Errorf("store: unable to read ICB members: %w", err)
	}
	t := DayTime(last[0])
	m.Boundaries = &t
	var next []struct {
		ParentID, Day int64
		Code, Name    string
	}
	q := `SELECT am.parent_id, am.day, a.code, a.name FROM area_months am JOIN areas a ON a.id = am.parent_id
		WHERE am.area_id IN (` + placeholders(len(m.IDs)) + `) AND am.day > ? ORDER BY am.day, am.area_id LIMIT 1`
	args := append(int64Args(m.IDs), last[0])
	if err := db.Raw(q, args...).Scan(&next).Error; err != nil {
		return m, fmt.Errorf("store: unable to read ICB successor: %w", err)
	}
	if len(next) > 0 {
		m.Note = fmt.Sprintf("%s merged into %s (%s) on %s; this series sums its sub-ICB locations as they were in %s",
			icb.Code, next[0].Code, next[0].Name, DayTime(next[0].Day).Format("2 January 2006"), t.Format("January 2006"))
	}
	return m, nil
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// AreaInfo describes the area a series is for: what it resolved to, its
// validity, and for an ICB the boundaries used and any merger note.
type AreaInfo struct {
	Area       Area         `json:"area"`
	Validity   AreaValidity `json:"validity"`
	Boundaries *time.Time   `json:"boundaries,omitempty"`
	Note       string       `json:"note,omitempty"`
}

// DescribeArea resolves code for a series answer (boundaries as for
// ActivityQuery.Boundaries).
func (s *Store) DescribeArea(ctx context.Context, code string, boundaries time.Time) (AreaInfo, error) {
	a, err := s.queryArea(ctx, code)
	if err != nil {
		return AreaInfo{}, err
	}
	info := AreaInfo{Area: a}
	if a.Level == LevelICB || a.Level == LevelSubICB {
		if info.Validity, err = s.Validity(ctx, a); err != nil {
			return info, err
		}
	}
	if a.Level == LevelICB {
		m, err := s.icbMembers(ctx, a, boundaries)
		if err != nil {
			return info, err
		}
		info.Boundaries, info.Note = m.Boundaries, m.Note
	}
	return info, nil
}

// scopeSQL is the condition on col (an area id column of a sub-ICB level
// table) selecting area a; national is no condition. An ICB is the sub-ICB
// locations it held under boundaries (icbMembers).
func (s *Store) scopeSQL(ctx context.Context, a Area, col string, boundaries time.Time) (string, []any, error) {
	switch a.Level {
	case LevelNational:
		return "", nil, nil
	case LevelRegion:
		return col + " IN (SELECT id FROM areas WHERE level = ? AND region_id = ?)", []any{LevelSubICB, a.ID}, nil
	case LevelICB:
		m, err := s.icbMembers(ctx, a, boundaries)
		if err != nil {
			return "", nil, err
		}
		if len(m.IDs) == 0 {
			return "1 = 0", nil, nil
		}
		return col + " IN (" + placeholders(len(m.IDs)) + ")", int64Args(m.IDs), nil
	case LevelSubICB:
		return col + " = ?", []any{a.ID}, nil
	}
	return "", nil, &ValidationError{Fields: map[string]string{"area": "this series exists for England, regions, ICBs and sub-ICB locations only"}}
}

// practiceScopeSQL is the condition on col (a practice id column) selecting
// the practices in area a: a practice itself, a PCN's practices, or the
// practices of the sub-ICB locations scopeSQL selects; national is no
// condition.
func (s *Store) practiceScopeSQL(ctx context.Context, a Area, col string, boundaries time.Time) (string, []any, error) {
	switch a.Level {
	case LevelNational:
		return "", nil, nil
	case LevelPractice:
		return col + " = ?", []any{a.ID}, nil
	case LevelPCN:
		return col + " IN (SELECT id FROM areas WHERE level = ? AND pcn_id = ?)", []any{LevelPractice, a.ID}, nil
	}
	w, args, err := s.scopeSQL(ctx, a, "sub_icb_id", boundaries)
	if err != nil {
		return "", nil, err
	}
	return col + " IN (SELECT id FROM areas WHERE level = ? AND " + w + ")", append([]any{LevelPractice}, args...), nil
}

// activitySource is where a series of GPAD appointments for area a is read
// and the condition selecting a's rows there: England and regions from the
// daily rollup (one row per day and category combination), ICBs and sub-ICB
// locations from the sub-ICB table, through its (area_id, day) key prefix.
// There is no ICB rollup: an ICB is two or three sub-ICB locations.
func (s *Store) activitySource(ctx context.Context, a Area, boundaries time.Time) (table string, where []string, args []any, err error) {
	switch a.Level {
	case LevelNational:
		return rollupTable, []string{"level = ?", "area_id = ?"}, []any{LevelNational, 0}, nil
	case LevelRegion:
		return rollupTable, []string{"level = ?", "area_id = ?"}, []any{LevelRegion, a.ID}, nil
	}
	w, args, err := s.scopeSQL(ctx, a, "area_id", boundaries)
	if err != nil {
		return "", nil, nil, err
	}
	return TargetSubICBDaily.Table, []string{w}, args, nil
}
