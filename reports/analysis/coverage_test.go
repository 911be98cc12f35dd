package analysis

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/importers/gpadgen"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
	"github.com/strikeline/strikeline/reports/impact"
)

func TestCompareCoverage(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	m := func(month string, inc, open int64) models.CoverageMonth {
		return models.CoverageMonth{Month: d(month + "-01"), IncludedPatients: inc, OpenPatients: open}
	}
	base := impact.DateRange{From: d("2025-06-13"), To: d("2025-07-24")}
	win := impact.DateRange{From: d("2025-07-25"), To: d("2025-07-29")}
	for _, c := range []struct {
		name    string
		areas   [][]models.CoverageMonth
		differs bool
		known   bool
	}{
		{"same coverage", [][]models.CoverageMonth{{m("2025-06", 990, 1000), m("2025-07", 990, 1000)}}, false, true},
		// June 99 %, July 97 %: the baseline (June and July) is 98 %, the
		// window (July) 97 %: exactly 1 point is not more than 1.
		{"one point", [][]models.CoverageMonth{{m("2025-06", 990, 1000), m("2025-07", 970, 1000)}}, false, true},
		{"drop in the window month", [][]models.CoverageMonth{{m("2025-06", 1000, 1000), m("2025-07", 950, 1000)}}, true, true},
		// Two areas are weighted by their patients.
		{"two areas", [][]models.CoverageMonth{{m("2025-06", 100, 100), m("2025-07", 100, 100)}, {m("2025-06", 10000, 10000), m("2025-07", 9000, 10000)}}, true, true},
		{"no coverage", nil, false, false},
	} {
		got := CompareCoverage(base, win, c.areas...)
		if got.Differs != c.differs || (got.WindowPercent != nil) != c.known || (got.Differs != strings.Contains(got.Warning, "not the event")) {
			t.Errorf("%s: %+v", c.name, got)
		}
	}
}

// The impact of a round carries the GP coverage of its baseline and
// window from an imported coverage file, and warns when it fell.
func TestImpactCarriesCoverage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		july := createRound(t, s, "July round", "2025-07-25T07:00:00+01:00", "2025-07-30T07:00:00+01:00")
		loadGenerated(t, s, impact.Range(impact.Date(2025, 7, 25), impact.Date(2025, 7, 29)))
		src := NewStoreSource(s)
		res, err := ForEvent(ctx, s, src, july, Request{Metrics: []string{impact.MetricTotal}})
		if err != nil || res.Coverage != nil {
			t.Fatalf("without a coverage file: %+v %v", res.Coverage, err)
		}
		// June fully covered, July at 95 % of patients.
		var b strings.Builder
		b.WriteString("SUB_ICB_LOCATION_CODE,ICB_ONS_CODE,REGION_CODE,Appointment_Month,Included Practices,Open Practices,Patients registered at included practices,Patients registered at open practices\n")
		for i := 0; i < 10; i++ {
			code, _, _, icb, region := gpadgen.Area(i)
			fmt.Fprintf(&b, "%s,%s,%s,01JUN2025,10,10,100000,100000\n", code, icb, region)
			fmt.Fprintf(&b, "%s,%s,%s,01JUL2025,9,10,95000,100000\n", code, icb, region)
		}
		p := filepath.Join(t.TempDir(), "APPOINTMENTS_GP_COVERAGE.csv")
		os.WriteFile(p, []byte(b.String()), 0o644)
		if _, err := importers.New(s, importers.Options{}).ImportPaths(ctx, []string{p}, importers.DefaultLimits); err != nil {
			t.Fatal(err)
		}
		res, err = ForEvent(ctx, s, src, july, Request{Metrics: []string{impact.MetricTotal}})
		if err != nil || res.Coverage == nil {
			t.Fatalf("coverage: %+v %v", res, err)
		}
		c := res.Coverage
		if *c.WindowPercent != 95 || math.Abs(*c.BaselinePercent-97.5) > 1e-9 || !c.Differs || !strings.Contains(c.Warning, "2.5 points") {
			t.Fatalf("coverage check %+v (baseline %v, window %v)", c, *c.BaselinePercent, *c.WindowPercent)
		}
		if v := res.View(); v.Coverage == nil || !v.Coverage.Differs {
			t.Fatalf("view lacks the coverage: %+v", v.Coverage)
		}
	})
}
