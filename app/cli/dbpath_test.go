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
)

// TestDefaultDatabaseIsPerUser: without STRIKELINE_DB every command opens
// the one file in the user's data directory, whatever the current folder,
// and the command that creates it says which file it created. (The data
// directory is a temporary one here: tests never write to the home.)
func TestDefaultDatabaseIsPerUser(t *testing.T) {
	data := t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	t.Setenv("STRIKELINE_DB", "")
	t.Setenv("DATABASE_URL", "")
	want := filepath.Join(data, "strikeline", "strikeline.db")
	run := func(dir string, args ...string) (int, string) {
		t.Chdir(dir)
		cfg, err := app.ConfigFromEnv()
		if err != nil {
			t.Fatal(err)
		}
		var out, logs bytes.Buffer
		env := &Env{Stdout: &out, Stderr: &out, Config: cfg, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
		return Run(context.Background(), env, args), out.String() + logs.String()
	}
	code, out := run(t.TempDir(), "migrate")
	if code != 0 || !strings.Contains(out, "creating a new SQLite database") || !strings.Contains(out, "path="+want) {
		t.Fatalf("first command: exit %d: %s", code, out)
	}
	if _, err := os.Stat(want); err != nil {
		t.Fatalf("no database at %s: %v", want, err)
	}
	// From another folder: the same database, not a new one.
	code, out = run(t.TempDir(), "user", "list")
	if code != 0 || strings.Contains(out, "creating a new SQLite database") {
		t.Fatalf("second command: exit %d: %s", code, out)
	}
}
