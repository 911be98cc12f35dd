package app

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

func TestPageCache(t *testing.T) {
	s := testdb.New(t, models.SQLite)
	newTestApp(t, s) // seed and planner
	cfg := webTestConfig
	cfg.PageCacheTTL = time.Minute
	f, err := New(Deps{Store: s, Config: cfg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	anon := newClient(t, f)
	if res, _ := anon.get("/?q=ballot"); res.Header.Get("X-Cache") != "" {
		t.Fatal("first request served from cache")
	}
	if res, _ := anon.get("/?q=ballot"); res.Header.Get("X-Cache") != "hit" || res.Header.Get("Content-Security-Policy") == "" {
		t.Fatalf("second request: X-Cache %q", res.Header.Get("X-Cache"))
	}
	// A write through the app shows at once.
	c := newClient(t, f)
	tok := c.login()
	res, _ := c.post("/events/new", url.Values{"csrf_token": {tok}, "kind": {"milestone"}, "title": {"Fresh ballot record"},
		"start": {"2025-10-01"}, "milestone_type": {"ballot_opened"}, "nation": {"England"}, "source_rows": {"1"},
		"source_url_0": {"https://example.org/x"}})
	if res.StatusCode != 303 {
		t.Fatalf("create: %d", res.StatusCode)
	}
	// The draft stays private; the editor's publish is the write the
	// public must see at once.
	if _, body := anon.get("/?q=ballot"); strings.Contains(body, "Fresh ballot record") {
		t.Fatal("a draft reached the anonymous page")
	}
	ed := newClient(t, f)
	etok := ed.loginAs(editorEmail)
	if res, _ := ed.post(res.Header.Get("Location")+"/publish", url.Values{"csrf_token": {etok}}); res.StatusCode != 303 {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	res, body := anon.get("/?q=ballot")
	if res.Header.Get("X-Cache") == "hit" || !strings.Contains(body, "Fresh ballot record") {
		t.Error("cache not invalidated by a write")
	}
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
	if res.StatusCode != 201 || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("new API token: %d %s Cache-Control %q", res.StatusCode, body, res.Header.Get("Cache-Control"))
	}
}
