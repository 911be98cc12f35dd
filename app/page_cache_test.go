package app

import (
	"io"
	"log/slog"
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
