package app

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// TestRequestDeadline: a query that does not come back (a stuck database,
// here a table another session holds locked) is cut off at RequestTimeout
// and answered with a JSON 503, not left hanging until the client gives up.
func TestRequestDeadline(t *testing.T) {
	s := testdb.New(t, models.Postgres)
	cfg := testConfig()
	cfg.RequestTimeout = 300 * time.Millisecond
	f := mustNew(t, Deps{Store: s, Config: cfg, Logger: quietLogger()})
	f.Get("/stuck", func(c *fiber.Ctx) error {
		_, _, err := s.ListEvents(c.UserContext(), models.EventFilter{Working: true})
		return err
	})
	fx := &fixture{t: t, store: s, app: f}
	lock := testdb.SQL(t, s).Begin()
	if err := lock.Exec("LOCK TABLE events IN ACCESS EXCLUSIVE MODE").Error; err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	st, body := fx.do("GET", "/stuck", "", "")
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("stuck query took %v", d)
	}
	if st != http.StatusServiceUnavailable || !strings.Contains(body, "unavailable") {
		t.Errorf("stuck query: %d %s", st, body)
	}
	// The store's pool is still usable afterwards.
	if err := lock.Rollback().Error; err != nil {
		t.Fatal(err)
	}
	if st, body := fx.do("GET", "/stuck", "", ""); st != http.StatusOK {
		t.Errorf("after a timed-out query: %d %s", st, body)
	}
}

// TestPanicIsLoggedAs500: a panicking handler gives the JSON 500 and is
// counted with status 500 (observe sits outside recover).
func TestPanicIsLoggedAs500(t *testing.T) {
	s := testdb.New(t, models.SQLite)
	f := mustNew(t, Deps{Store: s, Config: testConfig(), Logger: quietLogger()})
	f.Get("/api/v1/boom", func(c *fiber.Ctx) error { panic("boom") })
	fx := &fixture{t: t, store: s, app: f, offContract: true}
	if st, body := fx.do("GET", "/api/v1/boom", "", ""); st != 500 || body != `{"error":"internal error"}` {
		t.Errorf("panic: %d %s", st, body)
	}
	_, metrics := fx.do("GET", "/metrics", "", "")
	if !strings.Contains(metrics, `route="/api/v1/boom",status="500"`) {
		t.Error("panic not counted as a 500")
	}
}
