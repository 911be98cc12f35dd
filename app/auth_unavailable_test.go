package app

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// TestAuthDatabaseErrorIs503: when the database fails while a credential
// is checked, the answer is 503 (try again), never 401 (wrong credential),
// and a browser's session cookie is kept.
func TestAuthDatabaseErrorIs503(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, _ := newTestApp(t, s)
		c := newClient(t, f)
		c.login()
		session := c.cookies[sessionCookie]
		u, err := s.CreateUser(t.Context(), "script@example.org", models.RoleAnalyst, "")
		if err != nil {
			t.Fatal(err)
		}
		tok, _, err := s.CreateToken(t.Context(), u.ID, "script")
		if err != nil {
			t.Fatal(err)
		}
		fx := &fixture{t: t, store: s, app: f}
		l := newLoginForm(t, f)
		if err := testdb.SQL(t, s).Exec("ALTER TABLE users RENAME TO users_gone").Error; err != nil {
			t.Fatal(err)
		}
		if st, body := fx.do("GET", "/api/v1/tokens", tok, ""); st != http.StatusServiceUnavailable {
			t.Errorf("bearer token, users table gone: %d %s, want 503", st, body)
		}
		req := httptest.NewRequest("GET", "/events/new", nil)
		var res *http.Response
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
		res, err = f.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("session cookie, users table gone: %d, want 503", res.StatusCode)
		}
		for _, ck := range res.Cookies() {
			if ck.Name == sessionCookie {
				t.Errorf("session cookie cleared on a database error: %v", ck)
			}
		}
		if st, _ := l.post(t, "", plannerEmail, plannerPassword); st != http.StatusServiceUnavailable {
			t.Errorf("login, users table gone: %d, want 503", st)
		}
	})
}
