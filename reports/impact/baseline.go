package impact

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
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
	// window for the net effect ("window ± 2 weeks", docs/methods.md).
	NetEffectMargin = 14
	// DefaultWidenWeeks is how far back the search may go, beyond MaxWeeks,
	// when MaxWeeks does not hold Weeks clean days (a round just after
	// Christmas with other rounds before it). A widened baseline is said so.
	DefaultWidenWeeks = 26
)

// Season is a stretch of the calendar that recurs every year and is not a
// normal working period, such as the days between Christmas and New Year,
// when practices are open but activity runs at about 70% of normal. Season
// days are kept out of every baseline, as bank holidays are, and out of the
// window totals (a season day compared with ordinary days would put the
// season's dip down to the event).
type Season struct {
	FromMonth time.Month
	FromDay   int
	ToMonth   time.Month // may be earlier than FromMonth: the season wraps the new year
	ToDay     int
	Reason    string // in words, for the list of left-out days
}

// ChristmasNewYear is the default season: 24 December to 2 January.
var ChristmasNewYear = Season{FromMonth: time.December, FromDay: 24, ToMonth: time.January, ToDay: 2,
	Reason: "Christmas to New Year (24 Dec – 2 Jan)"}

// Contains reports whether the civil date of t falls in the season.
func (s Season) Contains(t time.Time) bool {
	_, m, d := Civil(t).Date()
	md := int(m)*100 + d
	from, to := int(s.FromMonth)*100+s.FromDay, int(s.ToMonth)*100+s.ToDay
	if from <= to {
		return md >= from && md <= to
	}
	return md >= from || md <= to
}

// Reasons a day was left out of a baseline, as listed in
// BaselineResult.Excluded.
const (
	ReasonBankHoliday = "bank holiday"
	ReasonOtherEvent  = "inside another event's window"
	ReasonOwnWindow   = "inside the analysed window"
	ReasonNoData      = "no data"
)

// ExcludedDay is a day the baseline search looked at and left out, and why.
type ExcludedDay struct {
	Day    time.Time
	Reason string
}

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
	// Own lists further ranges that belong to the event being analysed (its
	// pre-strike and recovery windows), kept out of the baseline like the
	// window but reported as the event's own days, not as an overlap.
	Own []DateRange
	// Seasons are kept out of baselines and window totals. Nil means
	// ChristmasNewYear; NoSeasons turns them off.
	Seasons   []Season
	NoSeasons bool
	// WidenWeeks is the furthest the search goes back when MaxWeeks holds
	// fewer than Weeks clean days (default DefaultWidenWeeks; it is never
	// below MaxWeeks).
	WidenWeeks int
	// weights, set by BaselineRatio, turns the window figure into a ratio
	// of sums: each day's denominator.
	weights map[day]float64
}

