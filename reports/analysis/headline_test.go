package analysis

import "testing"

func TestHeadlineSentence(t *testing.T) {
	base := Headline{Measure: "Attended GP appointments", Area: "England", Period: "during the strike", Days: 5}
	with := func(f func(*Headline)) Headline { h := base; f(&h); return h }
	cases := []struct {
		name string
		h    Headline
		want string
	}{
		{"below, significant", with(func(h *Headline) {
			h.Relative = EstimateView{Value: -0.0823, Lower: -0.0961, Upper: -0.0678}
			h.Absolute = EstimateView{Value: -61_234}
		}), "Attended GP appointments in England were 8.2% below expected during the strike (95% interval 9.6% to 6.8% below): about 61,000 fewer than expected over 5 days."},
		{"above, significant, one day", with(func(h *Headline) {
			h.Relative = EstimateView{Value: 0.031, Lower: 0.012, Upper: 0.0504}
			h.Absolute = EstimateView{Value: 1_234_567}
			h.Days = 1
		}), "Attended GP appointments in England were 3.1% above expected during the strike (95% interval 1.2% to 5.0% above): about 1,200,000 more than expected over 1 day."},
		{"interval spans zero", with(func(h *Headline) {
			h.Relative = EstimateView{Value: -0.012, Lower: -0.030, Upper: 0.006}
			h.Absolute = EstimateView{Value: -4_449}
		}), "Attended GP appointments in England showed no significant effect during the strike: 1.2% below expected (95% interval 3.0% below to 0.6% above): about 4,400 fewer than expected over 5 days."},
		{"interval touches zero", with(func(h *Headline) {
			h.Relative = EstimateView{Value: 0.02, Lower: 0, Upper: 0.04}
			h.Absolute = EstimateView{Value: 87}
			h.Days = 2
		}), "Attended GP appointments in England showed no significant effect during the strike: 2.0% above expected (95% interval no change to 4.0% above): about 87 more than expected over 2 days."},
		{"ratio metric, singular verb", Headline{Measure: "DNA rate", Area: "England", Period: "during the strike", Days: 3, Ratio: true,
			Relative: EstimateView{Value: 0.10, Lower: 0.05, Upper: 0.151}, Actual: 0.0451, Expected: 0.041},
			"DNA rate in England was 10.0% above expected during the strike (95% interval 5.0% to 15.1% above): 4.5% against 4.1% expected over 3 days."},
		{"large day count has separators", with(func(h *Headline) {
			h.Relative = EstimateView{Value: -0.5, Lower: -0.6, Upper: -0.4}
			h.Absolute = EstimateView{Value: -12}
			h.Days = 1200
			h.Area = ""
			h.Period = ""
		}), "Attended GP appointments were 50.0% below expected (95% interval 60.0% to 40.0% below): about 12 fewer than expected over 1,200 days."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.h.Sentence(); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestNumberWords(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{Thousands(61234.4), "61,234"}, {Thousands(-1234567), "-1,234,567"}, {Thousands(999), "999"},
		{Percent(0.0823), "8.2%"}, {Percent(-0.00001), "0.0%"}, {Percent(0.0005), "0.1%"},
		{Plural(1, "day", "days"), "1 day"}, {Plural(0, "day", "days"), "0 days"}, {Plural(12000, "day", "days"), "12,000 days"},
		{ShortLabel("DNA rate (DNA / (attended + DNA))"), "DNA rate"}, {AreaNames([]string{"ENGLAND"}), "England"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	for _, c := range []struct{ in, want float64 }{{61234, 61000}, {-4449, -4400}, {87.4, 87}, {1_234_567, 1_200_000}, {150, 150}, {155, 160}} {
		if got := Round2(c.in); got != c.want {
			t.Errorf("Round2(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestITSSentence(t *testing.T) {
	its := ITSView{InterventionDay: "2025-10-01", Days: []ITSDayView{{Date: "2025-09-30"}, {Date: "2025-10-01"}, {Date: "2025-10-02"}},
		Level: CoefView{Estimate: 12_340, Lower: 9_020, Upper: 15_660}, Slope: CoefView{Estimate: 1, Lower: -2, Upper: 4}, MeanRelativeChange: 0.031}
	want := "Total appointments in England rose by about 12,000 a day when the change came in (95% interval 9,000 to 16,000 a day); " +
		"the trend afterwards did not change significantly. Over the 2 working days modelled after it, the figure was 3.1% above the counterfactual (the earlier trend carried on)."
	if got := ITSSentence("Total appointments", "England", its, "appointments", 0.95); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	its.Level = CoefView{Estimate: -0.004, Lower: -0.01, Upper: 0.002}
	its.Slope = CoefView{Estimate: -0.001, Lower: -0.0015, Upper: -0.0005}
	its.MeanRelativeChange = 0
	want = "DNA rate in England showed no significant step when the change came in: about 0.4 percentage points lower (95% interval 1.0 percentage points lower to 0.2 percentage points higher); " +
		"the trend afterwards was falling by a further 0.70 percentage points a week. Over the 2 working days modelled after it, the figure was in line with the counterfactual (the earlier trend carried on)."
	if got := ITSSentence("DNA rate", "England", its, "ratio", 0.95); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
