package app

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// TestDeadlineErrorsAre503: once a request's deadline has passed, whatever
// error the driver gives for the cut-off work (SQLite's "interrupted",
// an error wrapped without %w) is a 503 "try again", not a 500; and on
// SQLite the query cut off at the deadline is a 503 too.
func TestDeadlineErrorsAre503(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		cfg := testConfig()
		cfg.RequestTimeout = 200 * time.Millisecond
		f := mustNew(t, Deps{Store: s, Config: cfg, Logger: quietLogger()})
		f.Get("/api/v1/opaque", func(c *fiber.Ctx) error {
			<-c.UserContext().Done()
			return fmt.Errorf("store: unable to list events: %v", errors.New("interrupted (9)"))
		})
		raw := testdb.SQL(t, s)
		f.Get("/api/v1/long", func(c *fiber.Ctx) error {
			var n int64
			return raw.WithContext(c.UserContext()).Raw("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r WHERE i < 1000000000) SELECT count(*) FROM r").Scan(&n).Error
		})
		fx := &fixture{t: t, store: s, app: f, offContract: true} // test-only routes
		for _, path := range []string{"/api/v1/opaque", "/api/v1/long"} {
			if st, body := fx.do("GET", path, "", ""); st != http.StatusServiceUnavailable {
				t.Errorf("%s past its deadline: %d %s, want 503", path, st, body)
			}
		}
	})
}
