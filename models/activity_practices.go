package models

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// PracticeQuery selects a monthly series from the GPAD practice-level
// crosstab files.
type PracticeQuery struct {
	// From and To are civil dates, inclusive; whole months are counted.
	From, To time.Time
	// Area is "" or "ENGLAND", a region or ICB ONS code, a sub-ICB
	// location code, a practice code (D81001) or a PCN code (U88254).
	Area string
	// Filters, using the published labels; empty means all.
	Status, HCP, Mode, Lead, Category []string
	// GroupBy lists any of status, hcp, mode, lead, category.
	GroupBy []string
}

// PracticeSeries returns monthly appointment counts for q, summed over the
// practices in the area.
func (s *Store) PracticeSeries(ctx context.Context, q PracticeQuery) ([]ActivityPoint, error) {
	ve := &ValidationError{}
	month := "month"
	checkRange(ve, q.From, q.To, &month)
	where, args := codeFilters(ve, map[Dimension][]string{DimStatus: q.Status, DimHCP: q.HCP, DimMode: q.Mode, DimLead: q.Lead})
	cats, err := s.labelIDs(ctx, ve, "category", LabelCategory, q.Category)
	if err != nil {
		return nil, err
	}
	if len(cats) > 0 {
		where = append(where, "category IN ("+placeholders(len(cats))+")")
		args = append(args, cats...)
	}
	group := groupBy(ve, q.GroupBy, "status", "hcp", "mode", "lead", "category")
	if err := ve.orNil(); err != nil {
		return nil, err
	}
	area, err := s.queryArea(ctx, q.Area)
	if err != nil {
		return nil, err
	}
	scope, sargs, err := s.practiceScopeSQL(ctx, area, "practice_id", time.Time{})
	if err != nil {
		return nil, err
	}
	if scope != "" {
		where, args = append(where, scope), append(args, sargs...)
	}
	ms, _ := monthBounds(DayNumber(q.From))
	_, me := monthBounds(DayNumber(q.To))
	where = append(where, "day >= ?", "day < ?")
	args = append(args, ms, me)
	cols := append([]string{"day"}, group...)
	query := "SELECT " + strings.Join(cols, ", ") + ", SUM(n) FROM appt_practice_monthly WHERE " + strings.Join(where, " AND ") +
		" GROUP BY " + strings.Join(cols, ", ")
	sums, err := s.periodSums(ctx, query, args, len(group), "month")
	if err != nil {
		return nil, fmt.Errorf("store: unable to query practice activity: %w", err)
	}
	return s.points(ctx, sums, group)
}
