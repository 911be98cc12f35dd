package models_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

func TestImpactResultStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		// Two instances storing the same key at once keep one row.
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.PutImpactResult(ctx, models.ImpactResult{EventID: 1, EventVersion: 1, SliceKey: "k", DataState: "a", Body: `{"x":1}`}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		var n int64
		models.DBForTest(s).Model(&models.ImpactResult{}).Count(&n)
		if n != 1 {
			t.Errorf("%d rows after concurrent stores of one key", n)
		}
		body, ok, err := s.ImpactResult(ctx, 1, 1, "k", "a")
		if err != nil || !ok || string(body) != `{"x":1}` {
			t.Errorf("read back %q %v %v", body, ok, err)
		}
		if _, ok, _ := s.ImpactResult(ctx, 1, 2, "k", "a"); ok {
			t.Error("another version found the row")
		}
		// A new version supersedes the old row; other slices stay.
		s.PutImpactResult(ctx, models.ImpactResult{EventID: 1, EventVersion: 1, SliceKey: "other", DataState: "a", Body: "{}"})
		s.PutImpactResult(ctx, models.ImpactResult{EventID: 1, EventVersion: 2, SliceKey: "k", DataState: "a", Body: "{}"})
		if _, ok, _ := s.ImpactResult(ctx, 1, 1, "k", "a"); ok {
			t.Error("the superseded row is still stored")
		}
		if _, ok, _ := s.ImpactResult(ctx, 1, 1, "other", "a"); !ok {
			t.Error("another slice's row was removed")
		}
		// Visitors asking for ever new slices cannot grow the table
		// without bound: the oldest go first.
		for i := 0; i < models.MaxImpactResultsPerEvent+5; i++ {
			if err := s.PutImpactResult(ctx, models.ImpactResult{EventID: 2, EventVersion: 1, SliceKey: fmt.Sprint("s", i), DataState: "a", Body: "{}"}); err != nil {
				t.Fatal(err)
			}
		}
		models.DBForTest(s).Model(&models.ImpactResult{}).Where("event_id = 2").Count(&n)
		_, oldest, _ := s.ImpactResult(ctx, 2, 1, "s0", "a")
		_, newest, _ := s.ImpactResult(ctx, 2, 1, fmt.Sprint("s", models.MaxImpactResultsPerEvent+4), "a")
		if n != models.MaxImpactResultsPerEvent || oldest || !newest {
			t.Errorf("%d rows kept (oldest kept %v, newest %v), want the newest %d", n, oldest, newest, models.MaxImpactResultsPerEvent)
		}
	})
}

func TestImportStateAndWindowedEvents(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
		if st, err := s.ImportState(ctx, day(2025, 7, 1), day(2025, 7, 31)); err != nil || st != 0 {
			t.Fatalf("empty state %d %v", st, err)
		}
		run := func(from, to time.Time, changed int64) int64 {
			r := &models.ImportRun{FileName: "f.csv", Format: "gpad"}
			if err := s.CreateImportRun(ctx, r); err != nil {
				t.Fatal(err)
			}
			df, dt := models.DayNumber(from), models.DayNumber(to)
			if err := models.DBForTest(s).Model(r).Updates(map[string]any{"status": models.ImportSucceeded, "rows_inserted": changed, "day_from": df, "day_to": dt}).Error; err != nil {
				t.Fatal(err)
			}
			return r.ID
		}
		july := run(day(2025, 7, 1), day(2025, 8, 1), 10)
		run(day(2024, 1, 1), day(2024, 2, 1), 10) // another period
		run(day(2025, 7, 1), day(2025, 8, 1), 0)  // no change
		if st, _ := s.ImportState(ctx, day(2025, 6, 1), day(2025, 7, 10)); st != july {
			t.Errorf("state %d, want the July import %d", st, july)
		}
		e, err := s.CreateEvent(ctx, "test", strikeDoc())
		if err != nil {
			t.Fatal(err)
		}
		ws, err := s.WindowedEvents(ctx)
		if err != nil || len(ws) != 1 || ws[0].ID != e.ID || ws[0].Sources != nil || !strings.Contains(ws[0].Title, "walkout") {
			t.Errorf("windowed events %+v %v", ws, err)
		}
	})
}
