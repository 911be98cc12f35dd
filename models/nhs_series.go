package models

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// SourceMonths names the months of an answer that came from one kind of
// file.
type SourceMonths struct {
	File   string   `json:"file"`
	Months []string `json:"months"`
}

// The file kinds a monthly activity series is read from.
const (
	SourceDaily   = "gpad_subicb_daily"
	SourceMonthly = "gpad_regional_monthly"
)

// MonthlyActivity is a monthly appointments series that runs on from the
// monthly regional files (back to 2019, CCG era included) into the daily
// sub-ICB files: a month is read from the daily data where the area has
// any, else from the monthly files.
type MonthlyActivity struct {
	Points  []ActivityPoint
	Sources []SourceMonths
}

// ActivityMonthly answers q (whose granularity is month) from both kinds
// of file. CCG codes that became sub-ICB location codes (71E) are one area.
func (s *Store) ActivityMonthly(ctx context.Context, q ActivityQuery) (MonthlyActivity, error) {
	q.Granularity = "month"
	var out MonthlyActivity
	daily, err := s.ActivitySeries(ctx, q)
	if err != nil {
		return out, err
	}
	area, err := s.queryArea(ctx, q.Area)
	if err != nil {
		return out, err
	}
	scope, sargs, err := s.scopeSQL(ctx, area, "area_id", q.Boundaries)
	if err != nil {
		return out, err
	}
	ms, _ := monthBounds(DayNumber(q.From))
	_, me := monthBounds(DayNumber(q.To))
	// Months the daily data has for the area, whatever the filters.
	dailyMonths := map[int64]bool{}
	for _, p := range daily {
		dailyMonths[DayNumber(p.Period)] = true
	}
	{
		// England and regions read their rollup (one row per day and
		// category combination), not every sub-ICB row of the years asked.
		table, w, args, err := s.activitySource(ctx, area, q.Boundaries)
		if err != nil {
			return out, err
		}
		w, args = append(w, "day >= ?", "day < ?"), append(args, ms, me)
		var days []int64
		if err := s.db.WithContext(ctx).Raw(`SELECT DISTINCT day FROM `+table+` WHERE `+strings.Join(w, " AND "), args...).Scan(&days).Error; err != nil {
			return out, fmt.Errorf("store: unable to read daily months: %w", err)
		}
		for _, d := range days {
			m, _ := monthBounds(d)
			dailyMonths[m] = true
		}
	}
	ve := &ValidationError{}
	where, args := codeFilters(ve, map[Dimension][]string{DimStatus: q.Status, DimHCP: q.HCP, DimMode: q.Mode, DimLead: q.Lead})
	var group []Dimension
	for _, g := range groupBy(ve, q.GroupBy, "status", "hcp", "mode", "lead") {
		group = append(group, Dimension(g))
	}
	if err := ve.orNil(); err != nil {
		return out, err
	}
	where = append(where, "day >= ?", "day < ?")
	args = append(args, ms, me)
	if scope != "" {
		where = append(where, scope)
		args = append(args, sargs...)
	}
	cols := []string{"day"}
	for _, g := range group {
		cols = append(cols, string(g))
	}
	sql := "SELECT " + strings.Join(cols, ", ") + ", SUM(n) FROM appt_subicb_monthly WHERE " + strings.Join(where, " AND ") +
		" GROUP BY " + strings.Join(cols, ", ")
	sums, err := s.periodSums(ctx, sql, args, len(group), "month")
	if err != nil {
		return out, fmt.Errorf("store: unable to query monthly activity: %w", err)
	}
	monthlyMonths := map[int64]bool{}
	kept := sums[:0]
	for _, ps := range sums {
		if !dailyMonths[ps.period] {
			monthlyMonths[ps.period] = true
			kept = append(kept, ps)
		}
	}
	monthlyPts, err := s.points(ctx, kept, cols[1:])
	if err != nil {
		return out, err
	}
	pts := append(append([]ActivityPoint{}, daily...), monthlyPts...)
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].Period.Before(pts[j].Period) })
	out.Points = pts
	for _, src := range []struct {
		name string
		set  map[int64]bool
	}{{SourceDaily, dailyMonths}, {SourceMonthly, monthlyMonths}} {
		if len(src.set) == 0 {
			continue
		}
		out.Sources = append(out.Sources, SourceMonths{File: src.name, Months: monthList(src.set)})
	}
	return out, nil
}

func monthList(set map[int64]bool) []string {
	days := make([]int64, 0, len(set))
	for d := range set {
		days = append(days, d)
	}
	sort.Slice(days, func(i, j int) bool { return days[i] < days[j] })
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = DayTime(d).Format("2006-01")
	}
	return out
}

