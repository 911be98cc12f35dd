package app

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
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
	for _, tc := range []struct{ in, want string }{
		{"/events/3/edit", "/events/3/edit"},
		{"/?from=2025-01-01&kind=strike_round", "/?from=2025-01-01&kind=strike_round"},
		{"/events/3%20x", "/events/3%20x"},
		{"", "/"},
		{"events/3", "/"},
		{"//evil.example/", "/"},
		{"https://evil.example", "/"},
		{"/\\evil.example", "/"},
		{"/ok\r\nSet-Cookie: x", "/"},
		// Browsers drop tabs and newlines from a Location: "/\t/x" is "//x".
		{"/\t/evil.example", "/"},
		{"/%09/evil.example", "/"},
		{"/%0a/evil.example", "/"},
		{"/%2509/evil.example", "/"},
		{"/ /evil.example", "/"},
		{"/\u00a0/evil.example", "/"},
		{"/%2F/evil.example", "/"},
		{"/%2f%2fevil.example", "/"},
		{"/%5Cevil.example", "/"},
		{"/%255C%255Cevil.example", "/"},
		{"/events//3", "/"},
		{"/\x00", "/"},
		{"/%00", "/"},
		{"/\x7f", "/"},
		{"/%zz", "/"},
		{"/%25252525252F/evil", "/"},
	} {
		if got := safeNext(tc.in); got != tc.want {
			t.Errorf("safeNext(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestLoginNextStaysOnSite: the login form's next= is kept only when it is
// a clean local path, through the form to the redirect after login.
func TestLoginNextStaysOnSite(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, _ := newTestApp(t, s)
		for next, want := range map[string]string{"/%09/evil.example": "/", "/events/1/history": "/events/1/history"} {
			c := newClient(t, f)
			_, page := c.get("/login?next=" + url.QueryEscape(next))
			if want == "/" && strings.Contains(page, "evil.example") {
				t.Errorf("login form for next=%q carries it on", next)
			}
			form := url.Values{"csrf_token": {csrfFrom(t, page)}, "email": {plannerEmail}, "password": {plannerPassword}, "next": {next}}
			res, _ := c.post("/login", form)
			if loc := res.Header.Get("Location"); res.StatusCode != 303 || loc != want {
				t.Errorf("login with next=%q: %d Location %q, want %q", next, res.StatusCode, loc, want)
			}
		}
	})
}
