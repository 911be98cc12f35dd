package models

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// ActivityQuery selects a GPAD appointments series.
type ActivityQuery struct {
	// From and To are civil dates, inclusive.
	From, To time.Time
	// Area is "" or "ENGLAND" for national, a region or ICB ONS code
	// (E40…/E54…) or a sub-ICB location code (e.g. 00L).
	Area string
	// Granularity is day, week (ISO weeks, starting Monday) or month.
	Granularity string
	// Filters, using the published labels ("Same Day", "8  to 14 Days");
	// empty means all.
	Status, HCP, Mode, Lead []string
	// GroupBy lists any of status, hcp, mode, lead.
	GroupBy []string
	// Boundaries is a month whose ICB boundaries an ICB series uses; zero
	// means the latest published.
	Boundaries time.Time
}

// ActivityPoint is one value of a series: the period's first day, the group
// it belongs to (dimension → published label; empty when not grouped) and
// the count.
type ActivityPoint struct {
	Period time.Time         `json:"period"`
	Group  map[string]string `json:"group,omitempty"`
	Count  int64             `json:"count"`
}

// maxQueryDays bounds a query so a typo cannot ask for centuries.
const maxQueryDays = 20 * 366

// periodStart maps a day to the first day of its period.
func periodStart(d time.Time, granularity string) time.Time {
	switch granularity {
	case "week":
		wd := (int(d.Weekday()) + 6) % 7 // Monday = 0
		return d.AddDate(0, 0, -wd)
	case "month":
		return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return d
}

// codeFilters turns label filters on the coded dimensions into SQL
// conditions; an unknown label is added to ve.
func codeFilters(ve *ValidationError, filters map[Dimension][]string) (where []string, args []any) {
	for _, d := range Dimensions {
		var codes []any
		for _, c := range parseLabels(ve, string(d), d, filters[d]) {
			codes = append(codes, c)
		}
		if len(codes) > 0 {
			where = append(where, string(d)+" IN ("+placeholders(len(codes))+")")
			args = append(args, codes...)
		}
	}
	return where, args
}

// placeholders is "?,?,…", n of them.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// groupBy reads a query's group_by names (any case, repeats ignored),
// adding to ve any that is not one of allowed.
func groupBy(ve *ValidationError, names []string, allowed ...string) []string {
	var group []string
	for _, g := range names {
		g = strings.ToLower(strings.TrimSpace(g))
		if !slices.Contains(allowed, g) {
			ve.add("group_by", "must be any of "+strings.Join(allowed, ", "))
			continue
		}
		if !slices.Contains(group, g) {
			group = append(group, g)
		}
	}
	return group
}

// queryArea resolves the area a query names; an unknown one is a
// validation error.
func (s *Store) queryArea(ctx context.Context, code string) (Area, error) {
	a, err := s.ResolveArea(ctx, code)
	if errors.Is(err, ErrNotFound) {
		return Area{}, &ValidationError{Fields: map[string]string{"area": fmt.Sprintf("unknown area %q", code)}}
	}
	return a, err
}

// checkRange validates a series' dates and granularity ("" means day).
func checkRange(ve *ValidationError, from, to time.Time, granularity *string) {
	if *granularity == "" {
		*granularity = "day"
	}
	if g := *granularity; g != "day" && g != "week" && g != "month" {
		ve.add("granularity", "must be day, week or month")
	}
	if from.IsZero() || to.IsZero() {
		ve.add("from", "from and to are required (YYYY-MM-DD)")
	} else if to.Before(from) {
		ve.add("to", "must not be before from")
	} else if to.Sub(from) > maxQueryDays*24*time.Hour {
		ve.add("to", "the range may span at most 20 years")
	}
}

// ActivitySeries returns the appointment counts for q, served from the
// daily rollups (national, region) or the sub-ICB table, so a query
// over years reads one row per day and category combination.
func (s *Store) ActivitySeries(ctx context.Context, q ActivityQuery) ([]ActivityPoint, error) {
	ve := &ValidationError{}
	checkRange(ve, q.From, q.To, &q.Granularity)
	where, args := codeFilters(ve, map[Dimension][]string{DimStatus: q.Status, DimHCP: q.HCP, DimMode: q.Mode, DimLead: q.Lead})
	var group []Dimension
	for _, g := range groupBy(ve, q.GroupBy, "status", "hcp", "mode", "lead") {
		group = append(group, Dimension(g))
	}
	if err := ve.orNil(); err != nil {
		return nil, err
	}
	area, err := s.queryArea(ctx, q.Area)
	if err != nil {
		return nil, err
	}
	table, w, a, err := s.activitySource(ctx, area, q.Boundaries)
	if err != nil {
		return nil, err
	}
	where, args = append(where, w...), append(args, a...)
	where = append(where, "day >= ?", "day <= ?")
	args = append(args, DayNumber(q.From), DayNumber(q.To))
	cols := []string{"day"}
	for _, g := range group {
		cols = append(cols, string(g))
	}
	sql := "SELECT " + strings.Join(cols, ", ") + ", SUM(n) FROM " + table + " WHERE " + strings.Join(where, " AND ") +
		" GROUP BY " + strings.Join(cols, ", ") + " ORDER BY day"
	sums, err := s.periodSums(ctx, sql, args, len(group), q.Granularity)
	if err != nil {
		return nil, fmt.Errorf("store: unable to query activity: %w", err)
	}
	return s.points(ctx, sums, cols[1:])
}

// points turns period sums into series points, naming each group value:
// a coded dimension (status, hcp, mode, lead) by its published label, any
// other from the label table.
func (s *Store) points(ctx context.Context, sums []periodSum, group []string) ([]ActivityPoint, error) {
	var names map[int64]string
	for _, g := range group {
		if !slices.Contains(Dimensions, Dimension(g)) && names == nil {
			var err error
			if names, err = s.labelNames(ctx); err != nil {
				return nil, err
			}
		}
	}
	out := make([]ActivityPoint, 0, len(sums))
	for _, ps := range sums {
		p := ActivityPoint{Period: DayTime(ps.period), Count: ps.n}
		if len(group) > 0 {
			p.Group = map[string]string{}
			for i, g := range group {
				if slices.Contains(Dimensions, Dimension(g)) {
					p.Group[g] = CodeLabel(Dimension(g), Code(ps.group[i]))
				} else {
					p.Group[g] = names[ps.group[i]]
				}
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// maxGroupDims is the most dimensions a series can be grouped by: the
// practice series has five (status, hcp, mode, lead, category), and
// groupBy allows each at most once.
const maxGroupDims = 5

// periodSum is one period's total for one group of category values.
type periodSum struct {
	period int64
	group  [maxGroupDims]int64
	n      int64
}

// periodSums runs query, whose rows are (day, up to maxGroupDims group values,
// sum), and adds the rows up by period (the first day of the day's week or
// month) and group, in period order, then group order.
func (s *Store) periodSums(ctx context.Context, query string, args []any, ngroup int, granularity string) ([]periodSum, error) {
	if ngroup > maxGroupDims {
		return nil, fmt.Errorf("store: %d group dimensions, at most %d", ngroup, maxGroupDims)
	}
	rows, err := s.db.WithContext(ctx).Raw(query, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type key struct {
		period int64
		group  [maxGroupDims]int64
	}
	sums := map[key]int64{}
	var order []key
	dest := make([]int64, ngroup+2)
	ptrs := make([]any, len(dest))
	for i := range dest {
		ptrs[i] = &dest[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		k := key{period: DayNumber(periodStart(DayTime(dest[0]), granularity))}
		copy(k.group[:], dest[1:1+ngroup])
		if _, ok := sums[k]; !ok {
			order = append(order, k)
		}
		sums[k] += dest[len(dest)-1]
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].period != order[j].period {
			return order[i].period < order[j].period
		}
		for g := 0; g < ngroup; g++ {
			if order[i].group[g] != order[j].group[g] {
				return order[i].group[g] < order[j].group[g]
			}
		}
		return false
	})
	out := make([]periodSum, len(order))
	for i, k := range order {
		out[i] = periodSum{k.period, k.group, sums[k]}
	}
	return out, nil
}

// OCSeries returns monthly online-consultation figures for metric (e.g.
// OC_TOTAL_SUBMISSIONS) summed over the practices in area ("" or ENGLAND,
// a region or ICB ONS code, a sub-ICB code or a practice code), from the
// first month of from to the month of to. Values are stored in millionths
// and rounded to whole numbers here; summing is meaningful for counts, not
// for rates.
func (s *Store) OCSeries(ctx context.Context, from, to time.Time, area string, metric string) ([]ActivityPoint, error) {
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return nil, &ValidationError{Fields: map[string]string{"from": "from and to are required, from ≤ to"}}
	}
	metric = strings.ToUpper(strings.TrimSpace(metric))
	if metric == "" {
		metric = "OC_TOTAL_SUBMISSIONS"
	}
	mid, err := s.lookupLabel(ctx, LabelMetric, metric)
	if errors.Is(err, ErrNotFound) {
		return []ActivityPoint{}, nil
	} else if err != nil {
		return nil, err
	}
	a, err := s.queryArea(ctx, area)
	if err != nil {
		return nil, err
	}
	ms, _ := monthBounds(DayNumber(from))
	_, me := monthBounds(DayNumber(to))
	scope, sargs, err := s.practiceScopeSQL(ctx, a, "practice_id", time.Time{})
	if err != nil {
		return nil, err
	}
	q := `SELECT day, SUM(n) AS sum FROM oc_practice_monthly WHERE metric = ? AND day >= ? AND day < ?`
	args := []any{mid, ms, me}
	if scope != "" {
		q += " AND " + scope
		args = append(args, sargs...)
	}
	q += " GROUP BY day ORDER BY day"
	var rows []struct {
		Day int64
		Sum int64
	}
	if err := s.db.WithContext(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to query online consultations: %w", err)
	}
	out := make([]ActivityPoint, 0, len(rows))
	for _, r := range rows {
		out = append(out, ActivityPoint{Period: DayTime(r.Day), Count: int64(math.Round(float64(r.Sum) / 1e6))})
	}
	return out, nil
}
