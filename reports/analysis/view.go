package analysis

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/impact"
)

// View is the JSON shape of a Result: plain numbers and dates, with the
// method and its parameters echoed so a reader can reproduce it.
type View struct {
	EventID    int64      `json:"event_id"`
	Kind       string     `json:"kind"`
	Title      string     `json:"title"`
	Method     Method     `json:"method"`
	Parameters ParamsView `json:"parameters"`
	Window     WindowView `json:"window"`
	Areas      []string   `json:"areas"`
	Overridden []string   `json:"overridden,omitempty"`
	// Slice is what the figures count, in words and as filters.
	Slice   SliceView    `json:"slice"`
	Metrics []MetricView `json:"metrics"`
	// Coverage is the GP coverage of the baseline and the window, with a
	// warning when they differ by more than CoverageTolerance points.
	Coverage *CoverageCheck `json:"coverage,omitempty"`
	// DataState identifies the imported data the figures were computed
	// from (set when the result is stored; see Stored).
	DataState string `json:"data_state,omitempty"`
	// Detail is true when the per-day rows are included (?detail=days).
	Detail bool `json:"detail"`
}

// SliceView is the slice of activity analysed.
type SliceView struct {
	// Description in words, e.g. "appointments with a GP, England".
	Description string `json:"description"`
	Source      string `json:"source"` // default, event (a planner's) or request
	// Dataset is "roles" or "durations" when the figures come from the SDS
	// role group or actual duration file (empty: the appointments file).
	Dataset  string   `json:"dataset,omitempty"`
	Role     []string `json:"role,omitempty"`
	Duration []string `json:"duration,omitempty"`
	Status   []string `json:"status,omitempty"`
	HCP      []string `json:"hcp,omitempty"`
	Mode     []string `json:"mode,omitempty"`
	Lead     []string `json:"lead,omitempty"`
	Areas    []string `json:"areas"`
}

// WindowEffect is the plain effect over one window around an event: what
// was observed, what was expected (with its 95% interval), the absolute
// difference and the relative effect Effect = observed / expected − 1 with
// its interval Lower..Upper. For a ratio metric the figures are window
// rates (Σnumerator / Σdenominator), never sums of daily rates.
type WindowEffect struct {
	Name          string  `json:"name"`  // before, during, after, net
	Label         string  `json:"label"` // in words
	From          string  `json:"from"`
	To            string  `json:"to"`
	Days          int     `json:"days_included"`
	Observed      float64 `json:"observed"`
	Expected      float64 `json:"expected"`
	ExpectedLower float64 `json:"expected_lower"`
	ExpectedUpper float64 `json:"expected_upper"`
	Difference    float64 `json:"difference"`
	DiffLower     float64 `json:"difference_lower"`
	DiffUpper     float64 `json:"difference_upper"`
	Effect        float64 `json:"effect"`
	Lower         float64 `json:"lower"`
	Upper         float64 `json:"upper"`
	Error         string  `json:"error,omitempty"`
	// Excluded lists the window's own days its figure leaves out because
	// of the calendar (bank holidays, Christmas to New Year), with the
	// reason: a recovery window that runs into Christmas is measured on
	// its ordinary days.
	Excluded []ExcludedDayView `json:"excluded_days,omitempty"`
}

// ExcludedDayView is a day kept out of the baselines, and why.
type ExcludedDayView struct {
	Date   string `json:"date"`
	Reason string `json:"reason"`
}

// ParamsView echoes the method parameters.
type ParamsView struct {
	BaselineWeeks    int          `json:"baseline_weeks,omitempty"`
	BaselineMaxWeeks int          `json:"baseline_max_weeks,omitempty"`
	NetMarginDays    int          `json:"net_margin_days,omitempty"`
	ExcludedWindows  []WindowView `json:"excluded_windows,omitempty"`
	SPCBaseline      string       `json:"spc_baseline"`
	SPCScreening     bool         `json:"spc_moving_range_screening"`
	ITSHistoryYears  int          `json:"its_history_years,omitempty"`
	Confidence       float64      `json:"confidence"`
}

