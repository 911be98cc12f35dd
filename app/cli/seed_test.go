package cli

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strikeline/strikeline/app"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// TestStartLogsSkippedSeedCorrections: on a database made by the previous
// seed, where a planner edited a record the new seed corrects, starting up
// (here: migrate) applies the other corrections and names the edited
// record in the log.
func TestStartLogsSkippedSeedCorrections(t *testing.T) {
	old, err := os.ReadFile(filepath.Join("..", "..", "models", "testdata", "seed_v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range testdb.Backends {
		t.Run(string(b), func(t *testing.T) {
			ctx := context.Background()
			cfg := app.Config{SQLitePath: filepath.Join(t.TempDir(), "cli.db")}
			if b == models.Postgres {
				cfg.DatabaseURL = testdb.NewSchema(t)
			}
			s, err := models.Open(ctx, models.Options{DatabaseURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := s.SyncSeedFrom(ctx, old); err != nil {
				t.Fatal(err)
			}
			list, _, _ := s.ListEvents(ctx, models.EventFilter{Limit: 1000})
			var edited int64
			for _, e := range list {
				if e.SeedKey != nil && *e.SeedKey == "rd-round-14-2025-12" {
					edited = e.ID
				}
			}
			if _, err := s.PatchEvent(ctx, "planner@example.org", edited, "", []byte(`{"notes":"local note"}`)); err != nil {
				t.Fatal(err)
			}
			s.Close()

			var logs, out bytes.Buffer
			env := &Env{Stdout: &out, Stderr: &out, Config: cfg, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
			if code := Run(ctx, env, []string{"migrate"}); code != 0 {
				t.Fatalf("migrate: exit %d: %s", code, out.String())
			}
			line := ""
			for _, l := range strings.Split(logs.String(), "\n") {
				if strings.Contains(l, "seed correction skipped: edited locally") {
					line = l
				}
			}
			if !strings.Contains(line, "seed_key=rd-round-14-2025-12") || !strings.Contains(line, "last_changed_by=planner@example.org") {
				t.Errorf("no skip line for the edited record in the log:\n%s", logs.String())
			}
			if !strings.Contains(out.String(), "seed version 2: 20 records added") || !strings.Contains(out.String(), "1 corrections skipped") {
				t.Errorf("migrate output: %s", out.String())
			}
		})
	}
}
