// Package testdb gives tests real, isolated databases on both backends: a
// fresh SQLite file per test, and a fresh schema per test on PostgreSQL. The
// PostgreSQL server is TEST_DATABASE_URL, else the local server on
// 127.0.0.1:5432 (database test), else a private throwaway cluster started
// from the installed PostgreSQL binaries. If none can be had, tests fail with
// a message saying what to install: the PostgreSQL suite is never skipped.
// SQL gives a test its own connection to a store's database, for the raw
// SQL a test outside package models needs (the Store keeps its own
// connections to itself).
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
	"github.com/libtnb/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

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
	var opt models.Options
	switch b {
	case models.SQLite:
		opt.SQLitePath = filepath.Join(t.TempDir(), "test.db")
	case models.Postgres:
		opt.DatabaseURL = NewSchema(t)
	default:
		t.Fatalf("unknown backend %q", b)
	}
	return OpenAt(t, opt)
}

// OpenAt opens the store that opt names (a test that must choose the file
// or URL itself), closed when t ends; SQL works on it.
func OpenAt(t testing.TB, opt models.Options) *models.Store {
	t.Helper()
	s, err := models.Open(context.Background(), opt)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	opened.Store(s, opt)
	t.Cleanup(func() {
		opened.Delete(s)
		s.Close()
	})
	return s
}

// opened maps each store from Open to the options it was opened with, for
// SQL.
var opened sync.Map

// SQL returns a connection of its own to the database of s, a store from
// New, Open or Each, for what no Store method does and a test must: write
// rows into an old schema, break a table, hold a lock, count raw rows. SQL
// outside package models lives only in tests, through this. The handle is
// closed when t ends.
func SQL(t testing.TB, s *models.Store) *gorm.DB {
	t.Helper()
	opt, ok := opened.Load(s)
	if !ok {
		t.Fatalf("testdb.SQL: the store was not opened by testdb (open it with OpenAt)")
	}
	return SQLAt(t, opt.(models.Options))
}

// SQLAt is SQL for the database that opt names, as models.Open would open
// it (DatabaseURL wins).
func SQLAt(t testing.TB, opt models.Options) *gorm.DB {
	t.Helper()
	var dial gorm.Dialector
	if opt.DatabaseURL != "" {
		dial = postgres.Open(opt.DatabaseURL)
	} else {
		// The store's own connection settings: wait for its locks rather
		// than fail, and enforce foreign keys as it does.
		dial = sqlite.Open("file:" + opt.SQLitePath + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)")
	}
	db, err := gorm.Open(dial, &gorm.Config{Logger: logger.Discard, TranslateError: true})
	if err != nil {
		t.Fatalf("testdb.SQL: %v", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatalf("testdb.SQL: %v", err)
	}
	t.Cleanup(func() { sqlDB.Close() })
	return db
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
	dir, pgctl, data string
	opts             string // server options for pg_ctl -o
	runAs            []string
	url              string
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
	c := &cluster{dir: dir, pgctl: filepath.Join(bin, "pg_ctl"), data: filepath.Join(dir, "data")}
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
	if out, err := c.run(filepath.Join(bin, "initdb"), "-D", c.data, "-A", "trust", "-U", "postgres", "--no-sync"); err != nil {
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	c.opts = fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", port, dir)
	if err := c.start(); err != nil {
		return nil, err
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

// start starts (or restarts) the server and waits until it accepts
// connections.
func (c *cluster) start() error {
	if out, err := c.run(c.pgctl, "-D", c.data, "-o", c.opts, "-l", filepath.Join(c.dir, "log"), "-w", "start"); err != nil {
		return fmt.Errorf("pg_ctl start: %v: %s", err, out)
	}
	return nil
}

// halt stops the server, disconnecting every client, and keeps the data.
func (c *cluster) halt() error {
	if out, err := c.run(c.pgctl, "-D", c.data, "-m", "fast", "-w", "stop"); err != nil {
		return fmt.Errorf("pg_ctl stop: %v: %s", err, out)
	}
	return nil
}

// Cluster is a private PostgreSQL server of the caller's own, for tests
// that stop and start the database under a running app.
type Cluster struct{ c *cluster }

// StartCluster starts a private PostgreSQL cluster (database "test") from
// the installed binaries; it is removed when t ends. It takes a few seconds,
// so only fault tests that must stop the server should use it.
func StartCluster(t testing.TB) *Cluster {
	t.Helper()
	c, err := startPrivate()
	if err != nil {
		t.Fatalf("start a private PostgreSQL cluster (install PostgreSQL: apt-get install postgresql): %v", err)
	}
	t.Cleanup(c.stop)
	return &Cluster{c: c}
}

// URL is the connection URL of the cluster's "test" database.
func (c *Cluster) URL() string { return c.c.url }

// Stop shuts the server down (fast mode: clients are disconnected).
func (c *Cluster) Stop(t testing.TB) {
	t.Helper()
	if err := c.c.halt(); err != nil {
		t.Fatal(err)
	}
}

// Start starts the stopped server again on the same port and data.
func (c *Cluster) Start(t testing.TB) {
	t.Helper()
	if err := c.c.start(); err != nil {
		t.Fatal(err)
	}
}

func (c *cluster) run(name string, args ...string) ([]byte, error) {
	argv := append(append([]string{}, c.runAs...), name)
	argv = append(argv, args...)
	return exec.Command(argv[0], argv[1:]...).CombinedOutput()
}

func (c *cluster) stop() {
	c.run(c.pgctl, "-D", c.data, "-m", "immediate", "stop")
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

// Replicated is a private PostgreSQL primary with one streaming replica
// (pg_basebackup -R), for tests of read routing.
type Replicated struct {
	Primary, Replica *Cluster
}

// StartReplicated starts a primary (database "test") and a streaming
// replica of it, both private and removed when t ends. Without the
// PostgreSQL binaries the test is skipped, except under CI=true, where it
// fails.
func StartReplicated(t testing.TB) *Replicated {
	t.Helper()
	bin, err := pgBinDir()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL binaries needed for the replica test (apt-get install postgresql): %v", err)
		}
		t.Skipf("PostgreSQL binaries not installed (apt-get install postgresql): %v", err)
	}
	p := StartCluster(t)
	dir, err := os.MkdirTemp("", "strikeline-replica-")
	if err != nil {
		t.Fatal(err)
	}
	r := &cluster{dir: dir, pgctl: filepath.Join(bin, "pg_ctl"), data: filepath.Join(dir, "data"), runAs: p.c.runAs}
	t.Cleanup(r.stop)
	if len(r.runAs) > 0 {
		pw, _ := user.Lookup("postgres")
		uid, _ := strconv.Atoi(pw.Uid)
		gid, _ := strconv.Atoi(pw.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	pu, _ := url.Parse(p.c.url)
	if out, err := r.run(filepath.Join(bin, "pg_basebackup"), "-h", "127.0.0.1", "-p", pu.Port(), "-U", "postgres",
		"-D", r.data, "-R", "-X", "stream", "--no-sync"); err != nil {
		t.Fatalf("pg_basebackup: %v: %s", err, out)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	r.opts = fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c hot_standby=on", port, dir)
	if err := r.start(); err != nil {
		t.Fatal(err)
	}
	r.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/test?sslmode=disable", port)
	return &Replicated{Primary: p, Replica: &Cluster{c: r}}
}