func (o BaselineOptions) withDefaults() (BaselineOptions, error) {
	if o.Weeks == 0 {
		o.Weeks = DefaultBaselineWeeks
	}
	if o.MaxWeeks == 0 {
		o.MaxWeeks = DefaultMaxWeeks
	}
	if o.WidenWeeks == 0 {
		o.WidenWeeks = DefaultWidenWeeks
	}
	o.WidenWeeks = max(o.WidenWeeks, o.MaxWeeks)
	if o.Seasons == nil && !o.NoSeasons {
		o.Seasons = []Season{ChristmasNewYear}
	}
	if o.NoSeasons {
		o.Seasons = nil
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
	for i, r := range o.Own {
		if err := r.Validate(); err != nil {
			return o, fmt.Errorf("own[%d]: %w", i, err)
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
	// Season names the season (ChristmasNewYear) the day falls in, or "".
	Season string
	// Weight is the day's denominator for a ratio metric (0 otherwise).
	Weight float64

	BaselineDays   []time.Time
	BaselineValues []float64
	// HasExpected is false when fewer than MinBaselineDays valid days were
	// found within MaxWeeks; Expected, Difference and Relative are then zero.
	HasExpected bool
	// Short is true when an estimate was made from fewer than Weeks days.
	Short bool
	// Widened is true when the search had to go back beyond MaxWeeks;
	// WeeksSearched is how far it went.
	Widened       bool
	WeeksSearched int
	// Thinned counts candidate days skipped because they lie in another
	// event's window: the overlap that made this baseline reach further back.
	Thinned int

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

	// Ratio is true for a ratio metric: Cumulative is then the window's
	// Σnumerator / Σdenominator (and its expected counterpart), never a sum
	// of daily ratios, and Average equals Cumulative.
	Ratio bool

	// Excluded lists the days the baseline search looked at and left out,
	// with the reason, in date order (each day once).
	Excluded []ExcludedDay
	// WindowExcluded lists the window's own days that do not count in its
	// totals because of the calendar (a bank holiday or a season day), with
	// the same reasons as Excluded, in date order: a recovery window that
	// runs into Christmas is measured on its ordinary days only, and the
	// result says which it left out.
	WindowExcluded []ExcludedDay
	// Widened counts window days whose baseline had to reach beyond
	// MaxWeeks; Thinned counts those whose search skipped another event's
	// days. Both are for the result's notes.
	Widened int
	Thinned int

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
	return baseline(values, window, opts)
}

// BaselineRatio is Baseline for a ratio metric given as its daily numerator
// and denominator series. Each day is compared as the ratio num/den; the
// window figure is the ratio of the window's sums, Σnum / Σden, and its
// expected value Σ den_d·expected_d / Σ den_d (the expected numerator over
// the same denominators), with variance Σ den_d²·v_d / (Σ den_d)². So the
// window figure always lies between the smallest and largest daily ratio,
// and a day counts in proportion to its volume, as in the national figure.
func BaselineRatio(num, den Series, window DateRange, opts BaselineOptions) (BaselineResult, error) {
	if err := window.Validate(); err != nil {
		return BaselineResult{}, fmt.Errorf("baseline: window: %w", err)
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return BaselineResult{}, fmt.Errorf("baseline: %w", err)
	}
	n, err := num.index()
	if err != nil {
		return BaselineResult{}, fmt.Errorf("baseline: numerator: %w", err)
	}
	d, err := den.index()
	if err != nil {
		return BaselineResult{}, fmt.Errorf("baseline: denominator: %w", err)
	}
	values := make(map[day]float64, len(d))
	for k, dv := range d {
		if dv > 0 {
			values[k] = n[k] / dv
		}
	}
	opts.weights = d
	return baseline(values, window, opts)
}

func baseline(values map[day]float64, window DateRange, opts BaselineOptions) (BaselineResult, error) {
	window = Range(window.From, window.To)

	res := BaselineResult{
		Window:  window,
		Options: opts,
		Days:    make([]BaselineDay, 0, window.Days()),
		Method:  baselineMethod(opts),
	}
	res.Ratio = opts.weights != nil
	excluded := map[day]string{}
	for d := toDay(window.From); d <= toDay(window.To); d++ {
		bd := baselineDay(d, values, window, opts, excluded)
		if res.Ratio {
			bd.Weight = opts.weights[d]
		}
		if bd.Widened {
			res.Widened++
		}
		if bd.Thinned > 0 {
			res.Thinned++
		}
		if why := calendarReason(bd); why != "" {
			res.WindowExcluded = append(res.WindowExcluded, ExcludedDay{Day: bd.Day, Reason: why})
		}
		res.Days = append(res.Days, bd)
	}
	for d, why := range excluded {
		res.Excluded = append(res.Excluded, ExcludedDay{Day: d.time(), Reason: why})
	}
	slices.SortFunc(res.Excluded, func(a, b ExcludedDay) int { return a.Day.Compare(b.Day) })
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

// season returns the reason of the first season d falls in, or "".
func season(d day, seasons []Season) string {
	for _, s := range seasons {
		if s.Contains(d.time()) {
			return s.Reason
		}
	}
	return ""
}

// calendarReason says why window day bd is not counted in the totals when
// the calendar is the reason (a bank holiday, then a season, as the day's
// Note says), or "".
func calendarReason(bd BaselineDay) string {
	switch {
	case bd.BankHoliday:
		return ReasonBankHoliday
	case bd.Season != "":
		return bd.Season
	}
	return ""
}

// skipReason says why candidate day c cannot serve in a baseline, or "".
func skipReason(c day, values map[day]float64, window DateRange, opts BaselineOptions) string {
	switch {
	case window.has(c) || inAny(c, opts.Own):
		return ReasonOwnWindow
	case c.bankHoliday():
		return ReasonBankHoliday
	case season(c, opts.Seasons) != "":
		return season(c, opts.Seasons)
	case inAny(c, opts.Exclude):
		return ReasonOtherEvent
	}
	if _, ok := values[c]; !ok {
		return ReasonNoData
	}
	return ""
}

func baselineDay(d day, values map[day]float64, window DateRange, opts BaselineOptions, excluded map[day]string) BaselineDay {
	out := BaselineDay{Day: d.time(), BankHoliday: d.bankHoliday(), Season: season(d, opts.Seasons)}
	out.Observed, out.HasObserved = values[d]

	// Search MaxWeeks back; if that does not hold Weeks clean days, keep
	// going up to WidenWeeks and say so.
	k := 1
	for ; k <= opts.WidenWeeks && len(out.BaselineValues) < opts.Weeks; k++ {
		c := d - day(7*k)
		if why := skipReason(c, values, window, opts); why != "" {
			if why == ReasonOtherEvent {
				out.Thinned++
			}
			if why != ReasonNoData || k <= opts.MaxWeeks {
				excluded[c] = why
			}
			continue
		}
		out.BaselineDays = append(out.BaselineDays, c.time())
		out.BaselineValues = append(out.BaselineValues, values[c])
	}
	out.WeeksSearched = k - 1
	out.Widened = out.WeeksSearched > opts.MaxWeeks && len(out.BaselineValues) > 0

	n := len(out.BaselineValues)
	switch {
	case n < MinBaselineDays:
		out.Note = fmt.Sprintf("only %d valid baseline day(s) within %d weeks; no estimate", n, opts.WidenWeeks)
	default:
		out.HasExpected = true
		out.Short = n < opts.Weeks
		iv := PredictionInterval(out.BaselineValues, Confidence)
		out.SD, out.T, out.Variance, out.Margin = iv.SD, iv.T, iv.Variance, iv.Margin
		out.Expected = Estimate{Value: iv.Mean, Lower: iv.Lower(), Upper: iv.Upper()}
		if out.Short {
			out.Note = fmt.Sprintf("baseline from %d of %d days (searched %d weeks)", n, opts.Weeks, opts.WidenWeeks)
		} else if out.Widened {
			out.Note = fmt.Sprintf("look-back widened to %d weeks to find %d clean days", out.WeeksSearched, opts.Weeks)
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
	} else if out.Season != "" {
		out.Note = joinNote(out.Season+": not counted in the window totals", out.Note)
	}
	out.Included = out.HasObserved && out.HasExpected && calendarReason(out) == ""
	if out.Included && opts.weights != nil && opts.weights[d] <= 0 {
		out.Included = false
	}
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

// summarise computes the window figures. For a count, the window total is
// Σ observed against Σ expected. For a ratio, every sum is weighted by the
// day's denominator w and divided by Σw: Σnum/Σden against
// Σ w·expected / Σw, variance Σ w²·v / (Σw)². Welch–Satterthwaite works on
// the scaled variances w²·v, so counts are the special case w = 1.
func (r *BaselineResult) summarise() error {
	var obs, exp, v, wsDen, wsum float64
	minDF := math.MaxInt
	for _, d := range r.Days {
		if !d.Included {
			continue
		}
		w := 1.0
		if r.Ratio {
			w = d.Weight
		}
		r.DaysIncluded++
		wsum += w
		obs += w * d.Observed
		exp += w * d.Expected.Value
		vi := w * w * d.Variance
		v += vi
		df := len(d.BaselineValues) - 1
		wsDen += vi * vi / float64(df)
		minDF = min(minDF, df)
	}
	if r.DaysIncluded == 0 {
		return ErrNoEstimate
	}
	if r.Ratio {
		obs, exp, v, wsDen = obs/wsum, exp/wsum, v/(wsum*wsum), wsDen/(wsum*wsum*wsum*wsum)
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
	if r.Ratio {
		// A window rate is already an average: the same row serves both.
		r.Average = r.Cumulative
		return nil
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
	var seasons []string
	for _, s := range o.Seasons {
		seasons = append(seasons, s.Reason)
	}
	skip := "England & Wales bank holidays"
	if len(seasons) > 0 {
		skip += ", " + strings.Join(seasons, ", ")
	}
	return fmt.Sprintf("Weekday-matched baseline: expected(d) = mean of the same weekday in the %d preceding weeks "+
		"with data, skipping %s, the analysed window and other events' windows "+
		"(%d weeks back, widened up to %d weeks when needed and said so; a day needs at least %d such days). "+
		"Day: 95%% prediction interval expected ± t(0.975, n−1)·s·√(1 + 1/n), s the sample SD of the n baseline days. "+
		"Window: Σ expected ± t(0.975, ν)·√Σ s²(1 + 1/n) over the window's days with an observation, leaving out %s as in the baseline, "+
		"treating days as independent; ν = ⌊(Σv)² / Σ(v²/(n−1))⌋ (Welch–Satterthwaite, rounded down). "+
		"Absolute effect = actual − expected; relative effect = actual / expected − 1, its interval from the ends of the expected interval. "+
		"Ratio metrics: the window figure is Σnumerator / Σdenominator, expected Σ den·expected / Σ den, variance Σ den²·v / (Σ den)².",
		o.Weeks, skip, o.MaxWeeks, o.WidenWeeks, MinBaselineDays, skip)
}

// DayInterval is a day's expected value and its prediction interval from
// the values of its baseline days.
type DayInterval struct {
	Mean     float64 // the baseline days' mean: the expected value
	SD       float64 // their sample standard deviation (Excel's STDEV.S)
	T        float64 // t(1 − α/2, n − 1)
	Variance float64 // SD²·(1 + 1/n): of a new day about the mean
	Margin   float64 // T·√Variance: half the interval's width
}

// Lower and Upper are the ends of the interval.
func (d DayInterval) Lower() float64 { return d.Mean - d.Margin }
func (d DayInterval) Upper() float64 { return d.Mean + d.Margin }

// PredictionInterval is the one statement of the day interval, used by the
// engine and by the workbook's checks of its cells: for n ≥ 2 baseline
// values, mean ± t(½ + confidence/2, n − 1)·s·√(1 + 1/n). The √(1 + 1/n)
// is a prediction interval's: the day is a new draw, not the mean.
func PredictionInterval(xs []float64, confidence float64) DayInterval {
	n := float64(len(xs))
	mean, sd := meanSD(xs)
	iv := DayInterval{Mean: mean, SD: sd, T: tQuantileAt(n-1, confidence), Variance: sd * sd * (1 + 1/n)}
	iv.Margin = iv.T * math.Sqrt(iv.Variance)
	return iv
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
func tQuantile(df float64) float64 { return tQuantileAt(df, Confidence) }

// tQuantileAt is the quantile ½ + confidence/2 of Student's t with df
// degrees of freedom.
func tQuantileAt(df, confidence float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(0.5 + confidence/2)
}