// WindowView is an inclusive date range.
type WindowView struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// MetricView is one metric's result.
type MetricView struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Unit  string `json:"unit"`
	Ratio bool   `json:"ratio"`
	Error string `json:"error,omitempty"`
	// NotMeasured says why, with a code and the dates (set with Error).
	NotMeasured *NotMeasured `json:"not_measured,omitempty"`
	// Windows are the effects before, during and after the action and net
	// over all three (strike rounds), in that order.
	Windows []WindowEffect `json:"windows,omitempty"`
	// Excluded lists the days left out of the baselines with the reason
	// (bank holiday, Christmas to New Year, another event's window, …).
	Excluded []ExcludedDayView `json:"excluded_days,omitempty"`
	// OverlapNote says when other events' windows made a baseline thinner;
	// WidenedNote when the look-back had to be widened; SliceNote when a
	// ratio ignores part of the slice. Empty when there is nothing to say.
	OverlapNote string        `json:"overlap_note,omitempty"`
	WidenedNote string        `json:"widened_note,omitempty"`
	SliceNote   string        `json:"slice_note,omitempty"`
	Baseline    *BaselineView `json:"baseline,omitempty"`
	Net         *BaselineView `json:"net_effect,omitempty"`
	ITS         *ITSView      `json:"its,omitempty"`
	SPC         *SPCView      `json:"spc,omitempty"`
}

// EstimateView is a value with its 95% interval.
type EstimateView struct {
	Value float64 `json:"value"`
	Lower float64 `json:"lower"`
	Upper float64 `json:"upper"`
}

// EffectView is one CausalImpact-style row.
type EffectView struct {
	Actual   float64      `json:"actual"`
	Expected EstimateView `json:"expected"`
	Absolute EstimateView `json:"absolute_effect"`
	Relative EstimateView `json:"relative_effect"`
}

// BaselineView is the weekday-baseline comparison.
type BaselineView struct {
	Window       WindowView    `json:"window"`
	DaysIncluded int           `json:"days_included"`
	Average      EffectView    `json:"average"`
	Cumulative   EffectView    `json:"cumulative"`
	Formula      string        `json:"formula"`
	Days         []BaselineDay `json:"days,omitempty"`
}

// BaselineDay is one day's comparison.
type BaselineDay struct {
	Date         string    `json:"date"`
	Observed     *float64  `json:"observed"`
	Expected     *float64  `json:"expected"`
	Lower        *float64  `json:"lower"`
	Upper        *float64  `json:"upper"`
	Difference   *float64  `json:"difference"`
	PctDiff      *float64  `json:"pct_difference"`
	BaselineDays []string  `json:"baseline_days"`
	Baseline     []float64 `json:"baseline_values"`
	Included     bool      `json:"included"`
	Note         string    `json:"note,omitempty"`
}

// ITSView is the interrupted time series fit.
type ITSView struct {
	InterventionDay    string       `json:"intervention_day"`
	N                  int          `json:"n"`
	MaxLags            int          `json:"max_lags"`
	Seasonal           bool         `json:"seasonal"`
	Level              CoefView     `json:"level_change"`
	Slope              CoefView     `json:"slope_change_per_day"`
	MeanRelativeChange float64      `json:"mean_relative_change"`
	Formula            string       `json:"formula"`
	Days               []ITSDayView `json:"days,omitempty"`
	Coefficients       []CoefView   `json:"coefficients"`
}

// CoefView is one ITS coefficient.
type CoefView struct {
	Term     string  `json:"term"`
	Estimate float64 `json:"estimate"`
	SE       float64 `json:"se"`
	Lower    float64 `json:"lower"`
	Upper    float64 `json:"upper"`
	P        float64 `json:"p"`
}

// ITSDayView is one modelled day with its counterfactual.
type ITSDayView struct {
	Date           string  `json:"date"`
	Observed       float64 `json:"observed"`
	Fitted         float64 `json:"fitted"`
	Counterfactual float64 `json:"counterfactual"`
}