// CoverageMonth is one month of the GP coverage file summed over an area:
// how many open practices sent data that month, and the patients
// registered at them.
type CoverageMonth struct {
	Month             time.Time `json:"month"`
	IncludedPractices int64     `json:"included_practices"`
	OpenPractices     int64     `json:"open_practices"`
	IncludedPatients  int64     `json:"patients_included"`
	OpenPatients      int64     `json:"patients_open"`
	// Percent is the share of patients registered at open practices whose
	// practice's data was included (the figure the publication quotes).
	Percent float64 `json:"coverage_percent"`
}

// Factor is what counts are multiplied by to stand for every open
// practice's patients (1 when nothing is known).
func (c CoverageMonth) Factor() float64 {
	if c.IncludedPatients <= 0 {
		return 1
	}
	return float64(c.OpenPatients) / float64(c.IncludedPatients)
}

// Coverage returns the GP coverage of area for each month from the month
// of from to the month of to that the coverage files hold.
func (s *Store) Coverage(ctx context.Context, area string, from, to time.Time, boundaries time.Time) ([]CoverageMonth, error) {
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return nil, &ValidationError{Fields: map[string]string{"from": "from and to are required (YYYY-MM-DD), from ≤ to"}}
	}
	a, err := s.queryArea(ctx, area)
	if err != nil {
		return nil, err
	}
	scope, sargs, err := s.scopeSQL(ctx, a, "area_id", boundaries)
	if err != nil {
		return nil, err
	}
	ms, _ := monthBounds(DayNumber(from))
	_, me := monthBounds(DayNumber(to))
	q := `SELECT day, measure, SUM(n) AS n FROM gp_coverage_monthly WHERE day >= ? AND day < ?`
	args := []any{ms, me}
	if scope != "" {
		q += " AND " + scope
		args = append(args, sargs...)
	}
	var rows []struct{ Day, Measure, N int64 }
	if err := s.db.WithContext(ctx).Raw(q+" GROUP BY day, measure ORDER BY day", args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to query coverage: %w", err)
	}
	out := []CoverageMonth{}
	for _, r := range rows {
		if len(out) == 0 || DayNumber(out[len(out)-1].Month) != r.Day {
			out = append(out, CoverageMonth{Month: DayTime(r.Day)})
		}
		c := &out[len(out)-1]
		switch r.Measure {
		case CoverageIncludedPractices:
			c.IncludedPractices = r.N
		case CoverageOpenPractices:
			c.OpenPractices = r.N
		case CoverageIncludedPatients:
			c.IncludedPatients = r.N
		case CoverageOpenPatients:
			c.OpenPatients = r.N
		}
	}
	for i := range out {
		if out[i].OpenPatients > 0 {
			out[i].Percent = 100 * float64(out[i].IncludedPatients) / float64(out[i].OpenPatients)
		}
	}
	return out, nil
}

// LabelQuery selects a daily series from a file with one labelled
// dimension beside area and day: the SDS role group or the actual
// duration files.
type LabelQuery struct {
	From, To    time.Time
	Area        string
	Granularity string
	// Values filters by published label ("Nurses"); empty means all.
	Values []string
	// Group splits the series by the label.
	Group bool
}

// labelTables are the labelled daily files: query name → table, column
// and label kind.
var labelTables = map[string]struct{ table, col, kind string }{
	"role":     {"appt_sds_role_daily", "role", LabelRole},
	"duration": {"appt_duration_daily", "duration", LabelDuration},
}

// LabelSeries returns the series of q from the file named dim ("role" or
// "duration"), grouped under dim when q.Group.
func (s *Store) LabelSeries(ctx context.Context, dim string, q LabelQuery) ([]ActivityPoint, error) {
	t, ok := labelTables[dim]
	if !ok {
		return nil, fmt.Errorf("store: no labelled series %q", dim)
	}
	ve := &ValidationError{}
	checkRange(ve, q.From, q.To, &q.Granularity)
	var where []string
	var args []any
	if len(q.Values) > 0 {
		ids, err := s.labelIDs(ctx, ve, dim, t.kind, q.Values)
		if err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			where = append(where, t.col+" IN ("+placeholders(len(ids))+")")
			args = append(args, ids...)
		}
	}
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
		where = append(where, scope)
		args = append(args, sargs...)
	}
	where = append(where, "day >= ?", "day <= ?")
	args = append(args, DayNumber(q.From), DayNumber(q.To))
	cols, ngroup := []string{"day"}, 0
	if q.Group {
		cols, ngroup = append(cols, t.col), 1
	}
	query := "SELECT " + strings.Join(cols, ", ") + ", SUM(n) FROM " + t.table + " WHERE " + strings.Join(where, " AND ") +
		" GROUP BY " + strings.Join(cols, ", ")
	sums, err := s.periodSums(ctx, query, args, ngroup, q.Granularity)
	if err != nil {
		return nil, fmt.Errorf("store: unable to query %s series: %w", dim, err)
	}
	group := []string{}
	if q.Group {
		group = []string{dim}
	}
	return s.points(ctx, sums, group)
}

