package impact

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Student t quantiles t(0.975, df), solved to 40 digits with mpmath (df 1
// is also tan(0.475π)), so the tests do not trust the code under test. They
// agree with tables (12.706, 2.571, 2.365); scipy.stats.t.ppf is off in the
// tenth digit at df 5 and 7, gonum is not.
const (
	t975df1 = 12.706204736174704646
	t975df5 = 2.5705818356363155147
	t975df7 = 2.3646242515927853417
)

func near(a, b, tol float64) bool {
	if math.IsInf(b, 0) {
		return a == b
	}
	return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b))
}

func checkEst(t *testing.T, what string, got, want Estimate) {
	t.Helper()
	if !near(got.Value, want.Value, 1e-12) || !near(got.Lower, want.Lower, 1e-12) || !near(got.Upper, want.Upper, 1e-12) {
		t.Errorf("%s = %+v, want %+v", what, got, want)
	}
}

func days(ts []time.Time) []string {
	out := make([]string, len(ts))
	for i, d := range ts {
		out[i] = d.Format(time.DateOnly)
	}
	return out
}

func pts(kv map[string]float64) Series {
	var s Series
	for k, v := range kv {
		d, err := time.Parse(time.DateOnly, k)
		if err != nil {
			panic(err)
		}
		s = append(s, Point{Day: d, Value: v})
	}
	return s
}

