package analysis

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/impact"
)

// CoverageTolerance is how far (in percentage points) the GP coverage of
// an impact's baseline and window may differ before the answer warns that
// part of a change may be practices missing from the data, not the event.
const CoverageTolerance = 1.0

// CoverageCheck compares the GP coverage (patients registered at practices
// whose data was included, as a share of those at open practices) of an
// impact's baseline period and window.
type CoverageCheck struct {
	Baseline impact.DateRange `json:"-"`
	Window   impact.DateRange `json:"-"`
	// BaselinePercent and WindowPercent are patient-weighted over the
	// months each period touches; nil when no month has coverage figures.
	BaselinePercent *float64 `json:"baseline_percent"`
	WindowPercent   *float64 `json:"window_percent"`
	// Differs is set when the two differ by more than CoverageTolerance.
	Differs bool   `json:"differs"`
	Warning string `json:"warning,omitempty"`
}

// CoverageSource is a Source that also knows the GP coverage of an area
// month by month (StoreSource does).
type CoverageSource interface {
	Coverage(ctx context.Context, area string, from, to time.Time) ([]models.CoverageMonth, error)
}

// CompareCoverage computes the check for one baseline and window pair
// from the coverage months of the areas summed (one list per area).
func CompareCoverage(baseline, window impact.DateRange, areas ...[]models.CoverageMonth) *CoverageCheck {
	share := func(r impact.DateRange) *float64 {
		var inc, open int64
		first := time.Date(r.From.Year(), r.From.Month(), 1, 0, 0, 0, 0, time.UTC)
		for _, months := range areas {
			for _, m := range months {
				if !m.Month.Before(first) && !m.Month.After(r.To) {
					inc += m.IncludedPatients
					open += m.OpenPatients
				}
			}
		}
		if open == 0 {
			return nil
		}
		v := 100 * float64(inc) / float64(open)
		return &v
	}
	c := &CoverageCheck{Baseline: baseline, Window: window, BaselinePercent: share(baseline), WindowPercent: share(window)}
	if c.BaselinePercent == nil || c.WindowPercent == nil {
		return c
	}
	if d := math.Abs(*c.BaselinePercent - *c.WindowPercent); d > CoverageTolerance {
		c.Differs = true
		c.Warning = fmt.Sprintf("GP coverage differs between the baseline (%.1f%%) and the window (%.1f%%) by %.1f points: part of the change may be practices missing from the data, not the event",
			*c.BaselinePercent, *c.WindowPercent, d)
	}
	return c
}

// baselinePeriod is the stretch before the window that the comparison
// draws on: N weeks for the weekday baseline, the fitted history for ITS.
func baselinePeriod(spec Spec, opt Options) impact.DateRange {
	w := spec.Window
	if spec.Method == MethodITS {
		return impact.DateRange{From: w.From.AddDate(-opt.ITSYearsBefore, 0, 0), To: w.From.AddDate(0, 0, -1)}
	}
	weeks := opt.Baseline.Weeks
	if weeks == 0 {
		weeks = impact.DefaultBaselineWeeks
	}
	return impact.DateRange{From: w.From.AddDate(0, 0, -7*weeks), To: w.From.AddDate(0, 0, -1)}
}

// coverageFor reads the coverage of spec's areas and compares its
// baseline and window; nil when src has no coverage or none is imported.
func coverageFor(ctx context.Context, src Source, spec Spec, opt Options) (*CoverageCheck, error) {
	cs, ok := src.(CoverageSource)
	if !ok {
		return nil, nil
	}
	b := baselinePeriod(spec, opt)
	var lists [][]models.CoverageMonth
	for _, a := range spec.Areas {
		ms, err := cs.Coverage(ctx, a, b.From, spec.Window.To)
		if err != nil {
			return nil, fmt.Errorf("analysis: coverage of %s: %w", a, err)
		}
		lists = append(lists, ms)
	}
	c := CompareCoverage(b, spec.Window, lists...)
	if c.BaselinePercent == nil && c.WindowPercent == nil {
		return nil, nil
	}
	return c, nil
}

// Coverage implements CoverageSource.
func (s *StoreSource) Coverage(ctx context.Context, area string, from, to time.Time) ([]models.CoverageMonth, error) {
	if area == England {
		area = ""
	}
	return s.store.Coverage(ctx, area, from, to, time.Time{})
}