// OverviewSeries returns monthly England totals from the National
// Overview file, grouped by up to four of status, hcp, mode, setting,
// context and category.
func (s *Store) OverviewSeries(ctx context.Context, from, to time.Time, groupNames []string) ([]ActivityPoint, error) {
	ve := &ValidationError{}
	g := "month"
	checkRange(ve, from, to, &g)
	group := groupBy(ve, groupNames, "status", "hcp", "mode", "setting", "context", "category")
	if len(group) > 4 {
		ve.add("group_by", "at most four dimensions")
	}
	if err := ve.orNil(); err != nil {
		return nil, err
	}
	ms, _ := monthBounds(DayNumber(from))
	_, me := monthBounds(DayNumber(to))
	cols := append([]string{"day"}, group...)
	query := "SELECT " + strings.Join(cols, ", ") + ", SUM(n) FROM appt_national_overview WHERE day >= ? AND day < ? GROUP BY " + strings.Join(cols, ", ")
	sums, err := s.periodSums(ctx, query, []any{ms, me}, len(group), "month")
	if err != nil {
		return nil, fmt.Errorf("store: unable to query the national overview: %w", err)
	}
	return s.points(ctx, sums, group)
}

// OCDayTimePoint is online-consultation submissions in one month, on one
// weekday, in one two-hour band of the day.
type OCDayTimePoint struct {
	Month   time.Time `json:"month"`
	Weekday string    `json:"weekday"`
	Band    string    `json:"band"`
	Count   int64     `json:"count"`
}

