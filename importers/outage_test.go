package importers_test

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/importers/gpadgen"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// The database goes away in the middle of an import: the run records that
// cause once it can write again, and is not later taken for a crashed
// process ("crash or kill"). PostgreSQL: the importer's connections are
// terminated. SQLite: another process holds the write lock for longer than
// the busy timeout.
func TestOutageIsReported(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(string(b), func(t *testing.T) {
			dir := t.TempDir()
			var opt models.Options
			var schema string
			app := "strikeline-outage-" + strings.ReplaceAll(t.Name(), "/", "-")
			if b == models.SQLite {
				opt.SQLitePath = filepath.Join(dir, "outage.db")
			} else {
				schema = testdb.NewSchema(t)
				u, _ := url.Parse(schema)
				q := u.Query()
				q.Set("application_name", app)
				u.RawQuery = q.Encode()
				opt.DatabaseURL = u.String()
			}
			s, err := models.Open(ctx, opt)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			p, _ := gen(t, dir, "big.csv", gpadgen.Options{Months: []time.Time{month(2023, 11)}, SubICBs: 4, Combos: 100, Seed: 9})
			progress, staged := onStaged(5000)
			o := importers.Options{BatchRows: 500, BatchDelay: 50 * time.Millisecond, HeartbeatEvery: 20 * time.Millisecond, OnProgress: progress}
			if b == models.SQLite {
				// Only the loader is to meet the lock: a heartbeat waiting
				// on the one connection would take the timeout instead.
				o.HeartbeatEvery = time.Hour
			}
			im := importers.New(s, o)
			runs := make(chan *models.ImportRun, 1)
			go func() {
				rs, _ := im.ImportPaths(ctx, []string{p}, importers.DefaultLimits)
				runs <- rs[0]
			}()
			<-staged

			if b == models.Postgres {
				// The run's row stays locked for longer than the importer
				// waits for one write, as under an unresponsive server;
				// then the importer's connections are cut.
				other, err := models.Open(ctx, models.Options{DatabaseURL: schema})
				if err != nil {
					t.Fatal(err)
				}
				defer other.Close()
				tx := other.DB.Begin()
				if err := tx.Exec("SELECT id FROM import_runs FOR UPDATE").Error; err != nil {
					t.Fatal(err)
				}
				var n int64
				err = other.DB.Raw(`SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?`, app).Scan(&n).Error
				if err != nil || n == 0 {
					t.Fatalf("terminated %d backends: %v", n, err)
				}
				time.Sleep(12 * time.Second) // past the importer's 10 s wait for one write
				tx.Rollback()
			} else {
				other, err := models.Open(ctx, models.Options{SQLitePath: opt.SQLitePath})
				if err != nil {
					t.Fatal(err)
				}
				defer other.Close()
				if err := other.DB.Exec("BEGIN IMMEDIATE").Error; err != nil {
					t.Fatal(err)
				}
				time.Sleep(12 * time.Second) // past the importer's 10 s busy timeout
				if err := other.DB.Exec("ROLLBACK").Error; err != nil {
					t.Fatal(err)
				}
			}
			var id int64
			select {
			case r := <-runs:
				id = r.ID
			case <-time.After(60 * time.Second):
				t.Fatal("import did not end")
			}
			old := models.StaleAfter
			models.StaleAfter = 100 * time.Millisecond
			defer func() { models.StaleAfter = old }()
			time.Sleep(200 * time.Millisecond)
			if err := s.CleanupImports(ctx); err != nil {
				t.Fatal(err)
			}
			got, err := s.GetImportRun(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != models.ImportFailed || !strings.HasPrefix(got.Message, "database unavailable") {
				t.Fatalf("run after the outage: %q %q", got.Status, got.Message)
			}
			if n := count(t, s, "SELECT COUNT(*) FROM appt_subicb_daily"); n != 0 {
				t.Fatalf("%d rows visible", n)
			}
		})
	}
}
