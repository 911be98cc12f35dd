package impact

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// The DOMAIN §4.3 test vector. By hand: Σx = 35, mean = 35/18 = 1.944;
// moving ranges 1,1,1,8,9 then twelve 1s: Σ = 32 over 17, mean MR 1.882;
// limits 1.944 ± 2.66·1.882 = 6.95 / −3.06. Screening drops MR ≥
// 3.267·1.882 = 6.15 (the 8 and the 9): mean MR 1 → 4.60 / −0.72.
var domainVector = []float64{1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func TestSPCDomainVector(t *testing.T) {
	for _, tc := range []struct {
		name           string
		screen         bool
		upl, mean, lpl float64
		meanMR         float64
		used, dropped  int
		outsideIndexes []int
		methodMentions string
	}{
		{"unscreened", false, 6.95, 1.94, -3.06, 32.0 / 17, 17, 0, []int{4}, "not screened"},
		{"screened", true, 4.60, 1.94, -0.72, 1, 15, 2, []int{4}, "screened out"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := SPC(domainVector, SPCOptions{ScreenMovingRanges: tc.screen})
			if len(res.Groups) != 1 {
				t.Fatalf("groups = %d", len(res.Groups))
			}
			g := res.Groups[0]
			if round2(g.UPL) != tc.upl || round2(g.Mean) != tc.mean || round2(g.LPL) != tc.lpl {
				t.Errorf("limits %.2f / %.2f / %.2f, want %.2f / %.2f / %.2f", g.UPL, g.Mean, g.LPL, tc.upl, tc.mean, tc.lpl)
			}
			if !near(g.Mean, 35.0/18, 1e-15) || !near(g.MeanMR, tc.meanMR, 1e-15) || g.MRUsed != tc.used || g.MRDropped != tc.dropped {
				t.Errorf("mean %v meanMR %v used %d dropped %d", g.Mean, g.MeanMR, g.MRUsed, g.MRDropped)
			}
			if !near(g.NearUPL, g.Mean+2*2.66/3*g.MeanMR, 1e-15) || !near(g.NearLPL, g.Mean-2*2.66/3*g.MeanMR, 1e-15) {
				t.Errorf("near limits %v %v", g.NearUPL, g.NearLPL)
			}
			if res.Screened != tc.screen || !strings.Contains(res.Method, tc.methodMentions) {
				t.Errorf("Screened %v, Method %q", res.Screened, res.Method)
			}
			var outside []int
			for _, p := range res.Points {
				if p.Rule != RuleNone {
					if p.Rule != RuleOutsideLimits {
						t.Errorf("point %d: unexpected rule %s", p.Index, p.Rule)
					}
					outside = append(outside, p.Index)
				}
			}
			if !reflect.DeepEqual(outside, tc.outsideIndexes) {
				t.Errorf("special-cause points %v, want %v", outside, tc.outsideIndexes)
			}
			if p := res.Points[4]; p.Label != "Above UCL" || p.PointType != "special_cause_neutral_high" {
				t.Errorf("point 4: %q %q", p.Label, p.PointType)
			}
			if res.Points[0].HasMovingRange || !res.Points[5].HasMovingRange || res.Points[5].MovingRange != 9 {
				t.Errorf("moving ranges: %+v %+v", res.Points[0], res.Points[5])
			}
		})
	}
}

// base is ten points alternating 9 and 11 used with BaselinePoints 10 to pin
// the lines: mean 10, mean MR 2, limits 10 ± 5.32 (4.68 / 15.32), near-limit
// lines 10 ± 3.5467 (6.4533 / 13.5467).
var base = []float64{9, 11, 9, 11, 9, 11, 9, 11, 9, 11}

func withBase(tail ...float64) []float64 { return append(append([]float64(nil), base...), tail...) }

