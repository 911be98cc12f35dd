package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	planner access = "planner" // writes records (editors and admins too)
	editor  access = "editor"  // publishes and withdraws records (admins too)
	analyst access = "analyst" // imports and exports (admins too)
	admin   access = "admin"   // manages users
	// credentials: the login form itself; its answer depends on the
	// credentials posted (401, or 403 without the form's CSRF cookie), so
	// only "never a 5xx" is checked here; login_throttle_test.go checks its
	// answers.
	credentials access = "credentials"
)

// authzTable classifies every route the app serves. TestAuthorizationMatrix
// walks app.GetRoutes() and fails on any route missing here, so whoever adds
// a route must decide, in this table, who may call it. HEAD routes follow
// their GET. Keys are "METHOD PATH" with Fiber's parameter syntax.
var authzTable = map[string]access{
	"GET /healthz": public,
	"GET /readyz":  public,
	"GET /metrics": public,

	"GET /api/v1/timeline":             public,
	"GET /api/v1/events":               public,
	"GET /api/v1/events/:id":           public,
	"GET /api/v1/events/:id/history":   public,
	"GET /api/v1/register":             public,
	"POST /api/v1/events/:id/publish":  editor,
	"POST /api/v1/events/:id/withdraw": editor,
	"GET /api/v1/openapi.json":         public,
	"GET /api/v1/openapi.yaml":         public,

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
	"GET /api/v1/activity":                             public,
	"GET /api/v1/activity.csv":                         public,
	"GET /api/v1/activity/categories":                  public,
	"GET /api/v1/activity/categories.csv":              public,
	"GET /api/v1/activity/practices":                   public,
	"GET /api/v1/activity/practices.csv":               public,
	"GET /api/v1/activity/roles":                       public,
	"GET /api/v1/activity/roles.csv":                   public,
	"GET /api/v1/activity/durations":                   public,
	"GET /api/v1/activity/durations.csv":               public,
	"GET /api/v1/activity/overview":                    public,
	"GET /api/v1/activity/overview.csv":                public,
	"GET /api/v1/coverage":                             public,
	"GET /api/v1/coverage.csv":                         public,
	"GET /api/v1/online-consultations/day-time":        public,
	"GET /api/v1/online-consultations":                 public,
	"GET /api/v1/imports":                              analyst,
	"GET /api/v1/imports/:id":                          analyst,
	"POST /api/v1/imports":                             analyst,
	"GET /api/v1/events/:id/impact":                    public,
	"GET /api/v1/impact/rounds":                        public,
	"GET /api/v1/impact/rounds.csv":                    public,
	"GET /api/v1/impact/rounds.xlsx":                   public,

	// Pages (browser sessions; the test signs in with a session cookie and
	// sends the form's CSRF token).
	"GET /":                   public,
	"GET /events/:id":         public,
	"GET /events/:id/history": public,
	"GET /disputes/:id":       public,
	"GET /impact":             public,
	"GET /login":              public,
	"POST /login":             credentials,
	"POST /logout":            anyUser,
	"GET /events/new":         planner,
	"POST /events/new":        planner,
	"GET /events/:id/edit":    planner,
	"POST /events/:id/edit":   planner,
	"POST /events/:id/delete": planner,
	"POST /events/:id/history/:version/restore": planner,
	"POST /events/:id/publish":                  editor,
	"POST /events/:id/withdraw":                 editor,
	"GET /review":                               planner,
	"GET /corrections":                          public,
	"GET /changes":                              public,
	"GET /corrections.atom":                     public,
	"GET /timeline.csv":                         public,
	"GET /timeline.json":                        public,
	"GET /timeline.xlsx":                        public,
	"GET /timeline-js.json":                     public,
	"GET /strikes.ics":                          public,
	"GET /feed.atom":                            public,
	"GET /api/docs":                             public,
	"GET /embed/events/:id":                     public,
	"GET /embed/timeline":                       public,
	"GET /imports":                              analyst,
	"POST /imports":                             analyst,
	"GET /imports/:id":                          analyst,
	"GET /reports":                              analyst,
	"GET /reports/impact.xlsx":                  analyst,
	"GET /events/import":                        planner,
	"POST /events/import":                       planner,
}

