package app

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

func TestSecureCookiesAndHSTS(t *testing.T) {
	s := testdb.New(t, models.SQLite)
	cfg := webTestConfig
	cfg.SecureCookies = true
	f, err := New(Deps{Store: s, Config: cfg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.Test(httptest.NewRequest("GET", "/login", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	if h := res.Header.Get("Strict-Transport-Security"); !strings.Contains(h, "max-age=") {
		t.Errorf("HSTS = %q", h)
	}
	ck := res.Header.Get("Set-Cookie")
	for _, want := range []string{"strikeline_csrf=", "HttpOnly", "secure", "SameSite=Lax"} {
		if !strings.Contains(strings.ToLower(ck), strings.ToLower(want)) {
			t.Errorf("cookie %q lacks %s", ck, want)
		}
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Error("security headers missing")
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/events/3/edit": "/events/3/edit", "": "/", "//evil.example/": "/", "https://evil.example": "/",
		"/\\evil.example": "/", "/ok\r\nSet-Cookie: x": "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
