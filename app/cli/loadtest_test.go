package cli

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/app"
	"github.com/strikeline/strikeline/models"
)

// TestLoadtestSmoke runs the load driver briefly against an in-process
// server: it must finish with no errors and find every acknowledged write
// stored, through the API and in the database.
func TestLoadtestSmoke(t *testing.T) {
	db := filepath.Join(t.TempDir(), "load.db")
	code, out := cliRun(t, db, "", "user", "add", "--role", "planner", "load@example.org")
	if code != 0 {
		t.Fatalf("user add: %s", out)
	}
	tok := tokenRe.FindString(out)
	ctx := context.Background()
	s, err := models.Open(ctx, models.Options{SQLitePath: db})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cfg := app.Config{SQLitePath: db, MaxUploadMB: 1, MaxJSONKB: 64, RequestTimeout: 10 * time.Second}
	f, err := app.New(app.Deps{Store: s, Config: cfg, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go f.Listener(ln)
	defer f.Shutdown()

	code, out = cliRun(t, db, "", "loadtest", "--url", "http://"+ln.Addr().String(), "--token", tok,
		"--duration", "1500ms", "--conns", "8", "--writes", "0.5", "--verify-db")
	if code != 0 {
		t.Fatalf("loadtest failed (%d):\n%s", code, out)
	}
	for _, want := range []string{"errors     0", "writes     stored (database, sqlite)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
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