// TestBaselineHandComputed checks a two-day window against arithmetic done by
// hand.
//
// Window: Tue 11 and Wed 12 March 2025 (no bank holidays within 12 weeks).
//
//	Tuesdays 4 Mar … 28 Jan: 50 51 49 50 52 48 → mean 50, deviations
//	0 1 −1 0 2 −2, SS 10, s² = 10/5 = 2; variance v = 2·(1 + 1/6) = 7/3;
//	margin = t(0.975,5)·√(7/3) = 2.5705818…·1.5275252… = 3.9266286…
//	Wednesdays 5 Mar … 29 Jan: 100 104 98 102 96 100 → mean 100, deviations
//	0 4 −2 2 −4 0, SS 40, s² = 8; v = 8·7/6 = 28/3; margin = t5·√(28/3).
//	Observed 45 and 85: differences −5 and −15, relative −10% and −15%.
//
//	Window: observed 130, expected 150, difference −20, relative −2/15.
//	Σv = 35/3. Welch–Satterthwaite ν = (35/3)² / ((7/3)²/5 + (28/3)²/5)
//	= 6125/833 = 7.35 → 7; margin = t(0.975,7)·√(35/3) = 8.0767294…
//	Relative interval: 130/(150 ± margin) − 1.
func TestBaselineHandComputed(t *testing.T) {
	s := pts(map[string]float64{
		"2025-03-04": 50, "2025-02-25": 51, "2025-02-18": 49, "2025-02-11": 50, "2025-02-04": 52, "2025-01-28": 48,
		"2025-03-05": 100, "2025-02-26": 104, "2025-02-19": 98, "2025-02-12": 102, "2025-02-05": 96, "2025-01-29": 100,
		"2025-03-11": 45, "2025-03-12": 85,
		// Older same-weekday days: beyond the 6 needed, so never used.
		"2025-01-21": 1e6, "2025-01-22": 1e6,
	})
	res, err := Baseline(s, Range(Date(2025, 3, 11), Date(2025, 3, 12)), BaselineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Days) != 2 || res.DaysIncluded != 2 {
		t.Fatalf("days = %d, included = %d; want 2, 2", len(res.Days), res.DaysIncluded)
	}
	tue, wed := res.Days[0], res.Days[1]

	wantTueDays := []string{"2025-03-04", "2025-02-25", "2025-02-18", "2025-02-11", "2025-02-04", "2025-01-28"}
	if got := days(tue.BaselineDays); !reflect.DeepEqual(got, wantTueDays) {
		t.Errorf("Tuesday baseline days = %v, want %v", got, wantTueDays)
	}
	if !reflect.DeepEqual(tue.BaselineValues, []float64{50, 51, 49, 50, 52, 48}) {
		t.Errorf("Tuesday baseline values = %v", tue.BaselineValues)
	}
	mTue := t975df5 * math.Sqrt(7.0/3)
	mWed := t975df5 * math.Sqrt(28.0/3)
	for _, tc := range []struct {
		name       string
		d          BaselineDay
		obs, exp   float64
		sd, v, m   float64
		diff, rel  float64
		relLo, rHi float64
	}{
		{"tue", tue, 45, 50, math.Sqrt(2), 7.0 / 3, mTue, -5, -0.1, 45/(50+mTue) - 1, 45/(50-mTue) - 1},
		{"wed", wed, 85, 100, math.Sqrt(8), 28.0 / 3, mWed, -15, -0.15, 85/(100+mWed) - 1, 85/(100-mWed) - 1},
	} {
		d := tc.d
		if !d.Included || !d.HasObserved || !d.HasExpected || d.Short || d.BankHoliday {
			t.Errorf("%s: flags %+v", tc.name, d)
		}
		if d.Observed != tc.obs || !near(d.SD, tc.sd, 1e-12) || !near(d.Variance, tc.v, 1e-12) ||
			!near(d.T, t975df5, 1e-9) || !near(d.Margin, tc.m, 1e-9) {
			t.Errorf("%s: obs %v sd %v var %v t %v margin %v; want %v %v %v %v %v", tc.name, d.Observed, d.SD, d.Variance, d.T, d.Margin, tc.obs, tc.sd, tc.v, t975df5, tc.m)
		}
		checkEst(t, tc.name+" expected", d.Expected, Estimate{tc.exp, tc.exp - d.Margin, tc.exp + d.Margin})
		checkEst(t, tc.name+" difference", d.Difference, Estimate{tc.diff, tc.diff - d.Margin, tc.diff + d.Margin})
		if !near(d.Relative.Value, tc.rel, 1e-12) || !near(d.Relative.Lower, tc.relLo, 1e-9) || !near(d.Relative.Upper, tc.rHi, 1e-9) {
			t.Errorf("%s relative = %+v, want %v [%v, %v]", tc.name, d.Relative, tc.rel, tc.relLo, tc.rHi)
		}
	}

	if res.DF != 7 || !near(res.T, t975df7, 1e-9) || !near(res.Variance, 35.0/3, 1e-12) {
		t.Errorf("window df %d t %v variance %v; want 7 %v %v", res.DF, res.T, res.Variance, t975df7, 35.0/3)
	}
	m := t975df7 * math.Sqrt(35.0/3)
	if !near(m, 8.0767294286884, 1e-12) || !near(res.Margin, m, 1e-9) {
		t.Errorf("window margin %v, want %v", res.Margin, m)
	}
	c := res.Cumulative
	if c.Actual != 130 {
		t.Errorf("cumulative actual %v, want 130", c.Actual)
	}
	checkEst(t, "cumulative expected", c.Expected, Estimate{150, 150 - res.Margin, 150 + res.Margin})
	checkEst(t, "cumulative absolute", c.Absolute, Estimate{-20, -20 - res.Margin, -20 + res.Margin})
	checkEst(t, "cumulative relative", c.Relative, Estimate{-2.0 / 15, 130/(150+res.Margin) - 1, 130/(150-res.Margin) - 1})
	a := res.Average
	if a.Actual != 65 {
		t.Errorf("average actual %v, want 65", a.Actual)
	}
	checkEst(t, "average expected", a.Expected, Estimate{75, 75 - res.Margin/2, 75 + res.Margin/2})
	checkEst(t, "average absolute", a.Absolute, Estimate{-10, -10 - res.Margin/2, -10 + res.Margin/2})
	checkEst(t, "average relative", a.Relative, c.Relative)
	if res.Method == "" {
		t.Error("Method is empty: outputs must state the formula")
	}
}

