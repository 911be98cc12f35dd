package impact

import (
	"errors"
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// Defaults and fixed constants of the weekday-matched baseline (DOMAIN §4.1).
const (
	// DefaultBaselineWeeks is N, the number of same-weekday days averaged.
	DefaultBaselineWeeks = 6
	// DefaultMaxWeeks is how many weeks back the search for N valid days
	// may go before it gives up.
	DefaultMaxWeeks = 12
	// MinBaselineDays is the fewest baseline days that give an estimate: one
	// day has no standard deviation, so no interval.
	MinBaselineDays = 2
	// Confidence is the coverage of every interval in this package.
	Confidence = 0.95
	// NetEffectMargin is the number of days added on each side of an event
	// window for the net effect (DOMAIN §4.5: "window ± 2 weeks").
	NetEffectMargin = 14
)

// ErrNoEstimate is returned (wrapped) when no day of the window has both an
// observation and a baseline, so no window total can be given.
var ErrNoEstimate = errors.New("no day in the window has both an observation and a baseline")

// BaselineOptions tunes Baseline. The zero value means the DOMAIN defaults.
type BaselineOptions struct {
	// Weeks is N, the number of same-weekday days to average (default 6).
	Weeks int
	// MaxWeeks limits how far back the search for Weeks valid days goes
	// (default 12). Fewer than Weeks but at least MinBaselineDays days still
	// give an estimate, with the day marked Short.
	MaxWeeks int
	// Exclude lists other events' windows. Their days never enter a
	// baseline because they are not "normal" days. The analysed window is
	// always excluded as well, so a long window never uses its own days.
	Exclude []DateRange
}

func (o BaselineOptions) withDefaults() (BaselineOptions, error) {
	if o.Weeks == 0 {
		o.Weeks = DefaultBaselineWeeks
	}
	if o.MaxWeeks == 0 {
		o.MaxWeeks = DefaultMaxWeeks
	}
	if o.Weeks < MinBaselineDays {
		return o, fmt.Errorf("baseline weeks %d: need at least %d days for a standard deviation", o.Weeks, MinBaselineDays)
	}
	if o.MaxWeeks < o.Weeks {
		return o, fmt.Errorf("baseline max weeks %d is less than weeks %d", o.MaxWeeks, o.Weeks)
	}
	for i, r := range o.Exclude {
		if err := r.Validate(); err != nil {
			return o, fmt.Errorf("exclude[%d]: %w", i, err)
		}
	}
	return o, nil
}

// Estimate is a point estimate with its 95% interval.
type Estimate struct {
	Value float64
	Lower float64
	Upper float64
}

// EffectRow is one row of a CausalImpact-style summary (DOMAIN §4.5): what
// happened, what was expected, and the absolute and relative effects, each
// with its 95% interval. Relative values are fractions (−0.15 is −15%).
type EffectRow struct {
	Actual   float64
	Expected Estimate
	Absolute Estimate
	Relative Estimate
}

// BaselineDay is the weekday-matched comparison for one day of a window.
//
// BaselineDays and BaselineValues list the days that were averaged, most
// recent first, so a workbook can rebuild Expected as an AVERAGE over those
// cells and SD as STDEV.S.
type BaselineDay struct {
	Day         time.Time
	Observed    float64
	HasObserved bool // false when the day is missing from the series
	BankHoliday bool // the day itself is a bank holiday; see Included

	BaselineDays   []time.Time
	BaselineValues []float64
	// HasExpected is false when fewer than MinBaselineDays valid days were
	// found within MaxWeeks; Expected, Difference and Relative are then zero.
	HasExpected bool
	// Short is true when an estimate was made from fewer than Weeks days.
	Short bool

	// Expected is the baseline mean with its 95% prediction interval
	// mean ± T·SD·√(1 + 1/n).
	Expected Estimate
	SD       float64 // sample standard deviation (n − 1 divisor) of BaselineValues
	T        float64 // t quantile (0.975, n − 1)
	Variance float64 // prediction variance SD²·(1 + 1/n), summed for the window
	Margin   float64 // T·√Variance: half the width of the interval

	// Difference is Observed − Expected; its interval is Observed minus the
	// ends of the Expected interval.
	Difference Estimate
	// Relative is Difference / Expected (a fraction), with the interval that
	// Observed / (Expected interval) − 1 gives.
	Relative Estimate

	// Included says whether the day counts in the window totals: it needs an
	// observation and an expected value, and must not be a bank holiday
	// (a closed-practice day compared with open ones would put the holiday's
	// drop down to the event).
	Included bool
	// Note explains in words why a day is excluded or short.
	Note string
}

// BaselineResult is the outcome of Baseline for one window.
type BaselineResult struct {
	Window  DateRange
	Options BaselineOptions // as used, defaults filled in
	Days    []BaselineDay   // one per day of the window, in order

	DaysIncluded int // days counted in Average and Cumulative

	// Cumulative sums observed and expected over the included days.
	Cumulative EffectRow
	// Average is Cumulative divided by DaysIncluded (relative effect
	// unchanged), the per-day figure CausalImpact reports.
	Average EffectRow

	// Variance is Σ Variance over included days: the variance of the window
	// total, treating days as independent (see Method for the caveat).
	Variance float64
	// DF is the degrees of freedom of the window interval: the
	// Welch–Satterthwaite approximation rounded down (see Method).
	DF int
	// T is the t quantile (0.975, DF).
	T float64
	// Margin is T·√Variance, half the width of the cumulative interval.
	Margin float64

	// Method states the formulas in words, for the report's footnote.
	Method string
}

// Baseline computes the weekday-matched baseline comparison of DOMAIN §4.1
// for every day of window and for the window as a whole.
//
// For each day d it looks at d−7, d−14, … up to MaxWeeks weeks back and keeps
// the days that have an observation, are not bank holidays, and lie in
// neither opts.Exclude nor window, until it has Weeks of them. Expected is
// their mean; the 95% prediction interval is mean ± t(0.975, n−1)·s·√(1+1/n).
//
// The window total's interval is Σexpected ± t(0.975, ν)·√Σv_i with
// v_i = s_i²(1 + 1/n_i) over included days and ν the Welch–Satterthwaite
// degrees of freedom (Σv_i)² / Σ(v_i²/(n_i − 1)) rounded down. Rounding down
// is conservative and lets a spreadsheet reproduce the figure with
// T.INV(0.975, ν), since Excel truncates fractional degrees of freedom.
//
// An invalid window, options or series (a duplicate day) is an error. If no
// day can be included, the per-day rows are still returned together with an
// error wrapping ErrNoEstimate.
func Baseline(series Series, window DateRange, opts BaselineOptions) (BaselineResult, error) {
	if err := window.Validate(); err != nil {
		return BaselineResult{}, fmt.Errorf("baseline: window: %w", err)
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return BaselineResult{}, fmt.Errorf("baseline: %w", err)
	}
	values, err := series.index()
	if err != nil {
		return BaselineResult{}, fmt.Errorf("baseline: %w", err)
	}
	window = Range(window.From, window.To)

	res := BaselineResult{
		Window:  window,
		Options: opts,
		Days:    make([]BaselineDay, 0, window.Days()),
		Method:  baselineMethod(opts),
	}
	for d := toDay(window.From); d <= toDay(window.To); d++ {
		res.Days = append(res.Days, baselineDay(d, values, window, opts))
	}
	if err := res.summarise(); err != nil {
		return res, fmt.Errorf("baseline %s: %w", window, err)
	}
	return res, nil
}

// NetWindow returns window widened by NetEffectMargin days on each side.
func NetWindow(window DateRange) DateRange { return window.Expand(NetEffectMargin) }

// NetEffect is Baseline over NetWindow(window): the effect over the event
// window ± 2 weeks, which captures appointments moved to the days around a
// strike rather than lost (DOMAIN §4.5). The whole widened window is kept out
// of the baselines, so days just after a strike never serve as "normal" days
// for later ones.
func NetEffect(series Series, window DateRange, opts BaselineOptions) (BaselineResult, error) {
	if err := window.Validate(); err != nil {
		return BaselineResult{}, fmt.Errorf("net effect: window: %w", err)
	}
	res, err := Baseline(series, NetWindow(window), opts)
	if err != nil {
		return res, fmt.Errorf("net effect: %w", err)
	}
	return res, nil
}

func baselineDay(d day, values map[day]float64, window DateRange, opts BaselineOptions) BaselineDay {
	out := BaselineDay{Day: d.time(), BankHoliday: d.bankHoliday()}
	out.Observed, out.HasObserved = values[d]

	for k := 1; k <= opts.MaxWeeks && len(out.BaselineValues) < opts.Weeks; k++ {
		c := d - day(7*k)
		if window.has(c) || inAny(c, opts.Exclude) || c.bankHoliday() {
			continue
		}
		v, ok := values[c]
		if !ok {
			continue
		}
		out.BaselineDays = append(out.BaselineDays, c.time())
		out.BaselineValues = append(out.BaselineValues, v)
	}

	n := len(out.BaselineValues)
	switch {
	case n < MinBaselineDays:
		out.Note = fmt.Sprintf("only %d valid baseline day(s) within %d weeks; no estimate", n, opts.MaxWeeks)
	default:
		out.HasExpected = true
		out.Short = n < opts.Weeks
		mean, sd := meanSD(out.BaselineValues)
		out.SD = sd
		out.T = tQuantile(float64(n - 1))
		out.Variance = sd * sd * (1 + 1/float64(n))
		out.Margin = out.T * math.Sqrt(out.Variance)
		out.Expected = Estimate{Value: mean, Lower: mean - out.Margin, Upper: mean + out.Margin}
		if out.Short {
			out.Note = fmt.Sprintf("baseline from %d of %d days (searched %d weeks)", n, opts.Weeks, opts.MaxWeeks)
		}
	}

	switch {
	case !out.HasObserved:
		out.Note = joinNote("no observation", out.Note)
	case out.HasExpected:
		out.Difference, out.Relative = effects(out.Observed, out.Expected.Value, out.Margin)
		if out.Expected.Value == 0 {
			out.Note = joinNote("expected is zero: relative effect undefined", out.Note)
		}
	}
	if out.BankHoliday {
		out.Note = joinNote("bank holiday: not counted in the window totals", out.Note)
	}
	out.Included = out.HasObserved && out.HasExpected && !out.BankHoliday
	return out
}

func joinNote(a, b string) string {
	if b == "" {
		return a
	}
	return a + "; " + b
}

// effects returns the absolute and relative effect of observed against an
// expected value whose interval is expected ± margin. The counterfactual lies
// in that interval with 95% probability, so the effects lie in the image of
// the interval under observed − x and observed/x − 1. The relative upper end
// is +Inf when the interval reaches zero.
func effects(observed, expected, margin float64) (abs, rel Estimate) {
	abs = Estimate{Value: observed - expected, Lower: observed - (expected + margin), Upper: observed - (expected - margin)}
	if expected == 0 {
		return abs, Estimate{}
	}
	rel.Value = observed/expected - 1
	lo, hi := expected-margin, expected+margin
	a := observed/hi - 1
	b := math.Inf(1)
	if lo > 0 {
		b = observed/lo - 1
	}
	rel.Lower, rel.Upper = math.Min(a, b), math.Max(a, b)
	return abs, rel
}

func (r *BaselineResult) summarise() error {
	var obs, exp, v, wsDen float64
	minDF := math.MaxInt
	for _, d := range r.Days {
		if !d.Included {
			continue
		}
		r.DaysIncluded++
		obs += d.Observed
		exp += d.Expected.Value
		v += d.Variance
		df := len(d.BaselineValues) - 1
		wsDen += d.Variance * d.Variance / float64(df)
		minDF = min(minDF, df)
	}
	if r.DaysIncluded == 0 {
		return ErrNoEstimate
	}
	// Welch–Satterthwaite is at least the smallest per-day df in exact
	// arithmetic; the clamp stops rounding noise (4.9999…) from losing a
	// degree of freedom, and covers the degenerate all-zero-variance case.
	r.DF = minDF
	if wsDen > 0 {
		ws := v * v / wsDen
		r.DF = max(minDF, int(math.Floor(ws+1e-9)))
	}
	r.T = tQuantile(float64(r.DF))
	r.Variance = v
	r.Margin = r.T * math.Sqrt(v)

	abs, rel := effects(obs, exp, r.Margin)
	r.Cumulative = EffectRow{
		Actual:   obs,
		Expected: Estimate{Value: exp, Lower: exp - r.Margin, Upper: exp + r.Margin},
		Absolute: abs,
		Relative: rel,
	}
	n := float64(r.DaysIncluded)
	c := r.Cumulative
	r.Average = EffectRow{
		Actual:   c.Actual / n,
		Expected: Estimate{Value: c.Expected.Value / n, Lower: c.Expected.Lower / n, Upper: c.Expected.Upper / n},
		Absolute: Estimate{Value: c.Absolute.Value / n, Lower: c.Absolute.Lower / n, Upper: c.Absolute.Upper / n},
		Relative: c.Relative,
	}
	return nil
}

func baselineMethod(o BaselineOptions) string {
	return fmt.Sprintf("Weekday-matched baseline: expected(d) = mean of the same weekday in the %d preceding weeks "+
		"with data, skipping England & Wales bank holidays, the analysed window and other events' windows "+
		"(at most %d weeks back; a day needs at least %d such days). "+
		"Day: 95%% prediction interval expected ± t(0.975, n−1)·s·√(1 + 1/n), s the sample SD of the n baseline days. "+
		"Window: Σ expected ± t(0.975, ν)·√Σ s²(1 + 1/n) over days with an observation that are not bank holidays, "+
		"treating days as independent; ν = ⌊(Σv)² / Σ(v²/(n−1))⌋ (Welch–Satterthwaite, rounded down). "+
		"Absolute effect = actual − expected; relative effect = actual / expected − 1, its interval from the ends of the expected interval.",
		o.Weeks, o.MaxWeeks, MinBaselineDays)
}

// meanSD returns the mean and the sample standard deviation (n−1 divisor,
// Excel's STDEV.S). Two passes keep it accurate for large counts with small
// spread.
func meanSD(xs []float64) (mean, sd float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(xs)-1))
}

// tQuantile returns the 0.975 quantile of Student's t with df degrees of
// freedom.
func tQuantile(df float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(0.5 + Confidence/2)
}
