package impact

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"os"
	"strconv"
	"testing"
	"time"
)

// itsGolden mirrors testdata/its_golden.json, written by
// testdata/its_reference.py with statsmodels
// OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": L}).
type itsGolden struct {
	Statsmodels  string `json:"statsmodels"`
	Intervention string `json:"intervention"`
	Cases        map[string]struct {
		Series        string      `json:"series"`
		Exclude       [][2]string `json:"exclude"`
		MaxLagsOption int         `json:"maxlags_option"`
		N             int         `json:"n"`
		MaxLags       int         `json:"maxlags"`
		Seasonal      bool        `json:"seasonal"`
		Start         string      `json:"start"`
		T0            float64     `json:"t0"`
		Days          []string    `json:"days"`
		Params        []float64   `json:"params"`
		BSE           []float64   `json:"bse"`
		Z             []float64   `json:"zvalues"`
		P             []float64   `json:"pvalues"`
		ConfInt       [][]float64 `json:"conf_int"`
		Cov           [][]float64 `json:"cov"`
		Fitted        []float64   `json:"fitted"`
		CF            []float64   `json:"counterfactual"`
		MRC           float64     `json:"mean_relative_change"`
	} `json:"cases"`
}

func loadITSInput(t testing.TB) map[string]Series {
	t.Helper()
	f, err := os.Open("testdata/its_input.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Series{}
	for _, r := range rows[1:] {
		d, err := time.Parse(time.DateOnly, r[1])
		if err != nil {
			t.Fatal(err)
		}
		v, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		out[r[0]] = append(out[r[0]], Point{Day: d, Value: v})
	}
	return out
}

func mustDate(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// relErr is |a − b| relative to |b|, or absolute when |b| < 1e-3 so that
// near-zero quantities (tiny p-values, covariances of small terms) are not
// held to an impossible relative standard.
func relErr(a, b float64) float64 {
	return math.Abs(a-b) / math.Max(math.Abs(b), 1e-3)
}

// TestITSMatchesStatsmodels compares every number ITS reports with the
// statsmodels fixture, to 1e-6 relative.
func TestITSMatchesStatsmodels(t *testing.T) {
	raw, err := os.ReadFile("testdata/its_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g itsGolden
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	input := loadITSInput(t)
	iv := mustDate(t, g.Intervention)
	const tol = 1e-6
	for name, c := range g.Cases {
		t.Run(name, func(t *testing.T) {
			opts := ITSOptions{MaxLags: c.MaxLagsOption}
			for _, e := range c.Exclude {
				opts.Exclude = append(opts.Exclude, Range(mustDate(t, e[0]), mustDate(t, e[1])))
			}
			res, err := ITS(input[c.Series], iv, opts)
			if err != nil {
				t.Fatal(err)
			}
			if res.N != c.N || res.MaxLags != c.MaxLags || res.Seasonal != c.Seasonal ||
				res.Start.Format(time.DateOnly) != c.Start || res.T0 != c.T0 || len(res.Days) != len(c.Days) {
				t.Fatalf("N %d L %d seasonal %v start %s t0 %v days %d; want %d %d %v %s %v %d",
					res.N, res.MaxLags, res.Seasonal, res.Start.Format(time.DateOnly), res.T0, len(res.Days),
					c.N, c.MaxLags, c.Seasonal, c.Start, c.T0, len(c.Days))
			}
			for i, d := range res.Days {
				if d.Day.Format(time.DateOnly) != c.Days[i] {
					t.Fatalf("modelled day %d = %s, want %s", i, d.Day.Format(time.DateOnly), c.Days[i])
				}
			}
			var worst float64
			check := func(what string, got, want float64) {
				t.Helper()
				e := relErr(got, want)
				worst = math.Max(worst, e)
				if e > tol {
					t.Errorf("%s = %.12g, statsmodels %.12g (error %.2g)", what, got, want, e)
				}
			}
			for j, co := range res.Coefficients {
				check(co.Term+" estimate", co.Estimate, c.Params[j])
				check(co.Term+" SE", co.SE, c.BSE[j])
				check(co.Term+" z", co.Z, c.Z[j])
				check(co.Term+" p", co.P, c.P[j])
				check(co.Term+" lower", co.Lower, c.ConfInt[j][0])
				check(co.Term+" upper", co.Upper, c.ConfInt[j][1])
				for k := range res.Coefficients {
					check("cov", res.Covariance[j][k], c.Cov[j][k])
				}
			}
			for i, d := range res.Days {
				check("fitted", d.Fitted, c.Fitted[i])
				check("counterfactual", d.Counterfactual, c.CF[i])
			}
			check("mean relative change", res.MeanRelativeChange, c.MRC)
			if res.Level != res.Coefficients[2] || res.Slope != res.Coefficients[3] ||
				res.Level.Term != TermPost || res.Slope.Term != TermTimePost {
				t.Errorf("Level/Slope are not β2/β3: %+v %+v", res.Level, res.Slope)
			}
			t.Logf("statsmodels %s: level %.3f (SE %.3f), slope %.4f, mean relative change %.4f; worst relative error %.2g",
				g.Statsmodels, res.Level.Estimate, res.Level.SE, res.Slope.Estimate, res.MeanRelativeChange, worst)
		})
	}
}

func TestITSDesign(t *testing.T) {
	s := loadITSInput(t)["long"]
	res, err := ITS(s, Date(2025, 10, 1), ITSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Days {
		if wd := d.Day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Fatalf("weekend day %s modelled", d.Day.Format(time.DateOnly))
		}
		if d.Post != !d.Day.Before(Date(2025, 10, 1)) {
			t.Fatalf("%s: post = %v", d.Day.Format(time.DateOnly), d.Post)
		}
		if !d.Post && d.Fitted != d.Counterfactual {
			t.Fatalf("%s: pre-period counterfactual differs from fitted", d.Day.Format(time.DateOnly))
		}
	}
	// 25 Dec 2024 is in the input but must not be modelled.
	for _, d := range res.Days {
		if d.Day.Equal(Date(2024, 12, 25)) {
			t.Fatal("bank holiday modelled")
		}
	}
	off, err := ITS(s, Date(2025, 10, 1), ITSOptions{Seasonality: SeasonalOff})
	if err != nil {
		t.Fatal(err)
	}
	if off.Seasonal || len(off.Terms) != 8 || !res.Seasonal || len(res.Terms) != 10 {
		t.Errorf("seasonal switch: auto %v/%d terms, off %v/%d terms", res.Seasonal, len(res.Terms), off.Seasonal, len(off.Terms))
	}
	if res.Method == "" {
		t.Error("Method is empty")
	}
}

func TestNeweyWestLags(t *testing.T) {
	// ⌊4(T/100)^(2/9)⌋ by hand: T=100 → 4; T=144 → 4·1.0844 = 4.34 → 4;
	// T=738 → 4·1.5594 = 6.24 → 6; T=50 → 4·0.857 = 3.43 → 3.
	for n, want := range map[int]int{50: 3, 100: 4, 144: 4, 738: 6} {
		if got := NeweyWestLags(n); got != want {
			t.Errorf("NeweyWestLags(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestITSErrors(t *testing.T) {
	s := loadITSInput(t)["short"]
	onlyMonTue := Series{}
	for _, p := range s {
		if wd := p.Day.Weekday(); wd == time.Monday || wd == time.Tuesday {
			onlyMonTue = append(onlyMonTue, p)
		}
	}
	for _, tc := range []struct {
		name   string
		s      Series
		iv     time.Time
		o      ITSOptions
		target error
	}{
		{"intervention before the series", s, Date(2025, 1, 1), ITSOptions{}, nil},
		{"intervention after the series", s, Date(2026, 1, 1), ITSOptions{}, nil},
		{"empty", nil, Date(2025, 10, 1), ITSOptions{}, nil},
		{"duplicate day", append(Series{{Day: Date(2025, 6, 2), Value: 1}}, s...), Date(2025, 10, 1), ITSOptions{}, ErrDuplicateDay},
		{"weekday never seen", onlyMonTue, Date(2025, 10, 1), ITSOptions{}, ErrRankDeficient},
		{"negative lags", s, Date(2025, 10, 1), ITSOptions{MaxLags: -1}, nil},
		{"bad exclude", s, Date(2025, 10, 1), ITSOptions{Exclude: []DateRange{{}}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ITS(tc.s, tc.iv, tc.o)
			if err == nil {
				t.Fatal("want an error")
			}
			if tc.target != nil && !errors.Is(err, tc.target) {
				t.Errorf("err = %v, want %v", err, tc.target)
			}
		})
	}
}

func BenchmarkITS(b *testing.B) {
	s := threeYears()
	for b.Loop() {
		if _, err := ITS(s, Date(2025, 10, 1), ITSOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
