package models_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/strikeline/strikeline/models"
)

// TestOpenSQLiteBadPath: a path that cannot hold a database gives an error
// naming the path, no panic, and leaves nothing behind.
func TestOpenSQLiteBadPath(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "plain-file")
	if err := os.WriteFile(file, []byte(strings.Repeat("not a database\n", 300)), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"missing directory":      filepath.Join(dir, "no", "such", "dir", "strikeline.db"),
		"parent is a file":       filepath.Join(file, "strikeline.db"),
		"path is a directory":    dir,
		"not a database (plain)": file,
	}
	if os.Geteuid() != 0 {
		// Root ignores permission bits, so this case only means something
		// for an ordinary user.
		ro := filepath.Join(dir, "readonly")
		if err := os.Mkdir(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		cases["read-only directory"] = filepath.Join(ro, "strikeline.db")
	}
	for name, path := range cases {
		t.Run(name, func(t *testing.T) {
			before := listDir(t, filepath.Dir(path))
			s, err := models.Open(context.Background(), models.Options{SQLitePath: path})
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q) succeeded", path)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error does not name the path: %v", err)
			}
			if after := listDir(t, filepath.Dir(path)); after != before {
				t.Errorf("files left behind: before %q, after %q", before, after)
			}
		})
	}
}

func listDir(t *testing.T, dir string) string {
	es, err := os.ReadDir(dir)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return strings.Join(names, ",")
}

// diskFullChild is set in the child process of TestSQLiteDiskFull.
const diskFullChild = "STRIKELINE_DISK_FULL_CHILD"

// TestSQLiteDiskFull simulates a full disk with a file-size rlimit in a
// child process (Go ignores SIGXFSZ, so writes past the limit fail with
// EFBIG as they would with ENOSPC). The child writes events until a write
// fails and reports how many were acknowledged; the parent then finds the
// file intact (integrity_check ok), exactly the acknowledged events stored,
// and the database writable again once space is back.
func TestSQLiteDiskFull(t *testing.T) {
	if os.Getenv(diskFullChild) != "" {
		return // the child runs TestSQLiteDiskFullChild instead
	}
	db := filepath.Join(t.TempDir(), "full.db")
	ctx := context.Background()
	s, err := models.Open(ctx, models.Options{SQLitePath: db})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestSQLiteDiskFullChild$", "-test.v")
	cmd.Env = append(os.Environ(), diskFullChild+"="+db)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var acked int
	var failure string
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "ACKED "); ok {
			acked, _ = strconv.Atoi(v)
		}
		if v, ok := strings.CutPrefix(line, "FAILED "); ok {
			failure = v
		}
	}
	if acked == 0 || failure == "" {
		t.Fatalf("child did not fill the disk:\n%s", out)
	}
	t.Logf("%d writes acknowledged before the disk filled; then: %s", acked, failure)

	s, err = models.Open(ctx, models.Options{SQLitePath: db})
	if err != nil {
		t.Fatalf("reopen after disk full: %v", err)
	}
	defer s.Close()
	var check string
	if err := models.DBForTest(s).Raw("PRAGMA integrity_check").Scan(&check).Error; err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	if _, n, err := s.ListEvents(ctx, models.EventFilter{Working: true}); err != nil || int(n) != acked {
		t.Errorf("stored %d events (%v), want the %d acknowledged", n, err, acked)
	}
	if _, err := s.CreateEvent(ctx, "test", strikeDoc()); err != nil {
		t.Errorf("write after space is back: %v", err)
	}
}

// TestSQLiteDiskFullChild is the child half of TestSQLiteDiskFull.
func TestSQLiteDiskFullChild(t *testing.T) {
	db := os.Getenv(diskFullChild)
	if db == "" {
		t.Skip("child of TestSQLiteDiskFull")
	}
	ctx := context.Background()
	s, err := models.Open(ctx, models.Options{SQLitePath: db})
	if err != nil {
		t.Fatal(err)
	}
	// Room for some events beyond the current files, then "disk full".
	var size int64
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if fi, err := os.Stat(db + suffix); err == nil && fi.Size() > size {
			size = fi.Size()
		}
	}
	lim := uint64(size + 256<<10)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: lim, Max: lim}); err != nil {
		t.Fatal(err)
	}
	doc := strikeDoc()
	doc.Summary = strings.Repeat("s", 4000)
	acked := 0
	for i := 0; i < 100000; i++ {
		if _, err := s.CreateEvent(ctx, "filler", doc); err != nil {
			fmt.Printf("FAILED %v\n", err)
			break
		}
		acked++
	}
	fmt.Printf("ACKED %d\n", acked)
	s.Close()
}
