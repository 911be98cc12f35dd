package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// cachingApp is an app over s with HTTP caching and the page cache on.
func cachingApp(t *testing.T, s *models.Store) *fiber.App {
	t.Helper()
	cfg := webTestConfig
	cfg.PageCacheTTL, cfg.CacheMaxAge, cfg.CacheStale = time.Minute, time.Minute, 30*time.Second
	f, err := New(Deps{Store: s, Config: cfg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// editorToken is a token of the test editor, who writes and publishes.
func editorToken(t *testing.T, s *models.Store) string {
	t.Helper()
	u, err := s.UserByEmail(context.Background(), editorEmail)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := s.CreateToken(context.Background(), u.ID, "cache test")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// createRound writes a record through app f with an editor's bearer token
// and publishes it, so the public sees the write.
func createRound(t *testing.T, f *fiber.App, token, title string) {
	t.Helper()
	c := newClient(t, f)
	res, body := c.do("POST", "/api/v1/strike-rounds", strings.NewReader(`{"title":"`+title+`","start":"2026-03-02T07:00:00Z",
		"end":"2026-03-04T07:00:00Z","staff_group":"resident_doctors","unions":["BMA"],"action_type":"full_walkout",
		"sources":[{"url":"https://example.org/r"}]}`), map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", res.StatusCode, body)
	}
	var created struct{ ID int64 }
	if err := json.Unmarshal([]byte(body), &created); err != nil {
		t.Fatal(err)
	}
	res, body = c.do("POST", fmt.Sprintf("/api/v1/events/%d/publish", created.ID), strings.NewReader(`{}`),
		map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("publish: %d %s", res.StatusCode, body)
	}
}

func TestConditionalRequests(t *testing.T) {
	paths := []string{"/", "/timeline.csv", "/feed.atom", "/api/v1/timeline", "/api/v1/events?q=ballot", "/api/v1/strike-rounds"}
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		newTestApp(t, s)
		f := cachingApp(t, s)
		token := editorToken(t, s)
		anon := newClient(t, f)
		tags := map[string]string{}
		for _, p := range paths {
			res, _ := anon.get(p)
			tag := res.Header.Get("ETag")
			if res.StatusCode != 200 || !strings.HasPrefix(tag, `W/"`) || res.Header.Get("Last-Modified") == "" {
				t.Fatalf("GET %s: %d, ETag %q, Last-Modified %q", p, res.StatusCode, tag, res.Header.Get("Last-Modified"))
			}
			if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=60, stale-while-revalidate=30" {
				t.Errorf("GET %s: Cache-Control %q", p, cc)
			}
			if !strings.Contains(res.Header.Get("Vary"), "Cookie") {
				t.Errorf("GET %s: Vary %q", p, res.Header.Get("Vary"))
			}
			tags[p] = tag
			res, body := anon.do("GET", p, nil, map[string]string{"If-None-Match": tag})
			if res.StatusCode != http.StatusNotModified || body != "" || res.Header.Get("ETag") != tag {
				t.Errorf("GET %s with If-None-Match: %d, ETag %q, %d bytes", p, res.StatusCode, res.Header.Get("ETag"), len(body))
			}
			res, _ = anon.do("GET", p, nil, map[string]string{"If-Modified-Since": res.Header.Get("Last-Modified")})
			if res.StatusCode != http.StatusNotModified {
				t.Errorf("GET %s with If-Modified-Since: %d", p, res.StatusCode)
			}
			if res, _ := anon.do("GET", p, nil, map[string]string{"If-None-Match": `W/"something-else"`}); res.StatusCode != 200 {
				t.Errorf("GET %s with a stale tag: %d", p, res.StatusCode)
			}
			// HEAD answers the same headers without the body, and
			// revalidates the same way.
			if res, body := anon.do("HEAD", p, nil, nil); res.StatusCode != 200 || body != "" || res.Header.Get("ETag") != tag {
				t.Errorf("HEAD %s: %d, ETag %q (GET's %q), %d bytes", p, res.StatusCode, res.Header.Get("ETag"), tag, len(body))
			}
			if res, _ := anon.do("HEAD", p, nil, map[string]string{"If-None-Match": tag}); res.StatusCode != http.StatusNotModified {
				t.Errorf("HEAD %s with If-None-Match: %d", p, res.StatusCode)
			}
		}
		// A write changes every tag: the old validators get the new answer.
		createRound(t, f, token, "Cache probe round")
		for _, p := range paths {
			res, body := anon.do("GET", p, nil, map[string]string{"If-None-Match": tags[p]})
			if res.StatusCode != 200 || res.Header.Get("ETag") == tags[p] {
				t.Errorf("GET %s after a write: %d, ETag %q unchanged", p, res.StatusCode, res.Header.Get("ETag"))
			}
			if p != "/api/v1/events?q=ballot" && !strings.Contains(body, "Cache probe round") {
				t.Errorf("GET %s after a write does not show it", p)
			}
		}
	})
}

func TestSignedInNotCached(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		newTestApp(t, s)
		f := cachingApp(t, s)
		anon := newClient(t, f)
		res, _ := anon.get("/")
		tag := res.Header.Get("ETag")
		planner := newClient(t, f)
		planner.login()
		bearer := map[string]string{"Authorization": "Bearer " + editorToken(t, s), "If-None-Match": tag}
		for name, get := range map[string]func() *http.Response{
			"session": func() *http.Response {
				r, _ := planner.do("GET", "/", nil, map[string]string{"If-None-Match": tag})
				return r
			},
			"token": func() *http.Response { r, _ := planner.do("GET", "/api/v1/timeline", nil, bearer); return r },
		} {
			r := get()
			if r.StatusCode != 200 || r.Header.Get("Cache-Control") != "private, no-store" || r.Header.Get("ETag") != "" || r.Header.Get("X-Cache") != "" {
				t.Errorf("%s: %d, Cache-Control %q, ETag %q, X-Cache %q", name, r.StatusCode, r.Header.Get("Cache-Control"), r.Header.Get("ETag"), r.Header.Get("X-Cache"))
			}
		}
		// Anonymous answers that set a cookie (the login form's token) and
		// routes that are not public are not shared either.
		for _, p := range []string{"/login", "/events/new", "/api/v1/imports"} {
			if r, _ := newClient(t, f).get(p); strings.Contains(r.Header.Get("Cache-Control"), "public") || r.Header.Get("ETag") != "" {
				t.Errorf("GET %s: Cache-Control %q, ETag %q", p, r.Header.Get("Cache-Control"), r.Header.Get("ETag"))
			}
		}
	})
}

