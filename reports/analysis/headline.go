package analysis

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/impact"
)

// Headline is what one plain-English sentence about an effect needs. It is
// built from a result (HeadlineOf) or by hand, so the public page, the
// workbook's Summary and an embed card all say the same thing in the same
// words: this file is the only place the wording lives.
type Headline struct {
	// Measure names what was counted, capitalised, plural: "Attended GP
	// appointments", "DNA rate".
	Measure string
	// Area is where, in words: "England", "North West".
	Area string
	// Period says when, after "expected": "during the strike", "in the
	// two weeks after the change".
	Period string
	// Relative is the relative effect actual/expected − 1 with its
	// interval, as fractions.
	Relative EstimateView
	// Absolute is the cumulative difference actual − expected (counts),
	// used for the "about 61,000 fewer" clause. Ignored for ratios.
	Absolute EstimateView
	// Ratio marks rate metrics: the clause gives the rate against its
	// expected value instead of a count.
	Ratio bool
	// Actual and Expected are the window figures of a ratio metric (the
	// ratio of the window's sums).
	Actual, Expected float64
	// Days is how many days the figures cover.
	Days int
	// Confidence is the interval's coverage (0.95); zero means 95%.
	Confidence float64
}

// printer formats numbers the British way: 61,000 and 8.2.
var printer = message.NewPrinter(language.BritishEnglish)

// Significant reports whether the interval excludes no change.
func (h Headline) Significant() bool {
	return !(h.Relative.Lower <= 0 && h.Relative.Upper >= 0)
}

// Sentence is the headline in words, e.g. "Attended GP appointments in
// England were 8.2% below expected during the strike (95% interval 9.6% to
// 6.8% below): about 61,000 fewer than expected over 5 days."
//
// Percentages are rounded to 0.1%; an interval that spans zero is called
// "no significant effect" rather than given a direction.
func (h Headline) Sentence() string {
	subject := h.Measure
	if h.Area != "" {
		subject += " in " + h.Area
	}
	verb := "were"
	if h.Ratio || singular(h.Measure) {
		verb = "was"
	}
	period := ""
	if h.Period != "" {
		period = " " + h.Period
	}
	ci := intervalName(h.Confidence)
	rel := h.Relative
	if !h.Significant() {
		return fmt.Sprintf("%s showed no significant effect%s: %s (%s %s to %s): %s.",
			subject, period, versus(rel.Value), ci, direction(rel.Lower), direction(rel.Upper), h.tail())
	}
	word := "below"
	if rel.Value > 0 {
		word = "above"
	}
	lo, hi := math.Abs(rel.Lower), math.Abs(rel.Upper)
	if lo > hi {
		lo, hi = hi, lo
	}
	// Give the interval from the end nearer zero for "above" and from the
	// far end for "below", so it reads in the order of the number line.
	a, b := lo, hi
	if word == "below" {
		a, b = hi, lo
	}
	return fmt.Sprintf("%s %s %s %s expected%s (%s %s to %s %s): %s.",
		subject, verb, Percent(math.Abs(rel.Value)), word, period, ci, Percent(a), Percent(b), word, h.tail())
}

// tail is the clause after the colon: the size of the effect in its own
// units and the days it covers.
func (h Headline) tail() string {
	days := Plural(h.Days, "day", "days")
	if h.Ratio {
		return fmt.Sprintf("%s against %s expected over %s", Percent(h.Actual), Percent(h.Expected), days)
	}
	n := h.Absolute.Value
	switch {
	case Round2(math.Abs(n)) == 0:
		return "about as many as expected over " + days
	case n < 0:
		return fmt.Sprintf("about %s fewer than expected over %s", Thousands(Round2(-n)), days)
	}
	return fmt.Sprintf("about %s more than expected over %s", Thousands(Round2(n)), days)
}

// direction writes a signed fraction as "1.2% below", "0.6% above" or
// "no change".
func direction(f float64) string {
	r := math.Round(f * 1000)
	switch {
	case r < 0:
		return Percent(-f) + " below"
	case r > 0:
		return Percent(f) + " above"
	}
	return "no change"
}

// versus is direction with "expected": "1.2% below expected", "as
// expected".
func versus(f float64) string {
	if d := direction(f); d != "no change" {
		return d + " expected"
	}
	return "as expected"
}

