package cli

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strikeline/strikeline/app"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

func TestImportEventsCommand(t *testing.T) {
	good := filepath.Join("..", "..", "importers", "events", "testdata", "new_events.csv")
	bad := filepath.Join("..", "..", "importers", "events", "testdata", "bad_events.csv")
	for _, b := range testdb.Backends {
		t.Run(string(b), func(t *testing.T) {
			cfg := app.Config{SQLitePath: filepath.Join(t.TempDir(), "cli.db")}
			if b == models.Postgres {
				cfg.DatabaseURL = testdb.NewSchema(t)
			}
			run := func(args ...string) (int, string) {
				var out, errw strings.Builder
				env := &Env{Stdout: &out, Stderr: &errw, Config: cfg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
				return Run(context.Background(), env, args), out.String() + errw.String()
			}
			code, out := run("import", "events", "--dry-run", good)
			if code != 0 || !strings.Contains(out, "would add 3, change 0 and leave 0 unchanged") || !strings.Contains(out, "line 3: would add strike_round") {
				t.Fatalf("dry run: exit %d\n%s", code, out)
			}
			code, out = run("import", "events", "--actor", "planner@example.org", good)
			if code != 0 || !strings.Contains(out, "3 added, 0 changed, 0 unchanged") {
				t.Fatalf("import: exit %d\n%s", code, out)
			}
			code, out = run("import", "events", good)
			if code != 0 || !strings.Contains(out, "nothing to do") {
				t.Fatalf("re-import: exit %d\n%s", code, out)
			}
			code, out = run("import", "events", bad)
			if code != 1 || !strings.Contains(out, `line 6: column start, value "2026-13-45"`) || !strings.Contains(out, "nothing was written") {
				t.Fatalf("bad file: exit %d\n%s", code, out)
			}
			code, out = run("import", "events", "--skip-bad", bad)
			if code != 0 || !strings.Contains(out, "1 added") || !strings.Contains(out, "5 bad rows skipped") {
				t.Fatalf("--skip-bad: exit %d\n%s", code, out)
			}
			if code, _ = run("import", "events"); code != 2 {
				t.Errorf("no file: exit %d, want 2", code)
			}
			// Imported records are drafts: the public register has only
			// the seed and nothing from these files.
			published := func() int64 {
				s, err := models.Open(context.Background(), models.Options{DatabaseURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath})
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				_, n, err := s.ListEvents(context.Background(), models.EventFilter{Limit: 1})
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			before := published()
			// --publish publishes what an import adds.
			cfg.SQLitePath = filepath.Join(t.TempDir(), "fresh.db")
			if b == models.Postgres {
				cfg.DatabaseURL = testdb.NewSchema(t)
			}
			if code, out = run("import", "events", "--publish", good); code != 0 || !strings.Contains(out, "3 added") {
				t.Fatalf("--publish: exit %d\n%s", code, out)
			}
			if got := published(); got != before+3 {
				t.Errorf("published after --publish: %d, want the seed's %d + 3", got, before)
			}
		})
	}
}
