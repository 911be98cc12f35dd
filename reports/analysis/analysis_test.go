package analysis

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/holidays"
	"github.com/strikeline/strikeline/reports/impact"
)

// fakeSource holds a national daily total and splits it into categories by
// fixed shares, so filters and ratio metrics behave as on real data.
type fakeSource struct{ total map[time.Time]float64 }

var shares = map[string]map[string]float64{
	"status": {impact.StatusAttended: 0.90, impact.StatusDNA: 0.05, impact.StatusUnknown: 0.05},
	"hcp":    {impact.HCPGP: 0.45, impact.HCPOther: 0.50, impact.HCPUnknown: 0.05},
	"lead":   {impact.LeadSameDay: 0.40, impact.Lead1Day: 0.10, impact.Lead2To7Days: 0.30, impact.LeadUnknown: 0.20},
}

func share(dim string, codes []string) float64 {
	if len(codes) == 0 {
		return 1
	}
	s := 0.0
	for _, c := range codes {
		s += shares[dim][c]
	}
	return s
}

func (f fakeSource) Daily(_ context.Context, area string, from, to time.Time, flt impact.Filter) (impact.Series, error) {
	if flt.Dataset != impact.Appointments {
		return nil, nil
	}
	k := share("status", flt.Status) * share("hcp", flt.HCP) * share("lead", flt.Lead)
	var s impact.Series
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if v, ok := f.total[d]; ok {
			s = append(s, impact.Point{Day: d, Value: v * k})
		}
	}
	return s, nil
}

// generate makes two years of national daily appointments: a weekday
// pattern, an annual cycle, 2% noise from a fixed seed, practices closed on
// bank holidays; days in drop are multiplied by (1 − dropBy).
func generate(drop impact.DateRange, dropBy float64) fakeSource {
	rng := rand.New(rand.NewPCG(42, 7))
	weekday := map[time.Weekday]float64{time.Monday: 1.15, time.Tuesday: 1.05, time.Wednesday: 1, time.Thursday: 1, time.Friday: 0.95, time.Saturday: 0.08, time.Sunday: 0.02}
	src := fakeSource{total: map[time.Time]float64{}}
	for d := impact.Date(2024, 1, 1); d.Before(impact.Date(2026, 1, 1)); d = d.AddDate(0, 0, 1) {
		v := 1_300_000 * weekday[d.Weekday()] * (1 + 0.05*math.Sin(2*math.Pi*float64(d.YearDay())/365.25)) * (1 + 0.02*rng.NormFloat64())
		if holidays.IsBankHoliday(d) {
			v *= 0.03
		}
		if drop.Contains(d) {
			v *= 1 - dropBy
		}
		src.total[d] = math.Round(v)
	}
	return src
}

func strikeEvent(id int64, start, end string) models.Event {
	doc := models.EventDoc{Kind: models.KindStrikeRound, Title: "round", Start: start, End: end, StaffGroup: "resident_doctors",
		ActionType: "full_walkout", Sources: []models.Source{{URL: "https://example.org/"}}}
	e, err := doc.ToEvent()
	if err != nil {
		panic(err)
	}
	e.ID = id
	return *e
}

