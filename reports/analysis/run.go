package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/strikeline/strikeline/reports/holidays"
	"github.com/strikeline/strikeline/reports/impact"
)

// Source provides activity series. The models.Store adapter in store.go is
// the production one; tests use an in-memory series.
type Source interface {
	// Daily returns, for each day in [from, to] that has data, the sum of
	// the counts f selects in area (ENGLAND or an area code). Monthly
	// datasets return one point on the first day of each month.
	Daily(ctx context.Context, area string, from, to time.Time, f impact.Filter) (impact.Series, error)
}

// Options tunes Run; the zero value is the DOMAIN defaults.
type Options struct {
	Baseline impact.BaselineOptions
	ITS      impact.ITSOptions
	SPC      impact.SPCOptions
	// SPCWeeksBefore is how many weeks before the window the SPC chart's
	// centre line is computed from (default 12: long enough for stable
	// limits, short enough that the seasonal cycle does not read as a
	// special cause).
	SPCWeeksBefore int
	// ITSYearsBefore is how much history the ITS fit uses before the
	// intervention (default 2 years, so the annual terms are identified).
	ITSYearsBefore int
}

func (o Options) withDefaults() Options {
	if o.SPCWeeksBefore == 0 {
		o.SPCWeeksBefore = 12
	}
	if o.ITSYearsBefore == 0 {
		o.ITSYearsBefore = 2
	}
	return o
}

// Result is the impact of one event on each of its metrics.
type Result struct {
	Spec    Spec
	Options Options
	Metrics []MetricResult
	// Coverage compares the GP coverage of the baseline and the window
	// (nil when no coverage file is imported for the areas).
	Coverage *CoverageCheck
}

// MetricResult is one metric's analysis. Err is set (and the method results
// nil) when the metric could not be analysed, e.g. no data imported yet.
type MetricResult struct {
	// Metric is the metric as analysed: its filters narrowed by the slice.
	Metric impact.Metric
	Series impact.Series // the data analysed, ascending (daily ratios for a ratio)
	// Numerator and Denominator are a ratio metric's daily sums.
	Numerator, Denominator impact.Series
	// SliceIgnored lists slice dimensions a ratio ignores because it is a
	// share of that dimension (see applySlice).
	SliceIgnored []string
	// Phases are the windows around a strike — before, during, after and
	// net — each compared with its weekday baseline, in that order. Baseline
	// is the "during" phase and Net the "net" one.
	Phases   []Phase
	Baseline *impact.BaselineResult
	// Net is the baseline comparison over the window ± 2 weeks, which nets
	// out appointments moved to days around a strike (DOMAIN §4.5).
	Net *impact.BaselineResult
	ITS *impact.ITSResult
	SPC *SPCChart
	Err error
}

// Phase names.
const (
	PhaseBefore = "before"
	PhaseDuring = "during"
	PhaseAfter  = "after"
	PhaseNet    = "net"
)

// Phase is one window around an event with its baseline comparison.
type Phase struct {
	Name   string // PhaseBefore, PhaseDuring, PhaseAfter or PhaseNet
	Label  string // in words, e.g. "Announcement to start"
	Window impact.DateRange
	Result *impact.BaselineResult
	Err    error
}

// SPCChart is an XmR chart of weekly means around the event.
type SPCChart struct {
	Weeks  []time.Time // Monday of each week
	Result impact.SPCResult
	// Signal is the most serious special cause in the event's weeks, or
	// "Common Cause".
	Signal string
	// BaselineWeeks is the number of weeks before the event the limits come
	// from.
	BaselineWeeks int
}

// ErrNoData means the source had nothing for the period and area.
var ErrNoData = errors.New("no activity data for this period and area")

// Run analyses spec against src.
func Run(ctx context.Context, src Source, spec Spec, opt Options) (*Result, error) {
	opt = opt.withDefaults()
	opt.Baseline.Exclude = append(append([]impact.DateRange{}, opt.Baseline.Exclude...), spec.Exclude...)
	opt.ITS.Exclude = append(append([]impact.DateRange{}, opt.ITS.Exclude...), spec.Exclude...)
	res := &Result{Spec: spec, Options: opt}
	if spec.Method == MethodNone {
		return res, nil
	}
	from, to := fetchRange(spec, opt)
	var err error
	if res.Coverage, err = coverageFor(ctx, src, spec, opt); err != nil {
		return nil, err
	}
	for _, m := range spec.Metrics {
		sm, ignored, err := applySlice(m, spec.Slice)
		mr := MetricResult{Metric: sm, SliceIgnored: ignored}
		if err != nil {
			mr.Metric, mr.Err = m, err
			res.Metrics = append(res.Metrics, mr)
			continue
		}
		num, den, err := metricSums(ctx, src, spec.Areas, from, to, sm)
		if err != nil {
			return nil, fmt.Errorf("analysis: fetching %s: %w", m.Key, err)
		}
		mr.Series = toSeries(num)
		if sm.IsRatio() {
			mr.Numerator, mr.Denominator = toSeries(num), toSeries(den)
			mr.Series = toSeries(ratios(num, den))
		}
		if len(mr.Series) == 0 {
			mr.Err = ErrNoData
		} else {
			analyse(&mr, spec, opt)
		}
		res.Metrics = append(res.Metrics, mr)
	}
	return res, nil
}