func TestSPCRules(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []float64
		// want maps index → label for every special-cause point.
		want map[int]string
	}{
		{"common cause only", withBase(10.5, 9.5, 10.5, 9.5), map[int]string{}},
		{"outside both limits", withBase(15.33, 10, 4.67), map[int]string{10: "Above UCL", 12: "Below LCL"}},
		{"a point on the limit is inside", withBase(10+2.66*2, 10), map[int]string{}},
		{"shift of seven above", withBase(10.5, 11, 10.5, 11, 10.5, 11, 10.5),
			// index 9 (11) is above the mean too: the run is 9..16.
			map[int]string{9: "7 Points Above CL", 10: "7 Points Above CL", 11: "7 Points Above CL", 12: "7 Points Above CL",
				13: "7 Points Above CL", 14: "7 Points Above CL", 15: "7 Points Above CL", 16: "7 Points Above CL"}},
		{"shift of seven below", withBase(9.5, 9, 9.5, 9, 9.5, 9, 9.5),
			map[int]string{10: "7 Points Below CL", 11: "7 Points Below CL", 12: "7 Points Below CL", 13: "7 Points Below CL",
				14: "7 Points Below CL", 15: "7 Points Below CL", 16: "7 Points Below CL"}},
		{"six on one side is not a shift", withBase(9.5, 9, 9.5, 9, 9.5, 9, 10.5), map[int]string{}},
		{"a point on the mean breaks a shift", withBase(10.5, 11, 10.5, 10, 10.5, 11, 10.5, 11), map[int]string{}},
		{"trend of seven rising", withBase(8, 8.5, 9, 9.5, 10, 10.5, 11),
			map[int]string{10: "7 Point Trend (Increasing)", 11: "7 Point Trend (Increasing)", 12: "7 Point Trend (Increasing)",
				13: "7 Point Trend (Increasing)", 14: "7 Point Trend (Increasing)", 15: "7 Point Trend (Increasing)", 16: "7 Point Trend (Increasing)"}},
		{"trend of seven falling", withBase(12, 11.5, 11, 10.5, 10, 9.5, 9),
			// 11 → 12 at index 9 → 10 is a rise, so the run starts at 10.
			map[int]string{10: "7 Point Trend (Decreasing)", 11: "7 Point Trend (Decreasing)", 12: "7 Point Trend (Decreasing)",
				13: "7 Point Trend (Decreasing)", 14: "7 Point Trend (Decreasing)", 15: "7 Point Trend (Decreasing)", 16: "7 Point Trend (Decreasing)"}},
		{"equal neighbours break a trend", withBase(8, 8.5, 9, 9, 9.5, 10, 10.5, 11), map[int]string{}},
		{"two of three above", withBase(14, 10.5, 14, 9.5), map[int]string{10: "2 in 3 Above CL", 12: "2 in 3 Above CL"}},
		{"two of three below", withBase(6, 6, 9.5), map[int]string{10: "2 in 3 Below CL", 11: "2 in 3 Below CL"}},
		// NHSRplotthedots also needs the third point on the same side.
		{"two of three with the third across the mean", withBase(14, 9.5, 14, 9.5), map[int]string{}},
		// A point beyond the limit does not count as near the limit.
		{"beyond the limit does not count", withBase(14, 16, 10.5), map[int]string{11: "Above UCL"}},
		{"near limits on opposite sides", withBase(14, 6, 14, 6), map[int]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := SPC(tc.values, SPCOptions{BaselinePoints: len(base)})
			if g := res.Groups[0]; g.Mean != 10 || g.MeanMR != 2 || g.BaselineN != 10 {
				t.Fatalf("baseline lines: %+v", g)
			}
			got := map[int]string{}
			for _, p := range res.Points {
				if p.Rule != RuleNone {
					got[p.Index] = p.Label
				} else if p.Label != "Common Cause" || p.PointType != "common_cause" {
					t.Errorf("point %d: %q %q", p.Index, p.Label, p.PointType)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("special cause %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSPCPrecedence(t *testing.T) {
	t.Run("two of three over shift", func(t *testing.T) {
		res := SPC(withBase(10.5, 10.5, 10.5, 10.5, 10.5, 14, 14), SPCOptions{BaselinePoints: 10})
		for i := 9; i <= 14; i++ {
			if p := res.Points[i]; p.Rule != RuleShift || !p.Shift {
				t.Errorf("point %d: %s", i, p.Rule)
			}
		}
		for _, i := range []int{15, 16} {
			if p := res.Points[i]; p.Rule != RuleTwoOfThree || !p.Shift || !p.TwoOfThree || p.Label != "2 in 3 Above CL" {
				t.Errorf("point %d: rule %s shift %v 2of3 %v", i, p.Rule, p.Shift, p.TwoOfThree)
			}
		}
	})
	t.Run("outside over trend, trend over two of three", func(t *testing.T) {
		res := SPC(withBase(6, 8, 9, 10, 11, 13.6, 16), SPCOptions{BaselinePoints: 10})
		if p := res.Points[16]; p.Rule != RuleOutsideLimits || !p.Trend {
			t.Errorf("last point: %+v", p)
		}
		if p := res.Points[15]; p.Rule != RuleTrend || p.Label != "7 Point Trend (Increasing)" || !p.CloseToLimits {
			t.Errorf("point 15: %+v", p)
		}
	})
	t.Run("peak shared by a rise and a fall", func(t *testing.T) {
		// NHSRplotthedots labels the peak with the direction of the step
		// after it.
		v := withBase(8, 8.5, 9, 9.5, 10, 10.5, 11, 10.5, 10, 9.5, 9, 8.5, 8)
		res := SPC(v, SPCOptions{BaselinePoints: 10})
		if res.Points[15].Label != "7 Point Trend (Increasing)" || res.Points[16].Label != "7 Point Trend (Decreasing)" ||
			res.Points[17].Label != "7 Point Trend (Decreasing)" {
			t.Errorf("labels %q %q %q", res.Points[15].Label, res.Points[16].Label, res.Points[17].Label)
		}
	})
}

func TestSPCRebase(t *testing.T) {
	v := []float64{10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 20, 21, 20, 21, 20, 21, 20, 21, 20, 21, 20, 21}
	one := SPC(v, SPCOptions{})
	flagged := 0
	for _, p := range one.Points {
		if p.Rule != RuleNone {
			flagged++
		}
	}
	if flagged == 0 {
		t.Fatal("a level jump without rebasing should be special cause")
	}
	two := SPC(v, SPCOptions{Rebase: []int{12, 0, 99, 12}})
	if len(two.Groups) != 2 || two.Groups[0].End != 11 || two.Groups[1].Start != 12 {
		t.Fatalf("groups %+v", two.Groups)
	}
	if two.Groups[0].Mean != 10.5 || two.Groups[1].Mean != 20.5 || two.Groups[0].MeanMR != 1 || two.Groups[1].MeanMR != 1 {
		t.Errorf("group lines %+v", two.Groups)
	}
	for _, p := range two.Points {
		if p.Rule != RuleNone {
			t.Errorf("point %d: %s after rebasing", p.Index, p.Rule)
		}
	}
	// The moving range does not cross the rebase.
	if two.Points[12].HasMovingRange {
		t.Error("first point of a group has a moving range")
	}
}

func TestSPCBaselinePoints(t *testing.T) {
	// Centre line and limits from the first 4 points (mean 2.5, MRs 1,1,1),
	// then held: the later 10s are outside.
	v := []float64{2, 3, 2, 3, 10, 10, 10}
	res := SPC(v, SPCOptions{BaselinePoints: 4})
	g := res.Groups[0]
	if g.Mean != 2.5 || g.MeanMR != 1 || g.BaselineN != 4 || g.MRUsed != 3 {
		t.Errorf("group %+v", g)
	}
	for i := 4; i < 7; i++ {
		if !res.Points[i].OutsideLimits {
			t.Errorf("point %d should be outside", i)
		}
	}
	// A short group gets the trial-limits warning.
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "trial limits") {
		t.Errorf("warnings %v", res.Warnings)
	}
}

func TestSPCPointType(t *testing.T) {
	v := withBase(16, 4)
	for _, tc := range []struct {
		improvement int
		high, low   string
	}{
		{1, "special_cause_improvement", "special_cause_concern"},
		{-1, "special_cause_concern", "special_cause_improvement"},
		{0, "special_cause_neutral_high", "special_cause_neutral_low"},
	} {
		res := SPC(v, SPCOptions{BaselinePoints: 10, Improvement: tc.improvement})
		if res.Points[10].PointType != tc.high || res.Points[11].PointType != tc.low {
			t.Errorf("improvement %d: %s %s", tc.improvement, res.Points[10].PointType, res.Points[11].PointType)
		}
	}
}

func TestSPCEdgeCases(t *testing.T) {
	if res := SPC(nil, SPCOptions{}); len(res.Points) != 0 || len(res.Groups) != 0 {
		t.Errorf("empty input: %+v", res)
	}
	res := SPC([]float64{5}, SPCOptions{})
	if res.Points[0].Rule != RuleNone || !math.IsNaN(res.Groups[0].MeanMR) {
		t.Errorf("single point: %+v", res)
	}
	res = SPC([]float64{1, math.NaN(), 2}, SPCOptions{})
	if len(res.Warnings) < 2 || !strings.Contains(res.Warnings[0], "not finite") {
		t.Errorf("NaN warning missing: %v", res.Warnings)
	}
}