// SPCView is the XmR chart.
type SPCView struct {
	Signal        string         `json:"signal"`
	BaselinePoint int            `json:"baseline_points"`
	Formula       string         `json:"formula"`
	Points        []SPCPointView `json:"points"`
}

// SPCPointView is one chart point.
type SPCPointView struct {
	Period string  `json:"period"`
	Value  float64 `json:"value"`
	Mean   float64 `json:"mean"`
	UPL    float64 `json:"upper_limit"`
	LPL    float64 `json:"lower_limit"`
	Rule   string  `json:"rule,omitempty"`
	Label  string  `json:"label"`
}

func date(t time.Time) string { return t.Format(time.DateOnly) }

func window(r impact.DateRange) WindowView { return WindowView{From: date(r.From), To: date(r.To)} }

func est(e impact.Estimate) EstimateView {
	return EstimateView{Value: finite(e.Value), Lower: finite(e.Lower), Upper: finite(e.Upper)}
}

func effect(e impact.EffectRow) EffectView {
	return EffectView{Actual: e.Actual, Expected: est(e.Expected), Absolute: est(e.Absolute), Relative: est(e.Relative)}
}

// finite keeps JSON encodable: NaN and ±Inf become 0 (they only arise for
// empty windows, which carry an error message).
func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

func ptr(f float64) *float64 { f = finite(f); return &f }

// View converts r to its JSON shape.
func (r *Result) View() View {
	o := r.Options
	v := View{EventID: r.Spec.EventID, Kind: string(r.Spec.Kind), Title: r.Spec.Title, Method: r.Spec.Method,
		Window: window(r.Spec.Window), Areas: r.Spec.Areas, Overridden: r.Spec.Overridden, Metrics: []MetricView{}, Detail: true, Coverage: r.Coverage}
	sl := r.Spec.Slice
	v.Slice = SliceView{Description: DescribeSlice(sl, r.Spec.Areas), Source: r.Spec.SliceFrom,
		Dataset: sl.Dataset, Role: sl.Role, Duration: sl.Duration,
		Status: sl.Status, HCP: sl.HCP, Mode: sl.Mode, Lead: sl.Lead, Areas: r.Spec.Areas}
	v.Parameters = ParamsView{SPCBaseline: fmt.Sprintf("weekly means of working days, limits from the %d weeks before the event (months for monthly data)", o.SPCWeeksBefore),
		SPCScreening: o.SPC.ScreenMovingRanges, Confidence: impact.Confidence}
	switch r.Spec.Method {
	case MethodBaseline:
		v.Parameters.BaselineWeeks = nz(o.Baseline.Weeks, impact.DefaultBaselineWeeks)
		v.Parameters.BaselineMaxWeeks = nz(o.Baseline.MaxWeeks, impact.DefaultMaxWeeks)
		v.Parameters.NetMarginDays = impact.NetEffectMargin
	case MethodITS:
		v.Parameters.ITSHistoryYears = o.ITSYearsBefore
	}
	for _, x := range r.Spec.Exclude {
		v.Parameters.ExcludedWindows = append(v.Parameters.ExcludedWindows, window(x))
	}
	for _, m := range r.Metrics {
		mv := MetricView{Key: m.Metric.Key, Label: m.Metric.Label, Unit: m.Metric.Unit, Ratio: m.Metric.IsRatio()}
		if m.Err != nil {
			mv.Error = m.Err.Error()
			mv.NotMeasured = notMeasured(m.Err, m, r.Spec)
		}
		phaseViews(&mv, m, r.Spec)
		if m.Baseline != nil {
			mv.Baseline = baselineView(m.Baseline)
		}
		if m.Net != nil {
			// Its days give the page's chart expected values either side
			// of the window.
			mv.Net = baselineView(m.Net)
		}
		if m.ITS != nil {
			mv.ITS = itsView(m.ITS)
		}
		if m.SPC != nil {
			mv.SPC = spcView(m.SPC)
		}
		v.Metrics = append(v.Metrics, mv)
	}
	return v
}

