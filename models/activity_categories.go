package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// CategoryQuery selects a series from the GPAD national-categories files:
// appointments by national category, service setting and context type.
type CategoryQuery struct {
	// From and To are civil dates, inclusive.
	From, To time.Time
	// Area is "" or "ENGLAND", a region or ICB ONS code, or a sub-ICB
	// location code.
	Area        string
	Granularity string // day, week or month
	// Filters, by published label ("Clinical Triage"); empty means all.
	Category, Setting, Context []string
	// GroupBy lists any of category, setting, context.
	GroupBy []string
}

// categoryDims are the grouping dimensions of the categories table: the
// query name, the label kind and the column.
var categoryDims = []struct{ name, kind string }{
	{"category", LabelCategory},
	{"setting", LabelSetting},
	{"context", LabelContext},
}

// CategorySeries returns the appointment counts for q. The files label
// categories freely (new ones appear), so values are matched against the
// labels imported so far; an unknown one is a validation error naming the
// known ones.
func (s *Store) CategorySeries(ctx context.Context, q CategoryQuery) ([]ActivityPoint, error) {
	ve := &ValidationError{}
	checkRange(ve, q.From, q.To, &q.Granularity)
	filters := map[string][]string{"category": q.Category, "setting": q.Setting, "context": q.Context}
	var where []string
	var args []any
	for _, d := range categoryDims {
		if len(filters[d.name]) == 0 {
			continue
		}
		ids, err := s.labelIDs(ctx, ve, d.name, d.kind, filters[d.name])
		if err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			where = append(where, d.name+" IN ("+placeholders(len(ids))+")")
			args = append(args, ids...)
		}
	}
	group := groupBy(ve, q.GroupBy, "category", "setting", "context")
	if err := ve.orNil(); err != nil {
		return nil, err
	}
	area, err := s.queryArea(ctx, q.Area)
	if err != nil {
		return nil, err
	}
	scope, sargs, err := s.scopeSQL(ctx, area, "area_id", time.Time{})
	if err != nil {
		return nil, err
	}
	if scope != "" {
		where, args = append(where, scope), append(args, sargs...)
	}
	where = append(where, "day >= ?", "day <= ?")
	args = append(args, DayNumber(q.From), DayNumber(q.To))
	cols := append([]string{"day"}, group...)
	query := "SELECT " + strings.Join(cols, ", ") + ", SUM(n) FROM appt_natcat_daily WHERE " + strings.Join(where, " AND ") +
		" GROUP BY " + strings.Join(cols, ", ")
	sums, err := s.periodSums(ctx, query, args, len(group), q.Granularity)
	if err != nil {
		return nil, fmt.Errorf("store: unable to query category activity: %w", err)
	}
	return s.points(ctx, sums, group)
}

// labelIDs looks up the ids of the labels of one kind that a query names;
// an unknown one is added to ve under field, with the labels known so far.
func (s *Store) labelIDs(ctx context.Context, ve *ValidationError, field, kind string, values []string) ([]any, error) {
	var ids []any
	for _, v := range values {
		id, err := s.lookupLabel(ctx, kind, strings.TrimSpace(v))
		if errors.Is(err, ErrNotFound) {
			known, err := s.labels(ctx, kind)
			if err != nil {
				return nil, err
			}
			ve.add(field, fmt.Sprintf("unknown value %q (imported so far: %s)", v, strings.Join(known, "; ")))
			continue
		} else if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// labels lists the labels of one kind, sorted.
func (s *Store) labels(ctx context.Context, kind string) ([]string, error) {
	var ls []string
	if err := s.db.WithContext(ctx).Raw(`SELECT label FROM activity_labels WHERE kind = ? ORDER BY label`, kind).Scan(&ls).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read labels: %w", err)
	}
	return ls, nil
}

// labelNames maps every label id to its text (a few hundred rows at most).
func (s *Store) labelNames(ctx context.Context) (map[int64]string, error) {
	var rows []struct {
		ID    int64
		Label string
	}
	if err := s.db.WithContext(ctx).Raw(`SELECT id, label FROM activity_labels`).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read labels: %w", err)
	}
	m := make(map[int64]string, len(rows))
	for _, r := range rows {
		m[r.ID] = r.Label
	}
	return m, nil
}