// isPage reports whether a route is a browser page, authenticated by a
// session cookie rather than a bearer token.
func isPage(path string) bool {
	return !strings.HasPrefix(path, "/api/v1/") && path != "/reports/impact.xlsx"
}

// routeKey normalises a route to its table key: collection paths share one
// row per action (every kind has the same rules) and trailing slashes go.
func routeKey(method, path string) string {
	if path != "/" {
		path = strings.TrimSuffix(path, "/")
	}
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
		if want == credentials {
			if st, resp := fx.doPage(r.Method, path, ""); st >= 500 {
				t.Errorf("%s: %d %s", name, st, resp)
			}
			continue
		}
		page := isPage(r.Path)
		if page && r.Method == http.MethodPost {
			body = ""
		}
		// Anonymous. A page sends an anonymous visitor to the login form.
		var st int
		var resp string
		if page {
			st, resp = fx.doPage(r.Method, path, "")
		} else {
			st, resp = fx.do(r.Method, path, "", body)
		}
		if want == public {
			if st == http.StatusUnauthorized || st == http.StatusForbidden || st >= 500 {
				t.Errorf("%s anonymous: %d %s, want access", name, st, resp)
			}
		} else if st != http.StatusUnauthorized && !(page && (st == http.StatusSeeOther || st == http.StatusForbidden)) {
			// Pages redirect an anonymous GET to the login form and refuse
			// an anonymous POST for want of a session CSRF token.
			t.Errorf("%s anonymous: %d, want 401 (or a redirect to login)", name, st)
		}
		// A made-up session cookie is no session: the page answers as it
		// does an anonymous visitor.
		if page {
			if forged, resp := fx.doPageCookie(r.Method, path, sessionCookie+"=made-up", ""); forged != st {
				t.Errorf("%s with a made-up session cookie: %d %.100s, want %d as anonymous", name, forged, resp, st)
			}
		}
		// Each role.
		for _, role := range models.Roles {
			allowed := want == public || want == anyUser || role.Allows(models.Role(want))
			var st int
			var resp string
			if page {
				st, resp = fx.doPage(r.Method, path, role)
			} else {
				st, resp = fx.do(r.Method, path, fx.tokens[role], body)
			}
			switch {
			case allowed && (st == http.StatusUnauthorized || st == http.StatusForbidden || st >= 500):
				t.Errorf("%s as %s: %d %s, want access", name, role, st, resp)
			case !allowed && st != http.StatusForbidden:
				t.Errorf("%s as %s: %d, want 403", name, role, st)
			}
		}
		// A bad token is refused outright, even on public routes.
		if st, _ := fx.do(r.Method, path, "slk_notatoken", body); st != http.StatusUnauthorized && strings.HasPrefix(r.Path, "/api/v1/") {
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

// doPage sends a page request signed in as role ("" for anonymous) with a
// database session, and the session's CSRF token on POST.
func (fx *fixture) doPage(method, path string, role models.Role) (int, string) {
	fx.t.Helper()
	cookie, form := "", ""
	if role != "" {
		plain, sess, err := fx.store.CreateSession(context.Background(), fx.users[role].ID, "test", "192.0.2.1")
		if err != nil {
			fx.t.Fatal(err)
		}
		cookie, form = sessionCookie+"="+plain, csrfField+"="+url.QueryEscape(sess.CSRFToken)
	}
	return fx.doPageCookie(method, path, cookie, form)
}

// doPageCookie sends a page request with a raw Cookie header and, on POST,
// a form body.
func (fx *fixture) doPageCookie(method, path, cookie, form string) (int, string) {
	fx.t.Helper()
	req := httptest.NewRequest(method, path, nil)
	if method == http.MethodPost {
		req = httptest.NewRequest(method, path, strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := fx.app.Test(req, -1)
	if err != nil {
		fx.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