// Compact drops the per-day rows (baseline days, ITS days), the default
// API answer; the windows, notes and SPC chart stay.
func (v View) Compact() View {
	v.Detail = false
	ms := make([]MetricView, len(v.Metrics))
	for i, m := range v.Metrics {
		if m.Baseline != nil {
			b := *m.Baseline
			b.Days = nil
			m.Baseline = &b
		}
		if m.Net != nil {
			n := *m.Net
			n.Days = nil
			m.Net = &n
		}
		if m.ITS != nil {
			it := *m.ITS
			it.Days = nil
			m.ITS = &it
		}
		ms[i] = m
	}
	v.Metrics = ms
	return v
}

// phaseViews fills the plain windows, the left-out days and the notes.
func phaseViews(mv *MetricView, m MetricResult, sp Spec) {
	if len(m.SliceIgnored) > 0 {
		mv.SliceNote = fmt.Sprintf("%s is a share across %s, so the slice's %s filter does not apply to it",
			m.Metric.Label, strings.Join(m.SliceIgnored, ", "), strings.Join(m.SliceIgnored, ", "))
	}
	excluded := map[string]string{}
	widened, maxWeeks := 0, 0
	for _, ph := range m.Phases {
		w := WindowEffect{Name: ph.Name, Label: ph.Label, From: date(ph.Window.From), To: date(ph.Window.To)}
		if ph.Err != nil {
			w.Error = ph.Err.Error()
		}
		if b := ph.Result; b != nil {
			if ph.Err == nil {
				c := b.Cumulative
				w.Days, w.Observed = b.DaysIncluded, finite(c.Actual)
				w.Expected, w.ExpectedLower, w.ExpectedUpper = finite(c.Expected.Value), finite(c.Expected.Lower), finite(c.Expected.Upper)
				w.Difference, w.DiffLower, w.DiffUpper = finite(c.Absolute.Value), finite(c.Absolute.Lower), finite(c.Absolute.Upper)
				w.Effect, w.Lower, w.Upper = finite(c.Relative.Value), finite(c.Relative.Lower), finite(c.Relative.Upper)
			}
			for _, x := range b.WindowExcluded {
				w.Excluded = append(w.Excluded, ExcludedDayView{Date: date(x.Day), Reason: x.Reason})
			}
			for _, x := range b.Excluded {
				if x.Reason != impact.ReasonNoData && x.Reason != impact.ReasonOwnWindow {
					excluded[date(x.Day)] = x.Reason
				}
			}
			if ph.Name == PhaseNet || len(m.Phases) == 1 {
				widened += b.Widened
			}
			for _, d := range b.Days {
				if d.Widened {
					maxWeeks = max(maxWeeks, d.WeeksSearched)
				}
			}
		}
		mv.Windows = append(mv.Windows, w)
	}
	var thinned []string
	for d, why := range excluded {
		mv.Excluded = append(mv.Excluded, ExcludedDayView{Date: d, Reason: why})
	}
	sort.Slice(mv.Excluded, func(i, j int) bool { return mv.Excluded[i].Date < mv.Excluded[j].Date })
	for _, o := range sp.Others {
		hit := false
		for _, x := range mv.Excluded {
			if x.Reason == impact.ReasonOtherEvent && o.Window.Contains(mustDay(x.Date)) {
				hit = true
				break
			}
		}
		if hit {
			thinned = append(thinned, fmt.Sprintf("%s (%s to %s)", o.Title, o.Window.From.Format("2 Jan 2006"), o.Window.To.Format("2 Jan 2006")))
		}
	}
	if len(thinned) > 0 {
		mv.OverlapNote = "The baseline left out the days of " + strings.Join(thinned, "; ") +
			", so it reached further back for normal days."
	}
	if widened > 0 {
		mv.WidenedNote = fmt.Sprintf("Six clean weeks were not found within %d weeks for %d day(s); the look-back was widened to %d weeks.",
			impact.DefaultMaxWeeks, widened, maxWeeks)
	}
}