// intervalName is "95% interval" for coverage c (zero means 95%).
func intervalName(c float64) string {
	if c <= 0 || c >= 1 {
		c = 0.95
	}
	return strconv.FormatFloat(math.Round(c*1000)/10, 'f', -1, 64) + "% interval"
}

// singular reports whether a measure reads as one thing ("DNA rate",
// "GP share") rather than a count of many ("appointments").
func singular(measure string) bool {
	m := strings.ToLower(measure)
	for _, w := range []string{" rate", " share"} {
		if strings.HasSuffix(m, w) || strings.Contains(m, w+" ") {
			return true
		}
	}
	return false
}

// Percent writes a fraction as a percentage to 0.1%: 0.0823 → "8.2%".
func Percent(f float64) string {
	return printer.Sprintf("%.1f%%", math.Round(f*1000)/10+0) // +0 folds −0
}

// Thousands writes n rounded to a whole number with thousands separators:
// 61234.4 → "61,234".
func Thousands(n float64) string {
	return printer.Sprintf("%d", int64(math.Round(n)))
}

// Round2 rounds n to two significant figures (61,234 → 61,000), the
// precision an "about" deserves; below 100 it rounds to a whole number.
func Round2(n float64) float64 {
	a := math.Abs(n)
	if a < 100 {
		return math.Round(n)
	}
	p := math.Pow(10, math.Floor(math.Log10(a))-1)
	return math.Round(n/p) * p
}

// Plural writes n with its noun: "1 day", "5 days", "1,200 days".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return printer.Sprintf("%d", n) + " " + many
}

// ShortLabel is a metric's label without its defining formula: "DNA rate
// (DNA / (attended + DNA))" → "DNA rate".
func ShortLabel(label string) string {
	if i := strings.Index(label, " ("); i > 0 {
		return label[:i]
	}
	return label
}

// AreaNames writes area codes as words for a sentence: ENGLAND is
// "England" (the label table in models); other codes are shown as given.
func AreaNames(codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = models.CodeWords(c)
	}
	return strings.Join(out, ", ")
}

// periodOf says when a window's figures apply, after "expected".
func periodOf(kind string) string {
	switch kind {
	case "strike_round":
		return "during the strike"
	case "regulatory_change":
		return "in the first two weeks after the change"
	}
	return "during the event"
}

// HeadlineOf is the headline of metric m of view v, taken from its
// weekday-baseline window totals; ok is false when m has no window figure.
// measure, when not empty, replaces the metric's short label (a slice such
// as "Attended GP appointments").
func HeadlineOf(v View, m MetricView, measure string) (h Headline, ok bool) {
	b := m.Baseline
	if b == nil || b.DaysIncluded == 0 {
		return h, false
	}
	if measure == "" {
		measure = v.Measure(m)
	}
	c := b.Cumulative
	return Headline{Measure: measure, Area: AreaNames(v.Areas), Period: periodOf(v.Kind), Relative: c.Relative,
		Absolute: c.Absolute, Ratio: m.Unit == "ratio", Actual: c.Actual, Expected: c.Expected.Value,
		Days: b.DaysIncluded, Confidence: v.Parameters.Confidence}, true
}

// ITSSentence describes an interrupted time series in words: the step at
// the change with its interval, the change of trend, and the mean
// relative change over the post period. unit is the metric's unit
// ("ratio" gives percentage points).
func ITSSentence(measure, area string, its ITSView, unit string, conf float64) string {
	subject := measure
	if area != "" {
		subject += " in " + area
	}
	ci := intervalName(conf)
	l := its.Level
	amount := func(f float64) string {
		if unit == "ratio" {
			return printer.Sprintf("%.1f percentage points", math.Abs(f)*100)
		}
		return Thousands(Round2(math.Abs(f))) + " a day"
	}
	dir := func(f float64) string {
		if f < 0 {
			return amount(f) + " lower"
		}
		return amount(f) + " higher"
	}
	var step string
	if l.Lower <= 0 && l.Upper >= 0 {
		step = fmt.Sprintf("%s showed no significant step when the change came in: about %s (%s %s to %s)",
			subject, dir(l.Estimate), ci, dir(l.Lower), dir(l.Upper))
	} else {
		verb := "rose"
		if l.Estimate < 0 {
			verb = "fell"
		}
		lo, hi := math.Abs(l.Lower), math.Abs(l.Upper)
		if lo > hi {
			lo, hi = hi, lo
		}
		step = fmt.Sprintf("%s %s by about %s when the change came in (%s %s to %s)",
			subject, verb, amount(l.Estimate), ci, strings.TrimSuffix(amount(lo), " a day"), amount(hi))
	}
	s := its.Slope
	trend := "the trend afterwards did not change significantly"
	if !(s.Lower <= 0 && s.Upper >= 0) {
		per := s.Estimate * 7
		word := "rising"
		if per < 0 {
			word = "falling"
		}
		if unit == "ratio" {
			trend = printer.Sprintf("the trend afterwards was %s by a further %.2f percentage points a week", word, math.Abs(per)*100)
		} else {
			trend = fmt.Sprintf("the trend afterwards was %s by a further %s a day each week", word, Thousands(Round2(math.Abs(per))))
		}
	}
	vs := "in line with"
	if d := direction(its.MeanRelativeChange); d != "no change" {
		vs = d
	}
	return fmt.Sprintf("%s; %s. Over the %s modelled after it, the figure was %s the counterfactual (the earlier trend carried on).",
		step, trend, Plural(postDays(its), "working day", "working days"), vs)
}

