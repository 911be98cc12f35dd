package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/app"
	"github.com/strikeline/strikeline/app/cli"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// TestLoadtestSmoke runs the load driver briefly against an in-process
// server on each backend: it must finish with no errors and find every
// acknowledged write stored, through the API and in the database.
func TestLoadtestSmoke(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(string(b), func(t *testing.T) {
			ctx := context.Background()
			quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
			cfg := app.Config{MaxUploadMB: 1, MaxJSONKB: 64, RequestTimeout: 10 * time.Second}
			if b == models.SQLite {
				cfg.SQLitePath = filepath.Join(t.TempDir(), "load.db")
			} else {
				cfg.DatabaseURL = testdb.NewSchema(t)
			}
			// The planner and the seeded timeline, as a user sets them up.
			var out bytes.Buffer
			env := &cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out, Config: cfg, Logger: quiet}
			if code := cli.Run(ctx, env, []string{"user", "add", "--role", "planner", "load@example.org"}); code != 0 {
				t.Fatalf("user add: %s", out.String())
			}
			tok := regexp.MustCompile(`slk_[a-z0-9]+`).FindString(out.String())
			s, err := models.Open(ctx, models.Options{DatabaseURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			f, err := app.New(app.Deps{Store: s, Config: cfg, Logger: quiet})
			if err != nil {
				t.Fatal(err)
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go f.Listener(ln)
			defer f.Shutdown()

			// --verify-db opens the database the environment names.
			t.Setenv("DATABASE_URL", cfg.DatabaseURL)
			t.Setenv("STRIKELINE_DB", cfg.SQLitePath)
			out.Reset()
			code := run(ctx, []string{"--url", "http://" + ln.Addr().String(), "--token", tok,
				"--duration", "1500ms", "--conns", "8", "--writes", "0.5", "--verify-db"}, &out, &out)
			if code != 0 {
				t.Fatalf("loadtest failed (%d):\n%s", code, out.String())
			}
			for _, want := range []string{"errors     0", "writes     stored (database, " + string(b) + ")"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
		})
	}
}

// Bad arguments are a usage error (exit 2), not a run.
func TestLoadtestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--writes", "0.5"}, // writes need a token
		{"--conns", "0", "--writes", "0"},
		{"--token", "x", "extra"},
		{"--no-such-flag"},
	} {
		var out bytes.Buffer
		if code := run(context.Background(), args, &out, &out); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, out.String())
		}
	}
}

// A write whose answer was lost may or may not be stored; an acknowledged
// one must be.
func TestStoredMatches(t *testing.T) {
	for _, tc := range []struct {
		stored, acked, failed int
		want                  bool
	}{
		{10, 10, 0, true},
		{9, 10, 0, false},  // an acknowledged write lost
		{11, 10, 0, false}, // a write stored that nobody made
		{11, 10, 2, true},  // a killed server committed before answering
		{13, 10, 2, false},
	} {
		if got := storedMatches(tc.stored, tc.acked, tc.failed); got != tc.want {
			t.Errorf("stored %d, acked %d, failed %d: %v, want %v", tc.stored, tc.acked, tc.failed, got, tc.want)
		}
	}
}
