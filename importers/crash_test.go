package importers_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/importers/gpadgen"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// TestHelperProcess is the child of TestCrashMidImport: it imports a file
// slowly until the parent kills it. It does nothing in a normal run.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("GO_WANT_HELPER_PROCESS") != "1" {
		return
	}
	s, err := models.Open(ctx, models.Options{DatabaseURL: os.Getenv("CRASH_DATABASE_URL"), SQLitePath: os.Getenv("CRASH_SQLITE")})
	if err != nil {
		t.Fatal(err)
	}
	im := importers.New(s, importers.Options{BatchRows: 500, BatchDelay: 100 * time.Millisecond, HeartbeatEvery: 20 * time.Millisecond})
	im.ImportPaths(ctx, []string{os.Getenv("CRASH_FILE")}, importers.DefaultLimits)
	os.Exit(3) // the parent should have killed us first
}

func TestCrashMidImport(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(string(b), func(t *testing.T) {
			dir := t.TempDir()
			env := []string{"GO_WANT_HELPER_PROCESS=1"}
			var opt models.Options
			if b == models.SQLite {
				opt.SQLitePath = filepath.Join(dir, "crash.db")
				env = append(env, "CRASH_SQLITE="+opt.SQLitePath)
			} else {
				opt.DatabaseURL = testdb.NewSchema(t)
				env = append(env, "CRASH_DATABASE_URL="+opt.DatabaseURL)
			}
			s, err := models.Open(ctx, opt)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			p, st := gen(t, dir, "big.csv", gpadgen.Options{Months: []time.Time{month(2023, 11)}, SubICBs: 4, Combos: 100, Seed: 9})
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
			cmd.Env = append(append(os.Environ(), env...), "CRASH_FILE="+p)
			var out strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Kill once the child has staged a few batches.
			deadline := time.Now().Add(30 * time.Second)
			for {
				runs, _ := s.ImportRuns(ctx, 1)
				if len(runs) == 1 && runs[0].RowsRead >= 2000 {
					break
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatalf("child made no progress: %s", out.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			cmd.Wait()
			if n := count(t, s, "SELECT COUNT(*) FROM appt_subicb_daily"); n != 0 {
				t.Fatalf("%d rows visible after the kill", n)
			}
			if n := count(t, s, "SELECT COUNT(*) FROM appt_rollup_daily"); n != 0 {
				t.Fatalf("%d rollup rows visible after the kill", n)
			}
			old := models.StaleAfter
			models.StaleAfter = 200 * time.Millisecond
			defer func() { models.StaleAfter = old }()
			time.Sleep(300 * time.Millisecond)
			runs, _ := s.ImportRuns(ctx, 1)
			if runs[0].Status != models.ImportInterrupted || runs[0].RowsRead < 2000 || runs[0].RowsRead >= st.Rows {
				t.Fatalf("killed run reported as %+v", runs[0])
			}
			// The next run completes the file exactly, and cleans up.
			r := importOK(t, s, importers.Options{}, p)[0]
			if r.RowsInserted != st.Rows {
				t.Fatalf("re-run inserted %d, want %d", r.RowsInserted, st.Rows)
			}
			if got := seriesTotal(t, s, nov23()); got != st.Total {
				t.Fatalf("total %d, want %d", got, st.Total)
			}
			var stg int64
			if b == models.SQLite {
				stg = count(t, s, "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'stg_import_%'")
			} else {
				stg = count(t, s, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'stg_import_%'")
			}
			if stg != 0 {
				t.Fatalf("%d staging tables left behind", stg)
			}
			killed, _ := s.GetImportRun(ctx, runs[0].ID)
			if killed.Status != models.ImportInterrupted {
				t.Fatalf("killed run now %q", killed.Status)
			}
		})
	}
}
