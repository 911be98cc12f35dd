package analysis

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
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
	"github.com/strikeline/strikeline/reports/holidays"
	"github.com/strikeline/strikeline/reports/impact"
	"github.com/strikeline/strikeline/reports/xlsx"
)

// loadGenerated imports five months of generated GPAD sub-ICB daily data
// (10 areas) with a 15% drop injected over drop.
func loadGenerated(t *testing.T, s *models.Store, drop impact.DateRange) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "SUB_ICB_LOCATION_2025.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	var months []time.Time
	for m := 4; m <= 8; m++ {
		months = append(months, impact.Date(2025, time.Month(m), 1))
	}
	_, err = gpadgen.Write(f, gpadgen.Options{Months: months, SubICBs: 10, Combos: 100, Seed: 11,
		Profile: gpadgen.Realistic(holidays.IsBankHoliday, gpadgen.DropWindow{From: drop.From, To: drop.To, Fraction: 0.15})})
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	im := importers.New(s, importers.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if _, err := im.ImportPaths(context.Background(), []string{path}, importers.DefaultLimits); err != nil {
		t.Fatalf("import: %v", err)
	}
}

func createRound(t *testing.T, s *models.Store, title, start, end string) int64 {
	t.Helper()
	e, err := s.CreateEvent(context.Background(), "test", models.EventDoc{Kind: models.KindStrikeRound, Title: title,
		Start: start, End: end, StaffGroup: "resident_doctors", ActionType: "full_walkout",
		Sources: []models.Source{{URL: "https://example.org/"}}})
	if err != nil {
		t.Fatal(err)
	}
	return e.ID
}

// TestImpactFromImportedData runs the whole path on both backends: real
// GPAD-format files through the importer into the database, the store's
// series into the engine, and the workbook built from the result.
func TestImpactFromImportedData(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		july := createRound(t, s, "July round", "2025-07-25T07:00:00+01:00", "2025-07-30T07:00:00+01:00")
		quiet := createRound(t, s, "Quiet week", "2025-06-16T07:00:00+01:00", "2025-06-21T07:00:00+01:00")
		loadGenerated(t, s, impact.Range(impact.Date(2025, 7, 25), impact.Date(2025, 7, 29)))
		src := NewStoreSource(s)

		res, err := ForEvent(ctx, s, src, july, Request{Metrics: []string{impact.MetricTotal}})
		if err != nil {
			t.Fatal(err)
		}
		b := res.Metrics[0].Baseline
		if b == nil {
			t.Fatalf("no baseline: %v", res.Metrics[0].Err)
		}
		rel := b.Cumulative.Relative
		if math.Abs(rel.Value+0.15) > 0.02 || rel.Upper >= 0 {
			t.Errorf("July: relative effect %.4f [%.4f, %.4f], want −0.15 ± 0.02 excluding zero", rel.Value, rel.Lower, rel.Upper)
		}
		res, err = ForEvent(ctx, s, src, quiet, Request{Metrics: []string{impact.MetricTotal}})
		if err != nil {
			t.Fatal(err)
		}
		q := res.Metrics[0].Baseline.Cumulative.Relative
		if q.Lower > 0 || q.Upper < 0 {
			t.Errorf("untouched week: interval [%.4f, %.4f] excludes zero", q.Lower, q.Upper)
		}

		// A sub-ICB scope reads that area only, and a ratio metric works
		// from the stored categories.
		area, _, _, _, _ := gpadgen.Area(0)
		res, err = ForEvent(ctx, s, src, july, Request{Metrics: []string{impact.MetricGPShare}, Areas: []string{area}})
		if err != nil {
			t.Fatal(err)
		}
		if g := res.Metrics[0]; g.Baseline == nil || len(g.Series) == 0 || g.Series[0].Value <= 0 || g.Series[0].Value >= 1 {
			t.Errorf("gp share for %s: %+v", area, g.Err)
		}

		rep, err := BuildWorkbook(ctx, s, src, WorkbookRequest{EventIDs: []int64{july}, BaseURL: "https://strikeline.example",
			Metrics: []string{impact.MetricTotal, impact.MetricGPShare, impact.MetricDNARate}})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := xlsx.Write(&out, rep); err != nil {
			t.Fatalf("the writer rejects the engine's figures: %v", err)
		}
		// The Summary says what the event page says, once per event.
		res, err = ForEvent(ctx, s, src, july, Request{Metrics: []string{impact.MetricTotal}})
		if err != nil {
			t.Fatal(err)
		}
		v := res.View()
		h, ok := HeadlineOf(v, v.Metrics[0], "")
		if !ok || rep.Events[0].Sentence != h.Sentence() || !strings.Contains(h.Sentence(), "below expected during the strike") {
			t.Errorf("workbook sentence %q, page sentence %q", rep.Events[0].Sentence, h.Sentence())
		}
		for _, ev := range rep.Events[1:] {
			if ev.Sentence != "" {
				t.Errorf("a second sentence for the same event: %q", ev.Sentence)
			}
		}
		var prev time.Time
		for row, err := range rep.Data.Rows {
			if err != nil {
				t.Fatal(err)
			}
			if row.Date.Before(prev) {
				t.Fatalf("Data sheet out of date order: %s after %s", row.Date.Format(time.DateOnly), prev.Format(time.DateOnly))
			}
			prev = row.Date
		}
		if dir := os.Getenv("STRIKELINE_WORKBOOK_DIR"); dir != "" {
			if err := os.WriteFile(filepath.Join(dir, "july-"+string(s.Backend)+".xlsx"), out.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestWorkbookSaysWhatIsMissing: a report of a period without events says
// so, and one whose events have no activity imported says that instead.
func TestWorkbookSaysWhatIsMissing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		from, to := impact.Date(2031, 1, 1), impact.Date(2031, 1, 31)
		req := WorkbookRequest{From: &from, To: &to}
		_, err := BuildWorkbook(ctx, s, NewStoreSource(s), req)
		if !errors.Is(err, ErrNoEvents) || err.Error() != "there are no events in the period 2031-01-01 to 2031-01-31" {
			t.Fatalf("empty period: %v", err)
		}
		id := createRound(t, s, "Round without data", "2031-01-13", "2031-01-15")
		if _, err := s.Publish(ctx, "editor@example.org", id, models.PublishInput{}); err != nil {
			t.Fatal(err)
		}
		_, err = BuildWorkbook(ctx, s, NewStoreSource(s), req)
		if !errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), "none of the 1 selected events has activity data") {
			t.Fatalf("period with an event but no activity: %v", err)
		}
	})
}