// Span is the event's whole analysed span: from the start of the pre-strike
// window to the end of recovery (just the window for other methods).
func (sp Spec) Span() impact.DateRange {
	r := sp.Window
	if !sp.Before.From.IsZero() {
		r.From = sp.Before.From
	}
	if !sp.After.To.IsZero() {
		r.To = sp.After.To
	}
	return r
}

// phases lists the windows a baseline event is measured over.
func (sp Spec) phases() []Phase {
	var out []Phase
	if !sp.Before.From.IsZero() {
		label := "Announcement to start"
		if sp.BeforeFrom != "announced_on" {
			label = fmt.Sprintf("%d days before (no announcement date recorded)", sp.Before.Days())
		}
		out = append(out, Phase{Name: PhaseBefore, Label: label, Window: sp.Before})
	}
	out = append(out, Phase{Name: PhaseDuring, Label: "During the action", Window: sp.Window})
	if !sp.After.From.IsZero() {
		out = append(out, Phase{Name: PhaseAfter, Label: fmt.Sprintf("Recovery (%d days after)", sp.After.Days()), Window: sp.After})
	}
	if len(out) > 1 {
		out = append(out, Phase{Name: PhaseNet, Label: "Net over all windows", Window: sp.Span()})
	}
	return out
}

// baselineOf runs the weekday baseline of mr over window: on the daily
// values for a count, on numerator and denominator for a ratio, so the
// window figure is Σnum/Σden.
func baselineOf(mr *MetricResult, window impact.DateRange, o impact.BaselineOptions) (impact.BaselineResult, error) {
	if mr.Metric.IsRatio() {
		return impact.BaselineRatio(mr.Numerator, mr.Denominator, window, o)
	}
	return impact.Baseline(mr.Series, window, o)
}

func ratios(num, den map[time.Time]float64) map[time.Time]float64 {
	out := map[time.Time]float64{}
	for d, v := range den {
		if v > 0 {
			out[d] = num[d] / v
		}
	}
	return out
}

// fetchRange is the data needed: the baseline's look-back and the net
// margin for short windows; years of history for ITS.
func fetchRange(spec Spec, opt Options) (from, to time.Time) {
	w := spec.Window
	switch spec.Method {
	case MethodITS:
		return w.From.AddDate(-opt.ITSYearsBefore, 0, 0), w.To
	default:
		weeks := max(opt.Baseline.MaxWeeks, opt.Baseline.WidenWeeks, impact.DefaultMaxWeeks)
		if opt.Baseline.WidenWeeks == 0 {
			weeks = max(weeks, impact.DefaultWidenWeeks)
		}
		span := spec.Span()
		before := int(w.From.Sub(span.From).Hours() / 24)
		after := int(span.To.Sub(w.To).Hours() / 24)
		back := max(weeks*7+before, opt.SPCWeeksBefore*7+7)
		return w.From.AddDate(0, 0, -back), w.To.AddDate(0, 0, max(after, impact.NetEffectMargin)+7)
	}
}

func analyse(mr *MetricResult, spec Spec, opt Options) {
	monthly := mr.Metric.Numerator.Dataset == impact.OnlineConsultations
	switch {
	case monthly:
		// Monthly data has no weekdays to match and too few points for a
		// daily ITS: an XmR chart of the months, limits from the months
		// before the event, is the honest summary.
		mr.SPC = monthlySPC(mr.Series, spec.Window.From, opt)
	case spec.Method == MethodBaseline:
		// The recovery and net windows keep the whole span out of their
		// baselines: strike days are not normal days for the days after.
		// The action itself is measured as documented, against the six
		// weeks before it, so its figure does not move when a notice or
		// announcement date is recorded; a pre-strike effect shows in the
		// "before" window instead.
		span := opt.Baseline
		span.Own = append(append([]impact.DateRange{}, span.Own...), spec.Span())
		for _, ph := range spec.phases() {
			o := opt.Baseline
			if ph.Name == PhaseAfter || ph.Name == PhaseNet {
				o = span
			}
			b, err := baselineOf(mr, ph.Window, o)
			ph.Result, ph.Err = &b, err
			mr.Phases = append(mr.Phases, ph)
			switch ph.Name {
			case PhaseDuring:
				mr.Baseline = ph.Result
				if err != nil {
					mr.Err = err
				}
			case PhaseNet:
				if err == nil {
					mr.Net = ph.Result
				}
			}
		}
		mr.SPC = weeklySPC(mr.Series, spec.Window, opt)
	case spec.Method == MethodITS:
		r, err := impact.ITS(mr.Series, spec.Window.From, opt.ITS)
		if err != nil {
			mr.Err = err
			return
		}
		mr.ITS = &r
		mr.SPC = weeklySPC(mr.Series, impact.Range(spec.Window.From, spec.Window.From.AddDate(0, 0, 6)), opt)
	}
}

