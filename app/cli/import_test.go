package cli

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/app"
	"github.com/strikeline/strikeline/importers/gpadgen"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

func TestImportCommand(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(string(b), func(t *testing.T) {
			dir := t.TempDir()
			cfg := app.Config{SQLitePath: filepath.Join(dir, "cli.db")}
			if b == models.Postgres {
				cfg.DatabaseURL = testdb.NewSchema(t)
			}
			f, _ := os.Create(filepath.Join(dir, "nov.csv"))
			st, _ := gpadgen.Write(f, gpadgen.Options{Months: []time.Time{time.Date(2023, 11, 1, 0, 0, 0, 0, time.UTC)}, SubICBs: 1, Combos: 5, Seed: 1})
			f.Close()
			run := func(args ...string) (int, string) {
				var out, errw strings.Builder
				env := &Env{Stdout: &out, Stderr: &errw, Config: cfg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
				code := Run(context.Background(), env, args)
				return code, out.String() + errw.String()
			}
			code, out := run("import", "gpad", filepath.Join(dir, "nov.csv"))
			if code != 0 || !strings.Contains(out, "succeeded") || !strings.Contains(out, "gpad_subicb_daily") {
				t.Fatalf("exit %d: %s", code, out)
			}
			if !strings.Contains(out, " "+itoa(st.Rows)+" ") {
				t.Fatalf("summary lacks the row count %d: %s", st.Rows, out)
			}
			// Either command takes any NHS file and routes it by its header:
			// the OC command given the same GPAD file again finds no change.
			code, out = run("import", "oc", filepath.Join(dir, "nov.csv"))
			if code != 0 || !strings.Contains(out, "no change") {
				t.Fatalf("exit %d: %s", code, out)
			}
			// A file that is no NHS file: non-zero exit, one sentence, then
			// what is accepted. (Without $USER, as under cron.)
			t.Setenv("USER", "")
			os.WriteFile(filepath.Join(dir, "x.csv"), []byte("FOO,BAR\n1,2\n"), 0o644)
			code, out = run("import", "oc", filepath.Join(dir, "x.csv"))
			if code != 1 || !strings.Contains(out, "This file is not one Strikeline reads") || !strings.Contains(out, "Accepted files:") || !strings.Contains(out, "failed") {
				t.Fatalf("exit %d: %s", code, out)
			}
			// The run says who imported it.
			s, err := models.Open(context.Background(), models.Options{SQLitePath: cfg.SQLitePath, DatabaseURL: cfg.DatabaseURL})
			if err != nil {
				t.Fatal(err)
			}
			runs, err := s.ImportRuns(context.Background(), 10)
			s.Close()
			if err != nil || len(runs) == 0 || !strings.HasPrefix(runs[0].Actor, "cli:") || len(runs[0].Actor) <= len("cli:") {
				t.Fatalf("actor of %+v: %v", runs, err)
			}
			if code, _ = run("import", "gpad", "--policy", "maybe", "x.csv"); code != 2 {
				t.Fatalf("bad policy: exit %d", code)
			}
			if code, _ = run("import", "pdf", "x"); code != 2 {
				t.Fatalf("bad kind: exit %d", code)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
