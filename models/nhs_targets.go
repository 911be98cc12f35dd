package models

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// The tables of migration 15 as load targets (see docs/data.md).
var (
	TargetSubICBMonthly    = LoadTarget{"appt_subicb_monthly", []string{"area_id", "day", "status", "hcp", "mode", "lead"}, false}
	TargetCoverage         = LoadTarget{"gp_coverage_monthly", []string{"area_id", "day", "measure"}, false}
	TargetNationalOverview = LoadTarget{"appt_national_overview", []string{"area_id", "day", "status", "hcp", "mode", "setting", "context", "category"}, false}
	TargetSDSRoleDaily     = LoadTarget{"appt_sds_role_daily", []string{"area_id", "day", "role"}, false}
	TargetDurationDaily    = LoadTarget{"appt_duration_daily", []string{"area_id", "day", "duration"}, false}
	TargetOCDayTime        = LoadTarget{"oc_daytime_monthly", []string{"practice_id", "day", "supplier", "weekday", "band"}, false}
	TargetOCDaily          = LoadTarget{"oc_practice_daily", []string{"practice_id", "day", "supplier", "kind"}, false}
)

// Label kinds of the files added in migration 15.
const (
	LabelRole     = "sds_role_group"
	LabelDuration = "actual_duration"
	LabelTimeBand = "oc_submission_time"
	LabelOCKind   = "oc_submission_kind"
)

// The measures of the GP coverage file, stored in gp_coverage_monthly.measure.
const (
	CoverageIncludedPractices = 1
	CoverageOpenPractices     = 2
	CoverageIncludedPatients  = 3
	CoverageOpenPatients      = 4
)

// Weekdays are stored 1 (Monday) to 7 (Sunday); 0 is Unknown.
var weekdayNames = []string{"Unknown", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// ParseWeekday returns the stored number of a weekday name (any case; an
// empty field or "Unknown" is 0).
func ParseWeekday(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	for i, n := range weekdayNames {
		if strings.EqualFold(n, s) || (i > 0 && len(s) == 3 && strings.EqualFold(n[:3], s)) {
			return int64(i), true
		}
	}
	return 0, false
}

// WeekdayName is the name of a stored weekday number.
func WeekdayName(n int64) string {
	if n < 0 || int(n) >= len(weekdayNames) {
		return "Unknown"
	}
	return weekdayNames[n]
}

// AreaMonth says that a file gave area AreaID the parent ParentID (a
// sub-ICB location's ICB, an ICB's region) for the month starting Day.
type AreaMonth struct {
	AreaID, Day, ParentID int64
}

// RecordAreaMonths stores the parents a file gave its areas, month by
// month (a later file's word for a month replaces an earlier one's), then
// sets each area's ICB and region to those of its latest published month:
// importing a 2019 file after a 2025 one must not move a location back
// into a region that no longer exists.
func (s *Store) RecordAreaMonths(ctx context.Context, ms []AreaMonth) error {
	if len(ms) == 0 {
		return nil
	}
	sort.Slice(ms, func(i, j int) bool {
		if ms[i].AreaID != ms[j].AreaID {
			return ms[i].AreaID < ms[j].AreaID
		}
		return ms[i].Day < ms[j].Day
	})
	db := s.db.WithContext(ctx)
	const chunk = 300
	for i := 0; i < len(ms); i += chunk {
		part := ms[i:min(i+chunk, len(ms))]
		args := make([]any, 0, 3*len(part))
		for _, m := range part {
			args = append(args, m.AreaID, m.Day, m.ParentID)
		}
		q := `INSERT INTO area_months (area_id, day, parent_id) VALUES ` +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?),", len(part)), ",") +
			` ON CONFLICT (area_id, day) DO UPDATE SET parent_id = excluded.parent_id`
		if err := db.Exec(q, args...).Error; err != nil {
			return fmt.Errorf("store: unable to record area months: %w", err)
		}
	}
	ids := map[int64]bool{}
	for _, m := range ms {
		ids[m.AreaID] = true
	}
	list := make([]int64, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	latest := `(SELECT am.parent_id FROM area_months am WHERE am.area_id = areas.id ORDER BY am.day DESC LIMIT 1)`
	for i := 0; i < len(list); i += chunk {
		part := int64Args(list[i:min(i+chunk, len(list))])
		in := ` AND id IN (` + placeholders(len(part)) + `)`
		err := execAllArgs(db,
			stmt{`UPDATE areas SET region_id = ` + latest + ` WHERE level = ?` + in, append([]any{LevelICB}, part...)},
			stmt{`UPDATE areas SET icb_id = ` + latest + ` WHERE level = ?` + in, append([]any{LevelSubICB}, part...)},
			stmt{`UPDATE areas SET region_id = COALESCE((SELECT i.region_id FROM areas i WHERE i.id = areas.icb_id), region_id) WHERE level = ?` + in, append([]any{LevelSubICB}, part...)},
		)
		if err != nil {
			return fmt.Errorf("store: unable to update area parents: %w", err)
		}
	}
	return nil
}

// AreaValidity is the first and last month any file placed an area under
// a parent (nil when no file said).
type AreaValidity struct {
	From *time.Time `json:"valid_from,omitempty"`
	To   *time.Time `json:"valid_to,omitempty"`
}

// Validity returns the months an area was published in, as a sub-ICB
// location (its own rows) or as an ICB (its sub-ICB locations' rows).
func (s *Store) Validity(ctx context.Context, a Area) (AreaValidity, error) {
	col := "area_id"
	if a.Level == LevelICB {
		col = "parent_id"
	}
	var r struct{ Lo, Hi *int64 }
	if err := s.db.WithContext(ctx).Raw(`SELECT MIN(day) AS lo, MAX(day) AS hi FROM area_months WHERE `+col+` = ?`, a.ID).Scan(&r).Error; err != nil {
		return AreaValidity{}, fmt.Errorf("store: unable to read area validity: %w", err)
	}
	var v AreaValidity
	if r.Lo != nil {
		lo, hi := DayTime(*r.Lo), DayTime(*r.Hi).AddDate(0, 1, -1)
		v.From, v.To = &lo, &hi
	}
	return v, nil
}