// OCDayTime returns submissions by weekday and time of day for the
// practices in area, month by month: from the by-day-and-time files, and
// for months only the daily wide files hold, by weekday (band "All day").
func (s *Store) OCDayTime(ctx context.Context, area string, from, to time.Time) ([]OCDayTimePoint, error) {
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return nil, &ValidationError{Fields: map[string]string{"from": "from and to are required (YYYY-MM-DD), from ≤ to"}}
	}
	a, err := s.queryArea(ctx, area)
	if err != nil {
		return nil, err
	}
	ms, _ := monthBounds(DayNumber(from))
	_, me := monthBounds(DayNumber(to))
	scope, sargs, err := s.practiceScopeSQL(ctx, a, "o.practice_id", time.Time{})
	if err != nil {
		return nil, err
	}
	if scope != "" {
		scope = " AND " + scope
	}
	db := s.db.WithContext(ctx)
	names, err := s.labelNames(ctx)
	if err != nil {
		return nil, err
	}
	var rows []struct{ Day, Weekday, Band, N int64 }
	q := `SELECT o.day, o.weekday, o.band, SUM(o.n) AS n FROM oc_daytime_monthly o
		WHERE o.day >= ? AND o.day < ?` + scope + ` GROUP BY o.day, o.weekday, o.band`
	if err := db.Raw(q, append([]any{ms, me}, sargs...)...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to query submissions by day and time: %w", err)
	}
	out := []OCDayTimePoint{}
	have := map[int64]bool{}
	for _, r := range rows {
		have[r.Day] = true
		out = append(out, OCDayTimePoint{DayTime(r.Day), WeekdayName(r.Weekday), names[r.Band], r.N})
	}
	// Daily wide files: TOTAL per day, summed by month and weekday.
	total, err := s.lookupLabel(ctx, LabelOCKind, "TOTAL")
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if err == nil {
		var drows []struct{ Day, N int64 }
		q := `SELECT o.day, SUM(o.n) AS n FROM oc_practice_daily o
			WHERE o.kind = ? AND o.day >= ? AND o.day < ?` + scope + ` GROUP BY o.day`
		if err := db.Raw(q, append([]any{total, ms, me}, sargs...)...).Scan(&drows).Error; err != nil {
			return nil, fmt.Errorf("store: unable to query daily submissions: %w", err)
		}
		type key struct{ month, wd int64 }
		sums := map[key]int64{}
		for _, r := range drows {
			m, _ := monthBounds(r.Day)
			if have[m] {
				continue
			}
			wd := int64(DayTime(r.Day).Weekday())
			if wd == 0 {
				wd = 7
			}
			sums[key{m, wd}] += r.N
		}
		for k, n := range sums {
			out = append(out, OCDayTimePoint{DayTime(k.month), WeekdayName(k.wd), "All day", n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Month.Equal(out[j].Month) {
			return out[i].Month.Before(out[j].Month)
		}
		if out[i].Weekday != out[j].Weekday {
			return weekdayIndex(out[i].Weekday) < weekdayIndex(out[j].Weekday)
		}
		return out[i].Band < out[j].Band
	})
	return out, nil
}

func weekdayIndex(n string) int {
	for i, w := range weekdayNames {
		if w == n {
			return i
		}
	}
	return 0
}

// CoverageMethod states how ?adjust=coverage changes counts.
const CoverageMethod = "counts scaled to every open practice: each month's count × patients registered at open practices ÷ patients registered at practices whose data was included (GP coverage file, summed over the area's sub-ICB locations); months without coverage figures are left as published"

// AdjustForCoverage scales each point by its month's coverage factor
// (CoverageMonth.Factor), rounding to whole appointments, and lists the
// months it had no coverage for (left unscaled).
func AdjustForCoverage(pts []ActivityPoint, cov []CoverageMonth) ([]ActivityPoint, []string) {
	byMonth := map[int64]CoverageMonth{}
	for _, c := range cov {
		byMonth[DayNumber(c.Month)] = c
	}
	out := make([]ActivityPoint, len(pts))
	missing := map[int64]bool{}
	for i, p := range pts {
		out[i] = p
		m, _ := monthBounds(DayNumber(p.Period))
		c, ok := byMonth[m]
		if !ok || c.IncludedPatients <= 0 {
			missing[m] = true
			continue
		}
		out[i].Count = int64(math.Round(float64(p.Count) * c.Factor()))
	}
	return out, monthList(missing)
}

// BandShares is, for each month, the share of online-consultation
// submissions made in each time band of the day (all weekdays summed):
// did requests spread through the day?
type BandShares struct {
	Months []time.Time `json:"months"`
	Bands  []string    `json:"bands"`
	// Percent[b][m] is band b's share of month m's submissions.
	Percent [][]float64 `json:"percent"`
	Totals  []int64     `json:"totals"`
}

// OCBandShares computes BandShares from OCDayTime points (bands in the
// order of the day; "All day" rows of the daily files carry no band and
// are left out).
func OCBandShares(pts []OCDayTimePoint) BandShares {
	var bs BandShares
	mi, bi := map[time.Time]int{}, map[string]int{}
	for _, p := range pts {
		if p.Band == "All day" {
			continue
		}
		if _, ok := mi[p.Month]; !ok {
			mi[p.Month] = len(bs.Months)
			bs.Months = append(bs.Months, p.Month)
		}
		if _, ok := bi[p.Band]; !ok {
			bi[p.Band] = len(bs.Bands)
			bs.Bands = append(bs.Bands, p.Band)
		}
	}
	sort.Slice(bs.Months, func(i, j int) bool { return bs.Months[i].Before(bs.Months[j]) })
	// "00:00 - 05:59" … "18:00 - 23:59" sort by their text; Unknown last.
	sort.Slice(bs.Bands, func(i, j int) bool {
		if (bs.Bands[i] == "Unknown") != (bs.Bands[j] == "Unknown") {
			return bs.Bands[j] == "Unknown"
		}
		return bs.Bands[i] < bs.Bands[j]
	})
	for i, m := range bs.Months {
		mi[m] = i
	}
	for i, b := range bs.Bands {
		bi[b] = i
	}
	counts := make([][]int64, len(bs.Bands))
	for i := range counts {
		counts[i] = make([]int64, len(bs.Months))
	}
	bs.Totals = make([]int64, len(bs.Months))
	for _, p := range pts {
		if p.Band == "All day" {
			continue
		}
		counts[bi[p.Band]][mi[p.Month]] += p.Count
		bs.Totals[mi[p.Month]] += p.Count
	}
	bs.Percent = make([][]float64, len(bs.Bands))
	for b := range counts {
		bs.Percent[b] = make([]float64, len(bs.Months))
		for m, n := range counts[b] {
			if bs.Totals[m] > 0 {
				bs.Percent[b][m] = 100 * float64(n) / float64(bs.Totals[m])
			}
		}
	}
	return bs
}

// ImportedLabels lists the labels imported so far of the labelled file
// named dim ("role" or "duration"), sorted, for a form to offer.
func (s *Store) ImportedLabels(ctx context.Context, dim string) ([]string, error) {
	t, ok := labelTables[dim]
	if !ok {
		return nil, fmt.Errorf("store: no labelled series %q", dim)
	}
	return s.labels(ctx, t.kind)
}
