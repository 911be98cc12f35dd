package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

func TestTokenAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		fx := newFixture(t, s)
		admin := fx.tokens[models.RoleAdmin]

		// An admin mints an analyst token: it may read and act as analyst
		// only, never as the admin it belongs to.
		st, body := fx.do("POST", "/api/v1/tokens", admin, `{"name":"export script","role":"analyst"}`)
		if st != http.StatusCreated {
			t.Fatalf("create token: %d %s", st, body)
		}
		created := decode[struct {
			Token string    `json:"token"`
			Item  tokenView `json:"item"`
		}](t, body)
		if created.Item.Role != models.RoleAnalyst || created.Token == "" {
			t.Fatalf("created = %+v", created)
		}
		if st, body := fx.do("POST", "/api/v1/disputes", created.Token, `{"title":"x","start":"2025-01-01"}`); st != http.StatusForbidden {
			t.Errorf("analyst-scoped admin token wrote a record: %d %s", st, body)
		}
		if st, _ := fx.do("GET", "/api/v1/users", created.Token, ""); st != http.StatusForbidden {
			t.Errorf("analyst-scoped admin token listed users: %d", st)
		}
		// A scoped token cannot mint a broader one.
		if st, body := fx.do("POST", "/api/v1/tokens", created.Token, `{"role":"admin"}`); st != http.StatusUnprocessableEntity {
			t.Errorf("escalation via token: %d %s", st, body)
		}
		// A planner cannot mint an admin token.
		if st, _ := fx.do("POST", "/api/v1/tokens", fx.tokens[models.RolePlanner], `{"role":"admin"}`); st != http.StatusUnprocessableEntity {
			t.Errorf("planner minted an admin token: %d", st)
		}
		if st, body := fx.do("POST", "/api/v1/tokens", admin, `{"role":"admin","extra":1}`); st != http.StatusBadRequest {
			t.Errorf("unknown field: %d %s", st, body)
		}

		// The list never shows secrets and includes both tokens.
		st, body = fx.do("GET", "/api/v1/tokens", admin, "")
		list := decode[struct{ Items []tokenView }](t, body)
		if st != http.StatusOK || len(list.Items) != 2 {
			t.Fatalf("list: %d %s", st, body)
		}
		if contains(body, created.Token) || contains(body, "hash") {
			t.Errorf("list leaks a secret: %s", body)
		}

		// Another user's token id is not found; the owner's revoke works
		// and the token stops at once.
		path := fmt.Sprintf("/api/v1/tokens/%d", created.Item.ID)
		if st, _ := fx.do("DELETE", path, fx.tokens[models.RolePlanner], ""); st != http.StatusNotFound {
			t.Errorf("revoke someone else's token: %d", st)
		}
		if st, _ := fx.do("DELETE", path, admin, ""); st != http.StatusNoContent {
			t.Errorf("revoke: %d", st)
		}
		if st, _ := fx.do("GET", "/api/v1/tokens", created.Token, ""); st != http.StatusUnauthorized {
			t.Errorf("revoked token still works: %d", st)
		}
		if st, _ := fx.do("DELETE", path, admin, ""); st != http.StatusNotFound {
			t.Errorf("second revoke: %d", st)
		}
	})
}

func TestUserAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		fx := newFixture(t, s)
		admin := fx.tokens[models.RoleAdmin]
		ctx := context.Background()

		st, body := fx.do("POST", "/api/v1/users", admin, `{"email":"New.Person@Example.org","role":"planner","password":"correct horse battery"}`)
		if st != http.StatusCreated {
			t.Fatalf("create: %d %s", st, body)
		}
		u := decode[userView](t, body)
		if u.Email != "new.person@example.org" || !u.HasPassword || contains(body, "argon2") {
			t.Errorf("created = %s", body)
		}
		if st, _ := fx.do("POST", "/api/v1/users", admin, `{"email":"new.person@example.org","role":"planner"}`); st != http.StatusConflict {
			t.Errorf("duplicate email: %d", st)
		}
		for _, bad := range []string{`{"email":"x","role":"planner"}`, `{"email":"a@b.org","role":"root"}`, `{"email":"a@b.org","role":"planner","password":"short"}`} {
			if st, body := fx.do("POST", "/api/v1/users", admin, bad); st != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d %s", bad, st, body)
			}
		}

		// Disabling ends sessions and stops the user's tokens.
		tok, _, err := s.CreateToken(ctx, u.ID, "t")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.CreateSession(ctx, u.ID, "test", "127.0.0.1"); err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/api/v1/users/%d", u.ID)
		if st, body := fx.do("PATCH", path, admin, `{"disabled":true}`); st != http.StatusOK || !decode[userView](t, body).Disabled {
			t.Fatalf("disable: %d %s", st, body)
		}
		if st, _ := fx.do("GET", "/api/v1/tokens", tok, ""); st != http.StatusUnauthorized {
			t.Errorf("disabled user's token works: %d", st)
		}
		var n int64
		testdb.SQL(t, s).Model(&models.Session{}).Where("user_id = ?", u.ID).Count(&n)
		if n != 0 {
			t.Errorf("disabled user still has %d sessions", n)
		}
		if st, _ := fx.do("PATCH", path, admin, `{"disabled":false,"role":"analyst"}`); st != http.StatusOK {
			t.Errorf("enable: %d", st)
		}
		// Demoted from planner to analyst: the planner token must not keep
		// the rights the user lost.
		if st, _ := fx.do("GET", "/api/v1/tokens", tok, ""); st != http.StatusUnauthorized {
			t.Errorf("token of a demoted user still works: %d", st)
		}

		me := fmt.Sprintf("/api/v1/users/%d", fx.users[models.RoleAdmin].ID)
		if st, _ := fx.do("PATCH", me, admin, `{"disabled":true}`); st != http.StatusUnprocessableEntity {
			t.Errorf("admin disabled themself: %d", st)
		}
		if st, _ := fx.do("PATCH", me, admin, `{"role":"planner"}`); st != http.StatusUnprocessableEntity {
			t.Errorf("admin demoted themself: %d", st)
		}
		if st, _ := fx.do("PATCH", "/api/v1/users/999999", admin, `{"disabled":true}`); st != http.StatusNotFound {
			t.Errorf("missing user: %d", st)
		}
		st, body = fx.do("GET", "/api/v1/users", admin, "")
		if st != http.StatusOK || len(decode[struct{ Items []userView }](t, body).Items) != len(models.Roles)+1 {
			t.Errorf("list: %d %s", st, body)
		}
	})
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
