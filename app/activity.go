package app

import (
	"context"
	"time"

	"github.com/strikeline/strikeline/app/svgchart"
	"github.com/strikeline/strikeline/reports/analysis"
	"github.com/strikeline/strikeline/reports/impact"
)

// ActivitySource supplies daily appointment totals for an area ("ENGLAND"
// or a region, ICB or sub-ICB code) between two civil dates, inclusive.
// By default it reads the store's imported activity (New wires it to the
// impact engine's source); where nothing is imported the series is empty
// and event pages say that no data has been imported.
type ActivitySource interface {
	DailyTotals(ctx context.Context, from, to time.Time, area string) ([]svgchart.DayValue, error)
}

// totalsSource draws charts from the impact engine's source, so a chart and
// the impact figures beside it always read the same numbers.
type totalsSource struct{ src analysis.Source }

// DailyTotals implements ActivitySource with total appointments.
func (t totalsSource) DailyTotals(ctx context.Context, from, to time.Time, area string) ([]svgchart.DayValue, error) {
	s, err := t.src.Daily(ctx, area, from, to, impact.Filter{Dataset: impact.Appointments})
	if err != nil {
		return nil, err
	}
	out := make([]svgchart.DayValue, 0, len(s))
	for _, p := range s {
		out = append(out, svgchart.DayValue{Day: p.Day, Value: p.Value})
	}
	return out, nil
}
