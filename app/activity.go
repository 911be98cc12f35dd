package app

import (
	"context"
	"time"

	"github.com/strikeline/strikeline/app/svgchart"
)

// ActivitySource supplies daily appointment totals for an area ("ENGLAND"
// or a region, ICB or sub-ICB code) between two civil dates, inclusive.
// The importers provide the real one; until then it is nil and event pages
// say that no data has been imported.
type ActivitySource interface {
	DailyTotals(ctx context.Context, from, to time.Time, area string) ([]svgchart.DayValue, error)
}
