package importers_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/importers/gpadgen"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// onStaged returns a progress callback that sends the run's id on the
// channel once rows rows were read: the import is then mid-load.
func onStaged(rows int64) (func(importers.Progress), <-chan int64) {
	ch := make(chan int64, 1)
	var once sync.Once
	return func(p importers.Progress) {
		if p.RowsRead >= rows {
			once.Do(func() { ch <- p.RunID })
		}
	}, ch
}

// stagingTables counts the stg_import_<id>… tables of run id.
func stagingTables(t *testing.T, s *models.Store, id int64) int64 {
	t.Helper()
	pat := fmt.Sprintf("stg_import_%d%%", id)
	if s.Backend == models.SQLite {
		return count(t, s, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name LIKE ?", pat)
	}
	return count(t, s, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE ?", pat)
}

// leaveStaging creates the staging table a killed import of run id would
// leave (its name as each backend's loader builds it).
func leaveStaging(t *testing.T, s *models.Store, id int64) {
	t.Helper()
	name := fmt.Sprintf("stg_import_%d", id)
	if s.Backend == models.Postgres {
		name += "_202311"
	}
	if err := testdb.SQL(t, s).Exec("CREATE TABLE " + name + " (area_id BIGINT, n BIGINT)").Error; err != nil {
		t.Fatal(err)
	}
}

// Staging tables of killed imports go at the next start (Migrate), not at
// the next import; a live import's staging is left alone.
func TestStaleStagingClearedAtStart(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		// A run that failed or was killed long ago, its tables left behind.
		old := &models.ImportRun{FileName: "old.csv", Policy: "reject"}
		if err := s.CreateImportRun(ctx, old); err != nil {
			t.Fatal(err)
		}
		old.Status, old.Message = models.ImportFailed, "x"
		if err := s.FinishImportRun(ctx, old); err != nil {
			t.Fatal(err)
		}
		// A run killed a moment ago: still "running", nobody loading it.
		killed := &models.ImportRun{FileName: "killed.csv", Policy: "reject"}
		if err := s.CreateImportRun(ctx, killed); err != nil {
			t.Fatal(err)
		}

		// A live import, slowed down, staged part of its file.
		dir := t.TempDir()
		p, st := gen(t, dir, "live.csv", gpadgen.Options{Months: []time.Time{month(2023, 11)}, SubICBs: 4, Combos: 60, Seed: 3})
		progress, staged := onStaged(5000)
		done := make(chan error, 1)
		go func() {
			_, err := importers.New(s, importers.Options{BatchRows: 500, BatchDelay: 30 * time.Millisecond, OnProgress: progress}).
				ImportPaths(ctx, []string{p}, importers.DefaultLimits)
			done <- err
		}()
		live := <-staged
		if stagingTables(t, s, live) == 0 {
			t.Fatal("the live import has no staging table")
		}
		// Left behind after the live import's own clean-up at its start.
		leaveStaging(t, s, old.ID)
		leaveStaging(t, s, killed.ID)

		if err := s.Migrate(ctx); err != nil { // what every start runs
			t.Fatal(err)
		}
		if n := stagingTables(t, s, old.ID); n != 0 {
			t.Errorf("%d staging tables of a failed run left after start", n)
		}
		if n := stagingTables(t, s, live); n == 0 {
			t.Errorf("the live import's staging was dropped")
		}
		r, _ := s.GetImportRun(ctx, killed.ID)
		if s.Backend == models.Postgres {
			// No process holds the run: it is known dead at once.
			if n := stagingTables(t, s, killed.ID); n != 0 || r.Status != models.ImportInterrupted {
				t.Errorf("killed run: %d staging tables, status %q", n, r.Status)
			}
		} else {
			// SQLite tells by the heartbeat: kept until it is stale.
			if n := stagingTables(t, s, killed.ID); n == 0 || r.Status != models.ImportRunning {
				t.Errorf("fresh run: %d staging tables, status %q", n, r.Status)
			}
		}
		if err := <-done; err != nil {
			t.Fatalf("live import: %v", err)
		}
		if got := seriesTotal(t, s, nov23()); got != st.Total {
			t.Fatalf("live import stored %d, want %d", got, st.Total)
		}
		// Once the heartbeat is stale, the next start clears the rest.
		was := models.StaleAfter
		models.StaleAfter = time.Millisecond
		defer func() { models.StaleAfter = was }()
		time.Sleep(5 * time.Millisecond)
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if n := stagingTables(t, s, killed.ID); n != 0 {
			t.Errorf("%d staging tables of the killed run left", n)
		}
	})
}