func mustDay(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

func nz(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func baselineView(b *impact.BaselineResult) *BaselineView {
	bv := &BaselineView{Window: window(b.Window), DaysIncluded: b.DaysIncluded, Average: effect(b.Average),
		Cumulative: effect(b.Cumulative), Formula: b.Method}
	for _, d := range b.Days {
		dv := BaselineDay{Date: date(d.Day), Included: d.Included, Note: d.Note, Baseline: d.BaselineValues}
		for _, bd := range d.BaselineDays {
			dv.BaselineDays = append(dv.BaselineDays, date(bd))
		}
		if d.HasObserved {
			dv.Observed = ptr(d.Observed)
		}
		if d.HasExpected {
			dv.Expected, dv.Lower, dv.Upper = ptr(d.Expected.Value), ptr(d.Expected.Lower), ptr(d.Expected.Upper)
			if d.HasObserved {
				dv.Difference, dv.PctDiff = ptr(d.Difference.Value), ptr(d.Relative.Value)
			}
		}
		bv.Days = append(bv.Days, dv)
	}
	return bv
}

func coef(c impact.Coefficient) CoefView {
	return CoefView{Term: c.Term, Estimate: c.Estimate, SE: c.SE, Lower: c.Lower, Upper: c.Upper, P: c.P}
}

func itsView(r *impact.ITSResult) *ITSView {
	iv := &ITSView{InterventionDay: date(r.InterventionDay), N: r.N, MaxLags: r.MaxLags, Seasonal: r.Seasonal,
		Level: coef(r.Level), Slope: coef(r.Slope), MeanRelativeChange: finite(r.MeanRelativeChange), Formula: r.Method}
	for _, c := range r.Coefficients {
		iv.Coefficients = append(iv.Coefficients, coef(c))
	}
	for _, d := range r.Days {
		iv.Days = append(iv.Days, ITSDayView{Date: date(d.Day), Observed: d.Observed, Fitted: d.Fitted, Counterfactual: d.Counterfactual})
	}
	return iv
}

func spcView(c *SPCChart) *SPCView {
	sv := &SPCView{Signal: c.Signal, BaselinePoint: c.BaselineWeeks, Formula: c.Result.Method}
	for i, p := range c.Result.Points {
		sv.Points = append(sv.Points, SPCPointView{Period: date(c.Weeks[i]), Value: p.Value, Mean: p.Mean, UPL: p.UPL, LPL: p.LPL, Rule: string(p.Rule), Label: p.Label})
	}
	return sv
}

// WriteTable prints a human summary of r, one block per metric.
func (r *Result) WriteTable(w io.Writer) error {
	v := r.View()
	fmt.Fprintf(w, "%s (#%d, %s)\nmethod: %s   window: %s to %s   areas: %s\n", v.Title, v.EventID, v.Kind, v.Method,
		v.Window.From, v.Window.To, strings.Join(v.Areas, ", "))
	fmt.Fprintf(w, "slice: %s (%s)\n", v.Slice.Description, v.Slice.Source)
	if len(v.Overridden) > 0 {
		fmt.Fprintf(w, "overridden by a planner: %s\n", strings.Join(v.Overridden, ", "))
	}
	if v.Method == MethodNone {
		fmt.Fprintln(w, "no impact window: set impact_window_start/end on the record to analyse it")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	for _, m := range v.Metrics {
		fmt.Fprintf(w, "\n%s [%s]\n", m.Label, m.Key)
		if m.Error != "" {
			fmt.Fprintf(w, "  not analysed: %s\n", m.Error)
		}
		if b := m.Baseline; b != nil {
			fmt.Fprintln(tw, "date\tobserved\texpected\t95% interval\tdifference\t%\t")
			for _, d := range b.Days {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", d.Date, num(d.Observed, m.Unit), num(d.Expected, m.Unit),
					interval(d.Lower, d.Upper, m.Unit), num(d.Difference, m.Unit), pct(d.PctDiff))
			}
			c := b.Cumulative
			total := "window total"
			if m.Ratio {
				total = "window rate"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", total, num(&c.Actual, m.Unit), num(&c.Expected.Value, m.Unit),
				interval(&c.Expected.Lower, &c.Expected.Upper, m.Unit), num(&c.Absolute.Value, m.Unit), pct(&c.Relative.Value))
			tw.Flush()
			fmt.Fprintf(w, "  relative effect %s (95%% interval %s to %s)\n", pct(&c.Relative.Value), pct(&c.Relative.Lower), pct(&c.Relative.Upper))
		}
		if len(m.Windows) > 0 {
			fmt.Fprintln(tw, "window\tfrom\tto\tobserved\texpected\teffect\t95% interval\t")
			for _, x := range m.Windows {
				if x.Error != "" {
					fmt.Fprintf(tw, "%s\t%s\t%s\t–\t–\t–\t%s\t\n", x.Name, x.From, x.To, x.Error)
					continue
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s to %s\t\n", x.Name, x.From, x.To, num(&x.Observed, m.Unit),
					num(&x.Expected, m.Unit), pct(&x.Effect), pct(&x.Lower), pct(&x.Upper))
			}
			tw.Flush()
		}
		for _, note := range []string{m.SliceNote, m.OverlapNote, m.WidenedNote} {
			if note != "" {
				fmt.Fprintf(w, "  note: %s\n", note)
			}
		}
		for _, l := range WindowsLeftOut(m.Windows) {
			fmt.Fprintf(w, "  not counted in the window: %s\n", l)
		}
		if len(m.Excluded) > 0 {
			fmt.Fprintf(w, "  %d day(s) left out of the baselines:", len(m.Excluded))
			for _, x := range m.Excluded {
				fmt.Fprintf(w, " %s (%s);", x.Date, x.Reason)
			}
			fmt.Fprintln(w)
		}
		if its := m.ITS; its != nil {
			fmt.Fprintf(w, "  level change %s (95%% CI %s to %s), slope change %s/day (95%% CI %s to %s)\n",
				num(&its.Level.Estimate, m.Unit), num(&its.Level.Lower, m.Unit), num(&its.Level.Upper, m.Unit),
				num(&its.Slope.Estimate, m.Unit), num(&its.Slope.Lower, m.Unit), num(&its.Slope.Upper, m.Unit))
			fmt.Fprintf(w, "  mean relative change over the post period: %s  (n=%d working days, Newey–West lags=%d, seasonal=%v)\n",
				pct(&its.MeanRelativeChange), its.N, its.MaxLags, its.Seasonal)
		}
		if s := m.SPC; s != nil {
			fmt.Fprintf(w, "  SPC: %s\n", s.Signal)
		}
	}
	return nil
}

func num(f *float64, unit string) string {
	if f == nil {
		return "–"
	}
	if unit == impact.UnitRatio {
		return fmt.Sprintf("%.2f%%", *f*100)
	}
	return fmt.Sprintf("%.0f", *f)
}

func interval(lo, hi *float64, unit string) string {
	if lo == nil || hi == nil {
		return "–"
	}
	return num(lo, unit) + " to " + num(hi, unit)
}

func pct(f *float64) string {
	if f == nil {
		return "–"
	}
	return fmt.Sprintf("%+.1f%%", *f*100)
}

// ActivitySlice is the slice the view was computed on.
func (s SliceView) ActivitySlice() models.ActivitySlice {
	return models.ActivitySlice{Dataset: s.Dataset, Status: s.Status, HCP: s.HCP, Mode: s.Mode, Lead: s.Lead,
		Role: s.Role, Duration: s.Duration}
}

// Measure names what metric m of the view counted, with its slice:
// "Attended appointments with a GP" (MeasureOf).
func (v View) Measure(m MetricView) string {
	return MeasureOf(m.Key, m.Label, v.Slice.ActivitySlice())
}
