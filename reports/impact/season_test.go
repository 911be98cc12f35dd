package impact

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

func TestSeasonContains(t *testing.T) {
	for _, tc := range []struct {
		day  time.Time
		want bool
	}{
		{Date(2023, 12, 23), false}, {Date(2023, 12, 24), true}, {Date(2023, 12, 31), true},
		{Date(2024, 1, 1), true}, {Date(2024, 1, 2), true}, {Date(2024, 1, 3), false}, {Date(2024, 7, 1), false},
	} {
		if got := ChristmasNewYear.Contains(tc.day); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.day.Format(time.DateOnly), got, tc.want)
		}
	}
	summer := Season{FromMonth: time.August, FromDay: 1, ToMonth: time.August, ToDay: 3, Reason: "x"}
	if !summer.Contains(Date(2024, 8, 2)) || summer.Contains(Date(2024, 8, 4)) {
		t.Error("a season within one month")
	}
}

// holidaySeason returns synthetic data with the real shape of the holiday
// season: working days between Christmas and New Year at 70% of normal.
func holidaySeason() Series {
	s := synthetic(Date(2023, 6, 1), Date(2024, 3, 31), 0.02, 11)
	for _, y := range []int{2023} {
		s = withFactor(s, Range(Date(y, 12, 24), Date(y+1, 1, 2)), 0.70)
	}
	return s
}

// TestChristmasDipKeptOutOfBaseline is the January 2024 round on data with a
// holiday dip: a 15% drop on 3–8 January is recovered within 2 pp because
// 27–29 December never enter "expected"; without the season the same data
// gives a visibly smaller effect (the old behaviour).
func TestChristmasDipKeptOutOfBaseline(t *testing.T) {
	window := Range(Date(2024, 1, 3), Date(2024, 1, 8))
	s := withFactor(holidaySeason(), window, 0.85)
	res, err := Baseline(s, window, BaselineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rel := res.Cumulative.Relative; math.Abs(rel.Value+0.15) > 0.02 || rel.Upper >= 0 {
		t.Errorf("relative effect %.4f [%.4f, %.4f], want −0.15 ± 0.02 excluding zero", rel.Value, rel.Lower, rel.Upper)
	}
	found := false
	for _, x := range res.Excluded {
		if x.Day.Equal(Date(2023, 12, 27)) {
			found = x.Reason == ChristmasNewYear.Reason
		}
		if x.Day.Equal(Date(2023, 12, 25)) && x.Reason != ReasonBankHoliday {
			t.Errorf("25 Dec left out as %q, want bank holiday", x.Reason)
		}
	}
	if !found {
		t.Errorf("27 Dec not listed as left out for the season: %+v", res.Excluded)
	}
	old, err := Baseline(s, window, BaselineOptions{NoSeasons: true})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(old.Cumulative.Relative.Value+0.15) <= 0.02 {
		t.Errorf("without the season the effect is %.4f: the test data has no holiday dip to guard against", old.Cumulative.Relative.Value)
	}
}

// TestRatioWindowBetweenDailyValues is the property the issue asks for: a
// ratio's window figure is Σnum/Σden, which lies between its smallest and
// largest daily value (a sum of daily ratios would not), and so does its
// expected value.
func TestRatioWindowBetweenDailyValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for trial := 0; trial < 200; trial++ {
		var num, den Series
		for d := Date(2025, 1, 1); !d.After(Date(2025, 6, 30)); d = d.AddDate(0, 0, 1) {
			n := 1000 + rng.Float64()*100000
			r := 0.02 + 0.1*rng.Float64()
			den = append(den, Point{Day: d, Value: n})
			num = append(num, Point{Day: d, Value: n * r})
		}
		from := Date(2025, 5, 1).AddDate(0, 0, rng.IntN(40))
		window := Range(from, from.AddDate(0, 0, 1+rng.IntN(14)))
		res, err := BaselineRatio(num, den, window, BaselineOptions{})
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		elo, ehi := math.Inf(1), math.Inf(-1)
		sum := 0.0
		for _, d := range res.Days {
			if d.Included {
				lo, hi = math.Min(lo, d.Observed), math.Max(hi, d.Observed)
				elo, ehi = math.Min(elo, d.Expected.Value), math.Max(ehi, d.Expected.Value)
				sum += d.Observed
			}
		}
		c := res.Cumulative
		if c.Actual < lo-1e-12 || c.Actual > hi+1e-12 {
			t.Fatalf("trial %d: window ratio %v outside daily [%v, %v]", trial, c.Actual, lo, hi)
		}
		if c.Expected.Value < elo-1e-12 || c.Expected.Value > ehi+1e-12 {
			t.Fatalf("trial %d: expected ratio %v outside daily [%v, %v]", trial, c.Expected.Value, elo, ehi)
		}
		if res.DaysIncluded > 1 && math.Abs(c.Actual-sum) < 1e-9 {
			t.Fatalf("trial %d: window ratio equals the sum of daily ratios", trial)
		}
		if c.Expected.Lower > c.Expected.Value || c.Expected.Upper < c.Expected.Value || res.Average != res.Cumulative {
			t.Fatalf("trial %d: interval %+v, average %+v", trial, c.Expected, res.Average)
		}
	}
}

