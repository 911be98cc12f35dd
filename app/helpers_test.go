package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

const (
	plannerEmail    = "planner@example.org"
	editorEmail     = "editor@example.org"
	plannerPassword = "correct horse battery"
	hostileTitle    = `<script>alert("x")</script> strike`
)

var webTestConfig = Config{Addr: ":0", BaseURL: "http://strikeline.test", MaxUploadMB: 16, MaxJSONKB: 256}

// newTestApp returns an app over s with the seed, a planner and one record
// whose text is hostile (markup and a spreadsheet formula).
func newTestApp(t testing.TB, s *models.Store) (*fiber.App, *models.Event) {
	t.Helper()
	return newTestAppWith(t, s, nil)
}

// newTestAppWith is newTestApp with an activity source for the charts.
func newTestAppWith(t testing.TB, s *models.Store, act ActivitySource) (*fiber.App, *models.Event) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.LoadSeed(ctx); err != nil {
		t.Fatal(err)
	}
	hash, err := models.HashPassword(plannerPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, plannerEmail, models.RolePlanner, hash); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, editorEmail, models.RoleEditor, hash); err != nil {
		t.Fatal(err)
	}
	hostile, err := s.CreateEvent(ctx, "test", models.EventDoc{Kind: models.KindStrikeRound, Title: hostileTitle,
		Summary: "=HYPERLINK(\"http://evil.example\")", Start: "2025-11-14T07:00", End: "2025-11-19T07:00",
		StaffGroup: "resident_doctors", ActionType: "full_walkout", Unions: []string{"BMA"},
		Sources: []models.Source{{URL: "https://www.bma.org.uk/", Title: "<b>BMA</b>"}}})
	if err != nil {
		t.Fatal(err)
	}
	// Published, so the public pages, downloads and feeds carry it.
	if hostile, err = s.Publish(ctx, "editor", hostile.ID, models.PublishInput{}); err != nil {
		t.Fatal(err)
	}
	f, err := New(Deps{Store: s, Config: webTestConfig, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Charts: act})
	if err != nil {
		t.Fatal(err)
	}
	return f, hostile
}

// client keeps cookies across requests to the app, like a browser.
type client struct {
	t       testing.TB
	app     *fiber.App
	cookies map[string]string
}

func newClient(t testing.TB, app *fiber.App) *client {
	return &client{t: t, app: app, cookies: map[string]string{}}
}

func (c *client) do(method, target string, body io.Reader, hdr map[string]string) (*http.Response, string) {
	c.t.Helper()
	req := httptest.NewRequest(method, target, body)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res := testRequest(c.t, c.app, req)
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (c *client) get(target string) (*http.Response, string) { return c.do("GET", target, nil, nil) }

func (c *client) post(target string, form url.Values) (*http.Response, string) {
	return c.do("POST", target, strings.NewReader(form.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

var csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrfFrom reads the CSRF token from a page's form.
func csrfFrom(t testing.TB, body string) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on the page")
	}
	return m[1]
}

// login signs the client in as the planner and returns the session's CSRF
// token.
func (c *client) login() string {
	c.t.Helper()
	return c.loginAs(plannerEmail)
}

// loginAs signs the client in as email (planner or editor, who share the
// test password) and returns the session's CSRF token.
func (c *client) loginAs(email string) string {
	c.t.Helper()
	_, body := c.get("/login")
	res, _ := c.post("/login", url.Values{"csrf_token": {csrfFrom(c.t, body)}, "email": {email}, "password": {plannerPassword}})
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("login: status %d", res.StatusCode)
	}
	_, body = c.get("/events/new?kind=milestone")
	return csrfFrom(c.t, body)
}

func timeAgo(d time.Duration) time.Time { return time.Now().UTC().Add(-d) }

// createPublished creates a record and publishes it, as an editor would:
// new records are drafts, and the public pages show only what is published.
func createPublished(t testing.TB, s *models.Store, doc models.EventDoc) *models.Event {
	t.Helper()
	ctx := context.Background()
	e, err := s.CreateEvent(ctx, "test", doc)
	if err != nil {
		t.Fatal(err)
	}
	if e, err = s.Publish(ctx, "editor", e.ID, models.PublishInput{}); err != nil {
		t.Fatal(err)
	}
	return e
}
