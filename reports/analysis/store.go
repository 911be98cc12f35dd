package analysis

import (
	"context"
	"fmt"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/impact"
	"github.com/strikeline/strikeline/reports/xlsx"
)

// StoreSource reads activity series from the database: GPAD appointments
// from the daily rollups, the SDS role group and actual duration daily
// files, online-consultation submissions by month.
type StoreSource struct{ store *models.Store }

// NewStoreSource returns a Source over s.
func NewStoreSource(s *models.Store) *StoreSource { return &StoreSource{store: s} }

// Daily implements Source. The filter's category lists are the published
// labels, which the store maps to its codes.
func (s *StoreSource) Daily(ctx context.Context, area string, from, to time.Time, f impact.Filter) (impact.Series, error) {
	if area == England {
		area = ""
	}
	var pts []models.ActivityPoint
	var err error
	switch f.Dataset {
	case impact.Appointments:
		pts, err = s.store.ActivitySeries(ctx, models.ActivityQuery{From: from, To: to, Area: area, Granularity: "day",
			Status: f.Status, HCP: f.HCP, Mode: f.Mode, Lead: f.Lead})
	case impact.OnlineConsultations:
		metric := impact.OCTotalSubmissions
		if len(f.OCMetric) > 0 {
			metric = f.OCMetric[0]
		}
		pts, err = s.store.OCSeries(ctx, from, to, area, metric)
	case impact.SDSRoles:
		pts, err = s.store.LabelSeries(ctx, "role", models.LabelQuery{From: from, To: to, Area: area, Granularity: "day", Values: f.Role})
	case impact.ActualDurations:
		pts, err = s.store.LabelSeries(ctx, "duration", models.LabelQuery{From: from, To: to, Area: area, Granularity: "day", Values: f.Duration})
	default:
		return nil, fmt.Errorf("analysis: unknown dataset %q", f.Dataset)
	}
	if err != nil {
		return nil, err
	}
	out := make(impact.Series, 0, len(pts))
	for _, p := range pts {
		out = append(out, impact.Point{Day: p.Period, Value: float64(p.Count)})
	}
	return out, nil
}

// ImportSources lists the successful import runs, newest first, for a
// workbook's Method sheet: every file the figures may come from, with its
// checksum.
func ImportSources(ctx context.Context, s *models.Store) ([]xlsx.DataSource, error) {
	runs, err := s.ImportRuns(ctx, 500)
	if err != nil {
		return nil, err
	}
	var out []xlsx.DataSource
	for _, r := range runs {
		if r.Status != models.ImportSucceeded {
			continue
		}
		at := r.StartedAt
		if r.FinishedAt != nil {
			at = *r.FinishedAt
		}
		out = append(out, xlsx.DataSource{FileName: r.FileName, SHA256: r.SHA256, Format: r.Format, Rows: r.RowsRead, ImportedAt: at})
	}
	return out, nil
}