// Two app instances over one database: each has its own page cache, and a
// write through one is served by the other at its next request, because
// both validate their caches against the database's state.
func TestTwoInstancesAgree(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		newTestApp(t, s)
		a, b := cachingApp(t, s), cachingApp(t, s)
		token := editorToken(t, s)
		ca, cb := newClient(t, a), newClient(t, b)
		for _, c := range []*client{ca, cb} {
			c.get("/?q=Instance")
			if res, _ := c.get("/?q=Instance"); res.Header.Get("X-Cache") != "hit" {
				t.Fatalf("second request not from the page cache: X-Cache %q", res.Header.Get("X-Cache"))
			}
		}
		_, before := cb.get("/api/v1/timeline")
		res, _ := cb.get("/?q=Instance")
		tagB := res.Header.Get("ETag")
		createRound(t, a, token, "Instance A round")
		for name, c := range map[string]*client{"writer": ca, "other": cb} {
			res, body := c.get("/?q=Instance")
			if res.Header.Get("X-Cache") == "hit" || !strings.Contains(body, "Instance A round") {
				t.Errorf("%s instance serves the page from before the write", name)
			}
			if res.Header.Get("ETag") == tagB {
				t.Errorf("%s instance: ETag unchanged by the write", name)
			}
		}
		if _, after := cb.get("/api/v1/timeline"); after == before || !strings.Contains(after, "Instance A round") {
			t.Error("other instance's API answer does not show the write")
		}
		// And both name the new state with the same tag.
		ra, _ := ca.get("/?q=Instance")
		rb, _ := cb.get("/?q=Instance")
		if ra.Header.Get("ETag") != rb.Header.Get("ETag") {
			t.Errorf("instances disagree: %q vs %q", ra.Header.Get("ETag"), rb.Header.Get("ETag"))
		}
	})
}

// TestPageCacheIgnoresInvalidSession: a made-up session cookie does not
// skip the anonymous cache (only a valid session does), so it cannot force
// a fresh render per request.
func TestPageCacheIgnoresInvalidSession(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		newTestApp(t, s)
		cfg := webTestConfig
		cfg.PageCacheTTL = time.Minute
		f, err := New(Deps{Store: s, Config: cfg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		get := func(cookie string) string {
			req := httptest.NewRequest("GET", "/?q=strike", nil)
			if cookie != "" {
				req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
			}
			res, err := f.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.Header.Get("X-Cache")
		}
		get("")
		if got := get("made-up-session-value"); got != "hit" {
			t.Errorf("invalid session cookie: X-Cache %q, want hit", got)
		}
		// A signed-in user still sees a fresh page.
		c := newClient(t, f)
		c.login()
		if res, _ := c.get("/?q=strike"); res.Header.Get("X-Cache") != "" {
			t.Error("a valid session was served the anonymous cached page")
		}
	})
}

// TestNewTokenResponsesNotStored: responses that carry a new token (a
// session or CSRF cookie, an API token) say Cache-Control: no-store.
func TestNewTokenResponsesNotStored(t *testing.T) {
	s := testdb.New(t, models.SQLite)
	f, _ := newTestApp(t, s)
	c := newClient(t, f)
	res, page := c.get("/login")
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("login page setting a CSRF cookie: Cache-Control %q", res.Header.Get("Cache-Control"))
	}
	res, _ = c.post("/login", url.Values{"csrf_token": {csrfFrom(t, page)}, "email": {plannerEmail}, "password": {plannerPassword}})
	if res.StatusCode != 303 || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("login setting a session: %d Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	_, page = c.get("/events/new?kind=milestone")
	res, body := c.do("POST", "/api/v1/tokens", strings.NewReader(`{"name":"script"}`),
		map[string]string{"Content-Type": "application/json", "X-CSRF-Token": csrfFrom(t, page)})
	if res.StatusCode != 201 || !strings.Contains(res.Header.Get("Cache-Control"), "no-store") {
		t.Errorf("new API token: %d %s Cache-Control %q", res.StatusCode, body, res.Header.Get("Cache-Control"))
	}
}