// metricSums returns the metric's daily numerator sums over the areas and,
// for a ratio, its denominator sums.
func metricSums(ctx context.Context, src Source, areas []string, from, to time.Time, m impact.Metric) (num, den map[time.Time]float64, err error) {
	num, err = sumAreas(ctx, src, areas, from, to, m.Numerator)
	if err != nil || !m.IsRatio() {
		return num, nil, err
	}
	den, err = sumAreas(ctx, src, areas, from, to, m.Denominator)
	return num, den, err
}

func sumAreas(ctx context.Context, src Source, areas []string, from, to time.Time, f impact.Filter) (map[time.Time]float64, error) {
	sum := map[time.Time]float64{}
	for _, a := range areas {
		s, err := src.Daily(ctx, a, from, to, f)
		if err != nil {
			return nil, err
		}
		for _, p := range s {
			sum[impact.Civil(p.Day)] += p.Value
		}
	}
	return sum, nil
}

func toSeries(m map[time.Time]float64) impact.Series {
	s := make(impact.Series, 0, len(m))
	for d, v := range m {
		s = append(s, impact.Point{Day: d, Value: v})
	}
	return s.Sorted()
}

// weeklySPC charts the mean of each week's working days (so bank holidays
// and weekends do not make their own signals), with limits from the weeks
// before the window, and reports the strongest signal in the window's weeks.
func weeklySPC(s impact.Series, window impact.DateRange, opt Options) *SPCChart {
	start := monday(window.From).AddDate(0, 0, -7*opt.SPCWeeksBefore)
	end := monday(window.To)
	sums := map[time.Time][2]float64{}
	for _, p := range s {
		if p.Day.Before(start) || p.Day.After(end.AddDate(0, 0, 6)) || math.IsNaN(p.Value) {
			continue
		}
		if wd := p.Day.Weekday(); wd == time.Saturday || wd == time.Sunday || isHoliday(p.Day) {
			continue
		}
		w := monday(p.Day)
		v := sums[w]
		sums[w] = [2]float64{v[0] + p.Value, v[1] + 1}
	}
	var weeks []time.Time
	var values []float64
	baseline := 0
	for w := start; !w.After(end); w = w.AddDate(0, 0, 7) {
		v, ok := sums[w]
		if !ok {
			continue
		}
		weeks = append(weeks, w)
		values = append(values, v[0]/v[1])
		if w.Before(monday(window.From)) {
			baseline++
		}
	}
	if baseline < 2 || len(values) == 0 {
		return nil
	}
	o := opt.SPC
	o.BaselinePoints = baseline
	r := impact.SPC(values, o)
	return &SPCChart{Weeks: weeks, Result: r, Signal: signal(r, baseline), BaselineWeeks: baseline}
}

func monthlySPC(s impact.Series, eventDay time.Time, opt Options) *SPCChart {
	var months []time.Time
	var values []float64
	baseline := 0
	for _, p := range s {
		months = append(months, p.Day)
		values = append(values, p.Value)
		if p.Day.Before(eventDay) {
			baseline++
		}
	}
	if baseline < 2 {
		return nil
	}
	o := opt.SPC
	o.BaselinePoints = baseline
	r := impact.SPC(values, o)
	return &SPCChart{Weeks: months, Result: r, Signal: signal(r, baseline), BaselineWeeks: baseline}
}

// signal is the label of the first special-cause point at or after the
// event, by rule precedence; "Common Cause" if there is none.
func signal(r impact.SPCResult, from int) string {
	best, label := 99, "Common Cause"
	rank := map[impact.Rule]int{impact.RuleOutsideLimits: 0, impact.RuleTrend: 1, impact.RuleTwoOfThree: 2, impact.RuleShift: 3}
	for _, p := range r.Points[from:] {
		if p.Rule == impact.RuleNone {
			continue
		}
		if rk := rank[p.Rule]; rk < best {
			best, label = rk, p.Label
		}
	}
	return label
}

func monday(t time.Time) time.Time {
	d := impact.Civil(t)
	off := (int(d.Weekday()) + 6) % 7
	return d.AddDate(0, 0, -off)
}

func isHoliday(d time.Time) bool { return holidays.IsBankHoliday(d) }
