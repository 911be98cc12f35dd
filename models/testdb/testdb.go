// Package testdb gives tests real, isolated databases on both backends: a
// fresh SQLite file per test, and a fresh schema per test on PostgreSQL. The
// PostgreSQL server is TEST_DATABASE_URL, else the local server on
// 127.0.0.1:5432 (database test), else a private throwaway cluster started
// from the installed PostgreSQL binaries. If none can be had, tests fail with
// a message saying what to install: the PostgreSQL suite is never skipped.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/strikeline/strikeline/models"
)

// Main wraps testing.M.Run so that a private PostgreSQL cluster started by
// this package is stopped when the package's tests finish. Use it from
// TestMain: os.Exit(testdb.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	stopPrivate()
	return code
}

// Backends lists the backends every store test runs on.
var Backends = []models.Backend{models.SQLite, models.Postgres}

// Each runs fn as a subtest on every backend, each with a fresh migrated
// store.
func Each(t *testing.T, fn func(t *testing.T, s *models.Store)) {
	t.Helper()
	for _, b := range Backends {
		t.Run(string(b), func(t *testing.T) {
			fn(t, New(t, b))
		})
	}
}

// New returns a fresh, migrated store on backend b, removed when t ends.
func New(t testing.TB, b models.Backend) *models.Store {
	t.Helper()
	s := Open(t, b)
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return s
}

// Open returns a fresh, empty (unmigrated) store on backend b.
func Open(t testing.TB, b models.Backend) *models.Store {
	t.Helper()
	ctx := context.Background()
	var opt models.Options
	switch b {
	case models.SQLite:
		opt.SQLitePath = filepath.Join(t.TempDir(), "test.db")
	case models.Postgres:
		opt.DatabaseURL = NewSchema(t)
	default:
		t.Fatalf("unknown backend %q", b)
	}
	s, err := models.Open(ctx, opt)
	if err != nil {
		t.Fatalf("open %s: %v", b, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// NewSchema creates an empty schema on the test PostgreSQL server and
// returns a URL whose search_path points at it; the schema is dropped when t
// ends.
func NewSchema(t testing.TB) string {
	t.Helper()
	base := ServerURL(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to test PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	name := "t_" + randHex(8)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		c.Exec(context.Background(), "DROP SCHEMA "+name+" CASCADE")
	})
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

var (
	serverOnce sync.Once
	serverURL  string
	serverErr  error
	private    *cluster
)

// ServerURL returns the URL of the test PostgreSQL server (database test),
// finding or starting one on first use; it fails t when there is none.
func ServerURL(t testing.TB) string {
	t.Helper()
	serverOnce.Do(func() { serverURL, serverErr = findServer() })
	if serverErr != nil {
		t.Fatalf("%v", serverErr)
	}
	return serverURL
}

func findServer() (string, error) {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		if err := ping(u); err != nil {
			return "", fmt.Errorf("TEST_DATABASE_URL is set but unusable: %v", err)
		}
		return u, nil
	}
	for _, who := range []string{"postgres", "root", currentUser()} {
		u := "postgres://" + who + "@127.0.0.1:5432/test?sslmode=disable"
		if ping(u) == nil {
			return u, nil
		}
	}
	c, err := startPrivate()
	if err != nil {
		return "", fmt.Errorf("no PostgreSQL for tests: set TEST_DATABASE_URL, start a server on 127.0.0.1:5432 with a database \"test\", or install PostgreSQL (Debian: apt-get install postgresql) so a private cluster can be started (%v)", err)
	}
	private = c
	return c.url, nil
}

func ping(u string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, u)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	return c.Ping(ctx)
}

func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "postgres"
}

type cluster struct {
	dir, pgctl string
	runAs      []string
	url        string
}

// startPrivate runs initdb and pg_ctl from the installed PostgreSQL in a
// temporary directory, listening on a free loopback port.
func startPrivate() (*cluster, error) {
	bin, err := pgBinDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "strikeline-pg-")
	if err != nil {
		return nil, err
	}
	c := &cluster{dir: dir, pgctl: filepath.Join(bin, "pg_ctl")}
	// PostgreSQL refuses to run as root; run it as the postgres user then.
	if os.Geteuid() == 0 {
		pw, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root and there is no postgres user: %v", err)
		}
		uid, _ := strconv.Atoi(pw.Uid)
		gid, _ := strconv.Atoi(pw.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
		c.runAs = []string{"runuser", "-u", "postgres", "--"}
	}
	data := filepath.Join(dir, "data")
	if out, err := c.run(filepath.Join(bin, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"); err != nil {
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", port, dir)
	if out, err := c.run(c.pgctl, "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "start"); err != nil {
		return nil, fmt.Errorf("pg_ctl start: %v: %s", err, out)
	}
	admin := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		c.stop()
		return nil, err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE test"); err != nil {
		c.stop()
		return nil, err
	}
	c.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/test?sslmode=disable", port)
	return c, nil
}

func (c *cluster) run(name string, args ...string) ([]byte, error) {
	argv := append(append([]string{}, c.runAs...), name)
	argv = append(argv, args...)
	return exec.Command(argv[0], argv[1:]...).CombinedOutput()
}

func (c *cluster) stop() {
	c.run(c.pgctl, "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "stop")
	os.RemoveAll(c.dir)
}

func stopPrivate() {
	if private != nil {
		private.stop()
		private = nil
	}
}

func pgBinDir() (string, error) {
	if p, err := exec.LookPath("pg_config"); err == nil {
		if out, err := exec.Command(p, "--bindir").Output(); err == nil {
			dir := strings.TrimSpace(string(out))
			if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
				return dir, nil
			}
		}
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) > 0 {
		sort.Strings(matches)
		return filepath.Dir(matches[len(matches)-1]), nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("initdb not found")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