// postDays counts the modelled days from the intervention on.
func postDays(its ITSView) int {
	n := 0
	for _, d := range its.Days {
		if d.Date >= its.InterventionDay {
			n++
		}
	}
	return n
}

// LeftOut says which days the baselines left out and why, one phrase per
// reason in the order first met, runs of consecutive days as ranges:
// "bank holiday: 26 May 2025", "Christmas to New Year (24 Dec – 2 Jan):
// 24–31 Dec 2024". Days without data and the event's own window are not
// listed (they are not a choice of the method). The page and the
// workbook both say it in these words.
func LeftOut(days []ExcludedDayView) []string {
	var reasons []string
	by := map[string][]time.Time{}
	for _, d := range days {
		t, err := time.Parse(time.DateOnly, d.Date)
		if err != nil || d.Reason == impact.ReasonNoData || d.Reason == impact.ReasonOwnWindow {
			continue
		}
		if _, ok := by[d.Reason]; !ok {
			reasons = append(reasons, d.Reason)
		}
		by[d.Reason] = append(by[d.Reason], t)
	}
	var out []string
	for _, r := range reasons {
		ds := by[r]
		slices.SortFunc(ds, time.Time.Compare)
		ds = slices.Compact(ds)
		var runs []string
		for i := 0; i < len(ds); {
			j := i
			for j+1 < len(ds) && ds[j+1].Equal(ds[j].AddDate(0, 0, 1)) {
				j++
			}
			runs = append(runs, DayRange(ds[i], ds[j]))
			i = j + 1
		}
		out = append(out, r+": "+strings.Join(runs, ", "))
	}
	return out
}

// WindowsLeftOut says, one line per window, which of its own days a
// window's figure leaves out and why, in the words of LeftOut: "Recovery
// (14 days after), 22 Dec 2025 – 4 Jan 2026: Christmas to New Year (24 Dec
// – 2 Jan): 24 Dec 2025, 27–31 Dec 2025, 2 Jan 2026; bank holiday: …".
// The net window is the others together, so it adds no line.
func WindowsLeftOut(ws []WindowEffect) []string {
	var out []string
	for _, w := range ws {
		if w.Name == PhaseNet || len(w.Excluded) == 0 {
			continue
		}
		from, err1 := time.Parse(time.DateOnly, w.From)
		to, err2 := time.Parse(time.DateOnly, w.To)
		head := w.Label
		if err1 == nil && err2 == nil {
			head += ", " + DayRange(from, to)
		}
		out = append(out, head+": "+strings.Join(LeftOut(w.Excluded), "; "))
	}
	return out
}

// DayRange writes a run of days briefly: "26 May 2025", "24–31 Dec 2024",
// "30 Dec 2024 – 2 Jan 2025".
func DayRange(a, b time.Time) string {
	switch {
	case a.Equal(b):
		return a.Format("2 Jan 2006")
	case a.Year() == b.Year() && a.Month() == b.Month():
		return a.Format("2") + "–" + b.Format("2 Jan 2006")
	case a.Year() == b.Year():
		return a.Format("2 Jan") + " – " + b.Format("2 Jan 2006")
	}
	return a.Format("2 Jan 2006") + " – " + b.Format("2 Jan 2006")
}