// mondays is the series for the skipping fixtures: Mondays around May 2025,
// with 1,000 on the days that must be skipped so a mistake shows.
//
// For Monday 12 May 2025 the search goes back week by week:
//
//	k=1  5 May   bank holiday            skip
//	k=2  28 Apr  200                     use
//	k=3  21 Apr  Easter Monday           skip
//	k=4  14 Apr  in Exclude              skip
//	k=5  7 Apr   210                     use
//	k=6  31 Mar  missing                 skip
//	k=7  24 Mar  190                     use
//	k=8  17 Mar  205                     use
//	k=9  10 Mar  195                     use
//	k=10 3 Mar   200                     use  → 6 days, mean 200
//
// deviations 0 10 −10 5 −5 0, SS 250, s² = 50, variance 50·7/6 = 175/3.
func mondays() Series {
	return pts(map[string]float64{
		"2025-05-12": 180,
		"2025-05-05": 1000, "2025-04-28": 200, "2025-04-21": 1000, "2025-04-14": 1000, "2025-04-07": 210,
		"2025-03-24": 190, "2025-03-17": 205, "2025-03-10": 195, "2025-03-03": 200,
		"2025-02-24": 1000, "2025-02-17": 1000, "2025-02-10": 1000,
		// A NaN value is a missing day too.
		"2025-03-31": math.NaN(),
	})
}

func TestBaselineSkipsHolidaysExcludedAndMissingDays(t *testing.T) {
	res, err := Baseline(mondays(), Range(Date(2025, 5, 12), Date(2025, 5, 12)),
		BaselineOptions{Exclude: []DateRange{Range(Date(2025, 4, 14), Date(2025, 4, 16))}})
	if err != nil {
		t.Fatal(err)
	}
	d := res.Days[0]
	want := []string{"2025-04-28", "2025-04-07", "2025-03-24", "2025-03-17", "2025-03-10", "2025-03-03"}
	if got := days(d.BaselineDays); !reflect.DeepEqual(got, want) {
		t.Fatalf("baseline days = %v, want %v", got, want)
	}
	m := t975df5 * math.Sqrt(175.0/3)
	checkEst(t, "expected", d.Expected, Estimate{200, 200 - m, 200 + m})
	checkEst(t, "difference", d.Difference, Estimate{-20, -20 - m, -20 + m})
	if !near(d.Relative.Value, -0.1, 1e-12) || d.Short {
		t.Errorf("relative %v short %v", d.Relative.Value, d.Short)
	}
	// One day: ν = (v)²/(v²/5) = 5.
	if res.DF != 5 {
		t.Errorf("DF = %d, want 5", res.DF)
	}
}

