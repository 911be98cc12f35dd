package analysis

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/holidays"
	"github.com/strikeline/strikeline/reports/impact"
)

// TestDecember2025RecoveryOverChristmas measures the seeded December 2025
// round (17–21 December; recovery to 4 January) on generated data with the
// holiday season's dip and a 15% drop during the strike only: the recovery
// window's figure leaves its Christmas days out, so it shows no effect,
// and the view lists them in words for the page, the CLI and the API.
func TestDecember2025RecoveryOverChristmas(t *testing.T) {
	recs, err := models.SeedRecords()
	if err != nil {
		t.Fatal(err)
	}
	var round *models.Event
	var others []models.Event
	for i, r := range recs {
		if r.Kind != models.KindStrikeRound {
			continue
		}
		e, err := r.ToEvent()
		if err != nil {
			t.Fatalf("%s: %v", r.Key, err)
		}
		e.ID = int64(i + 1)
		others = append(others, *e)
		if r.Key == "rd-round-14-2025-12" {
			round = e
		}
	}
	if round == nil {
		t.Fatal("seed has no rd-round-14-2025-12")
	}
	sp, err := Link(round, others)
	if err != nil {
		t.Fatal(err)
	}
	if sp.After != impact.Range(impact.Date(2025, 12, 22), impact.Date(2026, 1, 4)) {
		t.Fatalf("recovery window %v, want 22 Dec 2025 – 4 Jan 2026", sp.After)
	}

	rng := rand.New(rand.NewPCG(12, 25))
	weekday := [7]float64{0.02, 1.15, 1.05, 1, 1, 0.95, 0.08}
	src := fakeSource{total: map[time.Time]float64{}}
	for d := impact.Date(2025, 1, 1); d.Before(impact.Date(2026, 4, 1)); d = d.AddDate(0, 0, 1) {
		v := 1_300_000 * weekday[d.Weekday()] * (1 + 0.02*rng.NormFloat64())
		switch {
		case holidays.IsBankHoliday(d):
			v *= 0.03
		case impact.ChristmasNewYear.Contains(d):
			v *= 0.70
		}
		if sp.Window.Contains(d) {
			v *= 0.85
		}
		src.total[d] = math.Round(v)
	}
	res, err := Run(context.Background(), src, sp, Options{})
	if err != nil {
		t.Fatal(err)
	}
	v := res.View()
	m := v.Metrics[0]
	var during, after *WindowEffect
	for i := range m.Windows {
		switch m.Windows[i].Name {
		case PhaseDuring:
			during = &m.Windows[i]
		case PhaseAfter:
			after = &m.Windows[i]
		}
	}
	if during == nil || after == nil {
		t.Fatalf("windows %+v", m.Windows)
	}
	if math.Abs(during.Effect+0.15) > 0.02 {
		t.Errorf("strike effect %.4f, want −0.15 ± 0.02", during.Effect)
	}
	if math.Abs(after.Effect) > 0.02 || after.Lower > 0 || after.Upper < 0 {
		t.Errorf("recovery effect %.4f [%.4f, %.4f], want about 0: the holiday dip read as the strike's", after.Effect, after.Lower, after.Upper)
	}
	if after.Days != 4 || len(after.Excluded) != 10 {
		t.Errorf("recovery counts %d days and leaves out %d, want 4 and 10 (24 Dec – 2 Jan)", after.Days, len(after.Excluded))
	}
	if len(during.Excluded) != 0 {
		t.Errorf("strike window leaves out %+v, want none", during.Excluded)
	}
	lines := WindowsLeftOut(m.Windows)
	want := "Recovery (14 days after), 22 Dec 2025 – 4 Jan 2026: Christmas to New Year (24 Dec – 2 Jan): 24 Dec 2025, 27–31 Dec 2025, 2 Jan 2026; " +
		"bank holiday: 25–26 Dec 2025, 1 Jan 2026"
	if len(lines) != 1 || lines[0] != want {
		t.Errorf("window left-out lines %q, want [%q]", lines, want)
	}
	var table strings.Builder
	if err := res.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table.String(), "not counted in the window: "+want) {
		t.Errorf("CLI table does not say which recovery days were left out:\n%s", table.String())
	}
}
