package app

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// TestAnonImpactBounded: with every anonymous impact slot taken, an
// anonymous impact request that must be computed is refused at once with
// 429 and Retry-After, a stored one is answered, and a token holder still
// gets the figures.
func TestAnonImpactBounded(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		fx := newFixture(t, s)
		cfg := testConfig()
		cfg.AnonImpactConcurrency = 2
		srv, f, err := newServer(Deps{Store: s, Config: cfg, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		fx.app = f
		_, body := fx.do("POST", "/api/v1/strike-rounds", fx.tokens[models.RolePlanner], validStrike)
		id := decode[struct{ ID int64 }](t, body).ID
		// Only a published record's impact is public.
		if _, err := s.Publish(t.Context(), "editor@example.org", id, models.PublishInput{}); err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/events/" + itoa(id) + "/impact"
		if st, b := fx.do("GET", path, "", ""); st == http.StatusTooManyRequests || st >= 500 {
			t.Fatalf("anonymous impact with free slots: %d %s", st, b)
		}
		for i := 0; i < cap(srv.impactSem); i++ {
			srv.impactSem <- struct{}{}
		}
		if cap(srv.impactSem) != 2 {
			t.Errorf("%d slots, want the configured 2", cap(srv.impactSem))
		}
		// The answer computed above is stored: it needs no slot.
		if st, b := fx.do("GET", path, "", ""); st != http.StatusOK {
			t.Errorf("stored anonymous impact with every slot busy: %d %s, want 200", st, b)
		}
		// A slice not asked for before must be computed: refused.
		res, err := f.Test(httptest.NewRequest("GET", path+"?metric=total", nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
			t.Errorf("anonymous impact with every slot busy: %d Retry-After %q, want 429 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
		}
		if st, b := fx.do("GET", path+"?metric=total", fx.tokens[models.RoleAnalyst], ""); st == http.StatusTooManyRequests || st >= 500 {
			t.Errorf("token holder with anonymous slots busy: %d %s", st, b)
		}
	})
}