// TestRatioWindowIsRatioOfSums checks the weighting on two days by hand:
// 10/100 and 90/300 give 100/400 = 25%, not the mean of 10% and 30%.
func TestRatioWindowIsRatioOfSums(t *testing.T) {
	num, den := Series{}, Series{}
	for d := Date(2025, 1, 6); d.Before(Date(2025, 3, 3)); d = d.AddDate(0, 0, 1) {
		num = append(num, Point{Day: d, Value: 20 + float64(d.YearDay()%3)})
		den = append(den, Point{Day: d, Value: 100})
	}
	num = append(num, Point{Day: Date(2025, 3, 3), Value: 10}, Point{Day: Date(2025, 3, 4), Value: 90})
	den = append(den, Point{Day: Date(2025, 3, 3), Value: 100}, Point{Day: Date(2025, 3, 4), Value: 300})
	res, err := BaselineRatio(num, den, Range(Date(2025, 3, 3), Date(2025, 3, 4)), BaselineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Ratio || math.Abs(res.Cumulative.Actual-0.25) > 1e-12 {
		t.Errorf("window ratio %v, want 0.25", res.Cumulative.Actual)
	}
	e0, e1 := res.Days[0].Expected.Value, res.Days[1].Expected.Value
	if want := (100*e0 + 300*e1) / 400; math.Abs(res.Cumulative.Expected.Value-want) > 1e-12 {
		t.Errorf("expected ratio %v, want %v", res.Cumulative.Expected.Value, want)
	}
}

// TestRecoveryWindowOverChristmas is the December 2025 round (resident
// doctors, 17–21 December, recovery 14 days to 4 January) on data with the
// holiday dip and a strike but no effect after it: the recovery window's
// Christmas days are left out of its figure and listed, so the season's
// dip is not read as a slow recovery. Counting them (NoSeasons, the
// behaviour before the season was known) drags the effect far below zero.
func TestRecoveryWindowOverChristmas(t *testing.T) {
	strike := Range(Date(2025, 12, 17), Date(2025, 12, 21))
	recovery := Range(Date(2025, 12, 22), Date(2026, 1, 4))
	before := Range(Date(2025, 12, 3), Date(2025, 12, 16))
	s := synthetic(Date(2025, 3, 1), Date(2026, 3, 31), 0.02, 17)
	s = withFactor(s, Range(Date(2025, 12, 24), Date(2026, 1, 2)), 0.70)
	s = withFactor(s, strike, 0.85)
	// As the analysis measures recovery: the whole span is the event's own.
	opts := BaselineOptions{Own: []DateRange{Range(before.From, recovery.To)}}

	res, err := Baseline(s, recovery, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rel := res.Cumulative.Relative; math.Abs(rel.Value) > 0.02 || rel.Lower > 0 || rel.Upper < 0 {
		t.Errorf("recovery effect %.4f [%.4f, %.4f], want about 0 with an interval spanning it", rel.Value, rel.Lower, rel.Upper)
	}
	want := map[time.Time]string{}
	for d := Date(2025, 12, 24); !d.After(Date(2026, 1, 2)); d = d.AddDate(0, 0, 1) {
		want[d] = ChristmasNewYear.Reason
	}
	for _, d := range []time.Time{Date(2025, 12, 25), Date(2025, 12, 26), Date(2026, 1, 1)} {
		want[d] = ReasonBankHoliday
	}
	if len(res.WindowExcluded) != len(want) {
		t.Errorf("window left out %d days, want %d: %+v", len(res.WindowExcluded), len(want), res.WindowExcluded)
	}
	for i, x := range res.WindowExcluded {
		if why, ok := want[x.Day]; !ok || why != x.Reason {
			t.Errorf("window left out %s as %q, want %q", x.Day.Format(time.DateOnly), x.Reason, why)
		}
		if i > 0 && !res.WindowExcluded[i-1].Day.Before(x.Day) {
			t.Errorf("window left-out days not in date order: %+v", res.WindowExcluded)
		}
	}
	if got := res.DaysIncluded; got != recovery.Days()-len(want) {
		t.Errorf("recovery counts %d days, want %d", got, recovery.Days()-len(want))
	}
	for _, d := range res.Days {
		if d.Included == (want[d.Day] != "") {
			t.Errorf("%s included %v", d.Day.Format(time.DateOnly), d.Included)
		}
	}

	old, err := Baseline(s, recovery, BaselineOptions{Own: opts.Own, NoSeasons: true})
	if err != nil {
		t.Fatal(err)
	}
	if old.Cumulative.Relative.Value > -0.05 {
		t.Errorf("with the season days counted the recovery effect is %.4f: the data has no holiday dip to guard against", old.Cumulative.Relative.Value)
	}
}