func TestInjectedDropIsRecovered(t *testing.T) {
	july := strikeEvent(1, "2025-07-25T07:00:00+01:00", "2025-07-30T07:00:00+01:00")
	quiet := strikeEvent(2, "2025-03-10T07:00:00Z", "2025-03-15T07:00:00Z")
	spec, err := Link(&july, []models.Event{july, quiet})
	if err != nil {
		t.Fatal(err)
	}
	if spec.Window.From != impact.Date(2025, 7, 25) || spec.Window.To != impact.Date(2025, 7, 29) {
		t.Fatalf("window = %v, want 2025-07-25..2025-07-29", spec.Window)
	}
	src := generate(spec.Window, 0.15)
	total, _ := impact.MetricByKey(impact.MetricTotal)
	spec.Metrics = []impact.Metric{total}
	res, err := Run(context.Background(), src, spec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Metrics[0].Baseline
	if b == nil {
		t.Fatalf("no baseline: %v", res.Metrics[0].Err)
	}
	rel := b.Cumulative.Relative
	if math.Abs(rel.Value-(-0.15)) > 0.02 {
		t.Errorf("relative effect = %.4f, want −0.15 ± 0.02", rel.Value)
	}
	if rel.Upper >= 0 {
		t.Errorf("interval [%.4f, %.4f] does not exclude zero", rel.Lower, rel.Upper)
	}

	// The same engine on an untouched window finds nothing.
	qspec, _ := Link(&quiet, []models.Event{july, quiet})
	qspec.Metrics = spec.Metrics
	qres, err := Run(context.Background(), src, qspec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	qb := qres.Metrics[0].Baseline
	if qb.Cumulative.Relative.Lower > 0 || qb.Cumulative.Relative.Upper < 0 {
		t.Errorf("untouched window: interval [%.4f, %.4f] excludes zero", qb.Cumulative.Relative.Lower, qb.Cumulative.Relative.Upper)
	}
	if sig := qres.Metrics[0].SPC.Signal; sig != "Common Cause" {
		t.Errorf("untouched window SPC signal = %q, want Common Cause", sig)
	}
	if sig := res.Metrics[0].SPC.Signal; sig == "Common Cause" {
		t.Errorf("15%% drop gave no SPC signal")
	}
}

func TestRatioMetricFromCategories(t *testing.T) {
	july := strikeEvent(1, "2025-07-25T07:00:00+01:00", "2025-07-30T07:00:00+01:00")
	spec, _ := Link(&july, nil)
	gp, _ := impact.MetricByKey(impact.MetricGPShare)
	spec.Metrics = []impact.Metric{gp}
	res, err := Run(context.Background(), generate(spec.Window, 0.15), spec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// GP share = 0.45 / (0.45 + 0.50) whatever the volume.
	for _, p := range res.Metrics[0].Series {
		if math.Abs(p.Value-0.45/0.95) > 1e-9 {
			t.Fatalf("gp share on %s = %v", p.Day, p.Value)
		}
	}
}

func TestLinkDefaultsAndOverrides(t *testing.T) {
	reg := models.EventDoc{Kind: models.KindRegulatoryChange, Title: "GP contract: online consultation tools open all day", Start: "2025-10-01",
		Body: "NHS England", Instrument: "contract", Sources: []models.Source{{URL: "https://example.org/"}}}
	e, _ := reg.ToEvent()
	e.ID = 9
	sp, err := Link(e, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sp.Method != MethodITS || sp.Window.From != impact.Date(2025, 10, 1) {
		t.Errorf("regulatory change spec = %+v", sp)
	}
	if sp.Metrics[0].Key != impact.MetricOCSubmissions {
		t.Errorf("online consultation change defaults to %s", sp.Metrics[0].Key)
	}

	s := strikeEvent(3, "2025-07-25T07:00:00+01:00", "2025-07-30T07:00:00+01:00")
	from, to := impact.Date(2025, 7, 24), impact.Date(2025, 7, 31)
	s.ImpactFrom, s.ImpactTo = &from, &to
	s.ImpactScope = []string{"00L", "71E"}
	s.ImpactMetrics = []string{"dna_rate"}
	sp, _ = Link(&s, nil)
	if sp.Window != impact.Range(from, to) || len(sp.Areas) != 2 || sp.Metrics[0].Key != "dna_rate" || len(sp.Overridden) != 3 {
		t.Errorf("override spec = %+v", sp)
	}

	settle := models.Event{ID: 4, Kind: models.KindPaySettlement, StartAt: impact.Date(2024, 9, 16), AllDay: true}
	sp, _ = Link(&settle, nil)
	if sp.Method != MethodNone {
		t.Errorf("settlement without override has method %s", sp.Method)
	}
}

func TestRegisteredMetricKeysMatchModels(t *testing.T) {
	var keys []string
	for _, m := range impact.Metrics() {
		keys = append(keys, m.Key)
	}
	if len(keys) != len(models.ImpactMetricKeys) {
		t.Fatalf("impact metrics %v != models.ImpactMetricKeys %v", keys, models.ImpactMetricKeys)
	}
	for i := range keys {
		if keys[i] != models.ImpactMetricKeys[i] {
			t.Fatalf("impact metrics %v != models.ImpactMetricKeys %v", keys, models.ImpactMetricKeys)
		}
	}
}
