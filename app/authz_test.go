package app

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// access is who may call a route.
type access string

const (
	public  access = "public"  // anyone, signed in or not
	anyUser access = "user"    // any signed-in user, whatever the role
	planner access = "planner" // writes records (admins too)
	analyst access = "analyst" // imports and exports (admins too)
	admin   access = "admin"   // manages users
)

// authzTable classifies every route the app serves. TestAuthorizationMatrix
// walks app.GetRoutes() and fails on any route missing here, so whoever adds
// a route must decide, in this table, who may call it. HEAD routes follow
// their GET. Keys are "METHOD PATH" with Fiber's parameter syntax.
var authzTable = map[string]access{
	"GET /healthz": public,
	"GET /readyz":  public,
	"GET /metrics": public,

	"GET /api/v1/timeline":           public,
	"GET /api/v1/events":             public,
	"GET /api/v1/events/:id":         public,
	"GET /api/v1/events/:id/history": public,

	"GET /api/v1/tokens":                               anyUser,
	"POST /api/v1/tokens":                              anyUser,
	"DELETE /api/v1/tokens/:id":                        anyUser,
	"GET /api/v1/users":                                admin,
	"POST /api/v1/users":                               admin,
	"PATCH /api/v1/users/:id":                          admin,
	"GET /api/v1/{kind}":                               public,
	"GET /api/v1/{kind}/:id":                           public,
	"GET /api/v1/{kind}/:id/history":                   public,
	"POST /api/v1/{kind}":                              planner,
	"PATCH /api/v1/{kind}/:id":                         planner,
	"DELETE /api/v1/{kind}/:id":                        planner,
	"POST /api/v1/{kind}/:id/history/:version/restore": planner,
}

// routeKey normalises a route to its table key: collection paths share one
// row per action (every kind has the same rules) and trailing slashes go.
func routeKey(method, path string) string {
	path = strings.TrimSuffix(path, "/")
	for c := range collections {
		if rest, ok := strings.CutPrefix(path, "/api/v1/"+c); ok && (rest == "" || rest[0] == '/') {
			path = "/api/v1/{kind}" + rest
		}
	}
	if method == http.MethodHead {
		method = http.MethodGet
	}
	return method + " " + path
}

var paramRe = regexp.MustCompile(`:[a-z]+`)

func TestAuthorizationMatrix(t *testing.T) {
	// One backend is enough: authorization happens before the store, and
	// the store tests cover both.
	fx := newFixture(t, testdb.New(t, models.SQLite))
	seen := map[string]bool{}
	var missing []string
	for _, r := range fx.app.GetRoutes(true) {
		key := routeKey(r.Method, r.Path)
		want, ok := authzTable[key]
		if !ok {
			missing = append(missing, r.Method+" "+r.Path)
			continue
		}
		seen[key] = true
		if r.Method == http.MethodHead {
			continue
		}
		// A parameter that matches nothing, so writes that pass
		// authorization touch no row (a 404 or 422, never a change).
		path := paramRe.ReplaceAllString(r.Path, "999999")
		body := ""
		if r.Method != http.MethodGet && r.Method != http.MethodDelete {
			body = `{}`
		}
		name := fmt.Sprintf("%s %s", r.Method, r.Path)
		// Anonymous.
		st, resp := fx.do(r.Method, path, "", body)
		if want == public {
			if st == http.StatusUnauthorized || st == http.StatusForbidden || st >= 500 {
				t.Errorf("%s anonymous: %d %s, want access", name, st, resp)
			}
		} else if st != http.StatusUnauthorized {
			t.Errorf("%s anonymous: %d, want 401", name, st)
		}
		// Each role.
		for _, role := range models.Roles {
			allowed := want == public || want == anyUser || role.Allows(models.Role(want))
			st, resp := fx.do(r.Method, path, fx.tokens[role], body)
			switch {
			case allowed && (st == http.StatusUnauthorized || st == http.StatusForbidden || st >= 500):
				t.Errorf("%s as %s: %d %s, want access", name, role, st, resp)
			case !allowed && st != http.StatusForbidden:
				t.Errorf("%s as %s: %d, want 403", name, role, st)
			}
		}
		// A bad token is refused outright, even on public routes.
		if st, _ := fx.do(r.Method, path, "slk_notatoken", body); st != http.StatusUnauthorized && strings.HasPrefix(r.Path, "/api/") {
			t.Errorf("%s with a bad token: %d, want 401", name, st)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("route %s is not in authzTable: classify it (public, user, planner, analyst or admin)", m)
	}
	for key := range authzTable {
		if !seen[key] {
			t.Errorf("authzTable row %q matches no route: remove it", key)
		}
	}
}
