package analysis

import (
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
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