func TestBaselineShortAndInsufficient(t *testing.T) {
	window := Range(Date(2025, 5, 12), Date(2025, 5, 12))
	t.Run("two days within 12 weeks", func(t *testing.T) {
		// Excluding 14 Apr and 9 Feb–6 Apr leaves 28 Apr and 7 Apr (the rest
		// are the holidays and the missing 31 Mar): mean 205, s² = 50, n = 2,
		// variance 50·1.5 = 75, df 1.
		res, err := Baseline(mondays(), window, BaselineOptions{Exclude: []DateRange{
			Range(Date(2025, 4, 14), Date(2025, 4, 14)), Range(Date(2025, 2, 9), Date(2025, 4, 6))}})
		if err != nil {
			t.Fatal(err)
		}
		d := res.Days[0]
		if !d.Short || !d.HasExpected || !d.Included || d.Note == "" {
			t.Errorf("want a short, included day with a note: %+v", d)
		}
		m := t975df1 * math.Sqrt(75)
		checkEst(t, "expected", d.Expected, Estimate{205, 205 - m, 205 + m})
		if res.DF != 1 {
			t.Errorf("DF = %d, want 1", res.DF)
		}
	})
	t.Run("one day within 12 weeks", func(t *testing.T) {
		res, err := Baseline(mondays(), window, BaselineOptions{Exclude: []DateRange{Range(Date(2025, 1, 1), Date(2025, 4, 27))}})
		if !errors.Is(err, ErrNoEstimate) {
			t.Fatalf("err = %v, want ErrNoEstimate", err)
		}
		d := res.Days[0]
		if d.HasExpected || d.Included || len(d.BaselineDays) != 1 || d.Note == "" {
			t.Errorf("want no estimate with one baseline day and a note: %+v", d)
		}
	})
	t.Run("MaxWeeks stops the search", func(t *testing.T) {
		// Only 28 Apr (k=2) and 10 Feb (k=13) are usable; 13 weeks is beyond
		// MaxWeeks 12 but within 13.
		s := pts(map[string]float64{"2025-05-12": 1, "2025-04-28": 10, "2025-02-10": 20})
		if _, err := Baseline(s, window, BaselineOptions{WidenWeeks: 12}); !errors.Is(err, ErrNoEstimate) {
			t.Errorf("MaxWeeks 12, no widening: err = %v, want ErrNoEstimate", err)
		}
		// By default the search widens beyond MaxWeeks and says so.
		wide, err := Baseline(s, window, BaselineOptions{})
		if err != nil {
			t.Fatalf("widened search: %v", err)
		}
		if d := wide.Days[0]; !d.Widened || d.WeeksSearched != DefaultWidenWeeks || wide.Widened != 1 || !strings.Contains(d.Note, "26 weeks") {
			t.Errorf("widened day %+v", d)
		}
		res, err := Baseline(s, window, BaselineOptions{MaxWeeks: 13, WidenWeeks: 13})
		if err != nil {
			t.Fatal(err)
		}
		if got := days(res.Days[0].BaselineDays); !reflect.DeepEqual(got, []string{"2025-04-28", "2025-02-10"}) {
			t.Errorf("baseline days %v", got)
		}
	})
	t.Run("bank holiday and missing window days are not counted", func(t *testing.T) {
		s := mondays()
		// Window 5–12 May: 5 May is a bank holiday, 6–11 May are missing.
		res, err := Baseline(s, Range(Date(2025, 5, 5), Date(2025, 5, 12)), BaselineOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res.DaysIncluded != 1 || !res.Days[0].BankHoliday || res.Days[0].Included || res.Days[1].HasObserved {
			t.Errorf("included %d, first day %+v", res.DaysIncluded, res.Days[0])
		}
		// The window itself is excluded from baselines: 12 May must not
		// use 5 May even though it is a week earlier (it is also a holiday),
		// and the result for 12 May is the same as with a one-day window
		// except that 5 May is now part of the window.
		if got := days(res.Days[7].BaselineDays); got[0] != "2025-04-28" {
			t.Errorf("12 May baseline starts %v", got)
		}
	})
}

func TestBaselineLongWindowExcludesItself(t *testing.T) {
	// A 10-day window: the second Monday must not use the first.
	s := synthetic(Date(2024, 1, 1), Date(2024, 12, 31), 0.02, 7)
	w := Range(Date(2024, 10, 7), Date(2024, 10, 16))
	res, err := Baseline(s, w, BaselineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Days {
		for _, b := range d.BaselineDays {
			if w.Contains(b) {
				t.Errorf("%s uses %s from its own window", d.Day.Format(time.DateOnly), b.Format(time.DateOnly))
			}
		}
	}
}

func TestBaselineErrors(t *testing.T) {
	ok := Range(Date(2025, 3, 11), Date(2025, 3, 12))
	dup := Series{{Day: Date(2025, 3, 4), Value: 1}, {Day: Date(2025, 3, 4), Value: 2}}
	for _, tc := range []struct {
		name   string
		s      Series
		w      DateRange
		o      BaselineOptions
		target error
	}{
		{"reversed window", nil, Range(Date(2025, 3, 12), Date(2025, 3, 11)), BaselineOptions{}, nil},
		{"zero window", nil, DateRange{}, BaselineOptions{}, nil},
		{"one week", nil, ok, BaselineOptions{Weeks: 1}, nil},
		{"max below weeks", nil, ok, BaselineOptions{Weeks: 6, MaxWeeks: 5}, nil},
		{"bad exclude", nil, ok, BaselineOptions{Exclude: []DateRange{{}}}, nil},
		{"duplicate day", dup, ok, BaselineOptions{}, ErrDuplicateDay},
		{"no data", nil, ok, BaselineOptions{}, ErrNoEstimate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Baseline(tc.s, tc.w, tc.o)
			if err == nil {
				t.Fatal("want an error")
			}
			if tc.target != nil && !errors.Is(err, tc.target) {
				t.Errorf("err = %v, want %v", err, tc.target)
			}
		})
	}
}

// The acceptance scenario of issue #4: two years of generated daily data
// with a weekday pattern and 2% noise (fixed seed); a 5-day strike window
// (Friday to Tuesday, like July 2025) with every day cut by 15%.
var (
	acceptFrom   = Date(2023, 1, 1)
	acceptTo     = Date(2024, 12, 31)
	strikeWindow = Range(Date(2024, 7, 26), Date(2024, 7, 30))
	quietWindow  = Range(Date(2024, 10, 4), Date(2024, 10, 8))
)

func TestAcceptanceStrikeDrop(t *testing.T) {
	s := withFactor(synthetic(acceptFrom, acceptTo, 0.02, 42), strikeWindow, 0.85)

	res, err := Baseline(s, strikeWindow, BaselineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rel := res.Cumulative.Relative
	t.Logf("strike window: relative %.4f [%.4f, %.4f], df %d", rel.Value, rel.Lower, rel.Upper, res.DF)
	if math.Abs(rel.Value-(-0.15)) > 0.02 {
		t.Errorf("relative effect %.4f, want −0.15 ± 0.02", rel.Value)
	}
	if !(rel.Upper < 0) || !(res.Cumulative.Absolute.Upper < 0) {
		t.Errorf("interval should exclude zero: relative %+v, absolute %+v", rel, res.Cumulative.Absolute)
	}

	quiet, err := Baseline(s, quietWindow, BaselineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	q := quiet.Cumulative.Relative
	t.Logf("quiet window: relative %.4f [%.4f, %.4f]", q.Value, q.Lower, q.Upper)
	if !(q.Lower < 0 && q.Upper > 0) || !(quiet.Cumulative.Absolute.Lower < 0 && quiet.Cumulative.Absolute.Upper > 0) {
		t.Errorf("untouched window's interval should include zero: %+v", quiet.Cumulative)
	}
}

// TestBaselineCoverage checks calibration on data with no effect: across
// every 5-day window of 2024 the 95% window interval should include zero
// about 95% of the time.
func TestBaselineCoverage(t *testing.T) {
	s := synthetic(acceptFrom, acceptTo, 0.02, 99)
	var n, covered int
	for start := Date(2024, 1, 8); start.Before(Date(2024, 12, 20)); start = start.AddDate(0, 0, 3) {
		res, err := Baseline(s, Range(start, start.AddDate(0, 0, 4)), BaselineOptions{})
		if err != nil {
			t.Fatal(err)
		}
		n++
		if a := res.Cumulative.Absolute; a.Lower <= 0 && a.Upper >= 0 {
			covered++
		}
	}
	share := float64(covered) / float64(n)
	t.Logf("coverage %d/%d = %.3f", covered, n, share)
	if share < 0.88 || share > 0.995 {
		t.Errorf("coverage %.3f is far from 0.95", share)
	}
}

func TestBaselineScaling(t *testing.T) {
	s := withFactor(synthetic(acceptFrom, acceptTo, 0.02, 42), strikeWindow, 0.85)
	base, err := Baseline(s, strikeWindow, BaselineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []float64{0.001, 3, 1000} {
		got, err := Baseline(s.Scale(k), strikeWindow, BaselineOptions{})
		if err != nil {
			t.Fatal(err)
		}
		scaled := func(e Estimate) Estimate { return Estimate{e.Value * k, e.Lower * k, e.Upper * k} }
		for i := range base.Days {
			b, g := base.Days[i], got.Days[i]
			checkEst2(t, "day difference", g.Difference, scaled(b.Difference), 1e-9)
			checkEst2(t, "day relative", g.Relative, b.Relative, 1e-9)
		}
		for _, row := range []struct {
			name string
			b, g EffectRow
		}{{"cumulative", base.Cumulative, got.Cumulative}, {"average", base.Average, got.Average}} {
			checkEst2(t, row.name+" absolute", row.g.Absolute, scaled(row.b.Absolute), 1e-9)
			checkEst2(t, row.name+" expected", row.g.Expected, scaled(row.b.Expected), 1e-9)
			checkEst2(t, row.name+" relative", row.g.Relative, row.b.Relative, 1e-9)
		}
		if got.DF != base.DF {
			t.Errorf("k=%v: DF %d, want %d", k, got.DF, base.DF)
		}
	}
}

func checkEst2(t *testing.T, what string, got, want Estimate, tol float64) {
	t.Helper()
	if !near(got.Value, want.Value, tol) || !near(got.Lower, want.Lower, tol) || !near(got.Upper, want.Upper, tol) {
		t.Errorf("%s = %+v, want %+v", what, got, want)
	}
}

func TestBaselineIgnoresUnrelatedDays(t *testing.T) {
	s := withFactor(synthetic(acceptFrom, acceptTo, 0.02, 42), strikeWindow, 0.85)
	want, err := Baseline(s, strikeWindow, BaselineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	used := map[time.Time]bool{}
	for _, d := range want.Days {
		for _, b := range d.BaselineDays {
			used[b] = true
		}
	}
	for _, d := range []time.Time{
		Date(2023, 3, 15),  // long before the window
		Date(2024, 7, 17),  // a Wednesday before the window: no window day is a Wednesday
		Date(2024, 5, 3),   // a Friday 12 weeks back, beyond the 6 needed
		Date(2024, 7, 31),  // the day after the window
		Date(2024, 12, 31), // long after
	} {
		if used[d] || strikeWindow.Contains(d) {
			t.Fatalf("test setup: %s is in the window or the baseline", d.Format(time.DateOnly))
		}
		got, err := Baseline(withValue(s, d, 1e9), strikeWindow, BaselineOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("changing %s changed the result", d.Format(time.DateOnly))
		}
		// Removing the day altogether changes nothing either.
		got, err = Baseline(withValue(s, d, math.NaN()), strikeWindow, BaselineOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("removing %s changed the result", d.Format(time.DateOnly))
		}
	}
	// The control: changing a day the baseline does use changes it.
	first := want.Days[0].BaselineDays[0]
	got, err := Baseline(withValue(s, first, 1e9), strikeWindow, BaselineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(got, want) {
		t.Errorf("changing baseline day %s did not change the result", first.Format(time.DateOnly))
	}
}

func TestNetEffect(t *testing.T) {
	s := withFactor(synthetic(acceptFrom, acceptTo, 0.02, 42), strikeWindow, 0.85)
	// Half the lost appointments come back over the following week.
	s = withFactor(s, Range(Date(2024, 7, 31), Date(2024, 8, 6)), 1.05)
	onDay, err := Baseline(s, strikeWindow, BaselineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	net, err := NetEffect(s, strikeWindow, BaselineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !net.Window.From.Equal(Date(2024, 7, 12)) || !net.Window.To.Equal(Date(2024, 8, 13)) || len(net.Days) != 33 {
		t.Fatalf("net window %s with %d days", net.Window, len(net.Days))
	}
	// 26 Aug 2024 is outside; no bank holiday in the net window.
	if net.DaysIncluded != 33 {
		t.Errorf("included %d of 33", net.DaysIncluded)
	}
	for _, d := range net.Days {
		for _, b := range d.BaselineDays {
			if net.Window.Contains(b) {
				t.Errorf("%s uses %s from the net window", d.Day.Format(time.DateOnly), b.Format(time.DateOnly))
			}
		}
	}
	on, nt := onDay.Cumulative.Absolute.Value, net.Cumulative.Absolute.Value
	t.Logf("on-day %.0f (%.2f%%), net %.0f (%.2f%%)", on, 100*onDay.Cumulative.Relative.Value, nt, 100*net.Cumulative.Relative.Value)
	if !(nt > on) {
		t.Errorf("net effect %v should be smaller in size than on-day %v after the rebound", nt, on)
	}
}

// threeYears is the benchmark input: three years of daily data.
func threeYears() Series { return synthetic(Date(2023, 1, 1), Date(2025, 12, 31), 0.02, 1) }

func BenchmarkBaseline(b *testing.B) {
	s := threeYears()
	w := Range(Date(2025, 7, 25), Date(2025, 7, 29))
	for b.Loop() {
		if _, err := Baseline(s, w, BaselineOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNetEffect(b *testing.B) {
	s := threeYears()
	w := Range(Date(2025, 7, 25), Date(2025, 7, 29))
	for b.Loop() {
		if _, err := NetEffect(s, w, BaselineOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
