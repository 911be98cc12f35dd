package app

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// loginApp is newTestApp trusting X-Forwarded-For from the in-memory test
// peer (0.0.0.0), so a test can speak from several addresses.
func loginApp(t *testing.T, s *models.Store) (*Server, *fiber.App) {
	t.Helper()
	newTestApp(t, s)
	cfg := webTestConfig
	cfg.TrustProxy, cfg.TrustedProxies = true, []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32")}
	srv, f, err := newServer(Deps{Store: s, Config: cfg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return srv, f
}

// loginForm is a login page's CSRF cookie and token, to post from anywhere.
type loginForm struct {
	app          *fiber.App
	cookie, csrf string
}

func newLoginForm(t *testing.T, f *fiber.App) loginForm {
	t.Helper()
	c := newClient(t, f)
	_, page := c.get("/login")
	return loginForm{app: f, cookie: c.cookies[csrfCookie], csrf: csrfFrom(t, page)}
}

// post logs in from ip and returns the status and Retry-After.
func (l loginForm) post(t *testing.T, ip, email, pw string) (int, string) {
	form := url.Values{"csrf_token": {l.csrf}, "email": {email}, "password": {pw}}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", ip)
	req.AddCookie(&http.Cookie{Name: csrfCookie, Value: l.cookie})
	res, err := l.app.Test(req, -1)
	if err != nil {
		t.Error(err)
		return 0, ""
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get(fiber.HeaderRetryAfter)
}

// TestLoginThrottle: failures throttle the address they come from, for
// the account they target, with a growing wait; the account's owner, from
// another address, still gets in with the right password.
func TestLoginThrottle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		srv, f := loginApp(t, s)
		// The first wait must outlast a password check on a loaded
		// machine, or the sixth failure could arrive after it ends.
		srv.loginBackoff = time.Minute
		l := newLoginForm(t, f)
		const attacker, victim = "203.0.113.9", "198.51.100.7"
		for i := 0; i < freePairAttempts; i++ {
			// The attacker forges X-Forwarded-For entries left of its own:
			// only the right-most untrusted address counts.
			forged := fmt.Sprintf("198.18.0.%d, %s", i, attacker)
			if st, _ := l.post(t, forged, plannerEmail, fmt.Sprint("wrong password ", i)); st != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d, want 401", i, st)
			}
		}
		if st, ra := l.post(t, attacker, plannerEmail, "wrong again"); st != http.StatusTooManyRequests || ra == "" {
			t.Errorf("6th failure at once: %d Retry-After %q, want 429 with Retry-After", st, ra)
		}
		if st, _ := l.post(t, attacker, plannerEmail, plannerPassword); st != http.StatusTooManyRequests {
			t.Errorf("right password from the throttled address within its wait: %d, want 429", st)
		}
		// The victim is not locked out by the attacker.
		if st, _ := l.post(t, victim, plannerEmail, plannerPassword); st != http.StatusSeeOther {
			t.Errorf("right password from another address: %d, want 303", st)
		}
		// Refused attempts are not failures; the attacker's five stay
		// (the victim's success forgets only the victim's own).
		if n, _ := s.CountLogins(t.Context(), plannerEmail, attacker, timeAgo(loginWindow)); n != freePairAttempts {
			t.Errorf("attacker's recorded attempts = %d, want %d", n, freePairAttempts)
		}
		if n, _ := s.CountLogins(t.Context(), plannerEmail, victim, timeAgo(loginWindow)); n != 0 {
			t.Errorf("victim's attempts after success = %d, want 0", n)
		}
		// Twenty failures from one address, over any accounts, pause that
		// address only.
		const sprayer = "192.0.2.50"
		for i := 0; i < maxIPAttempts; i++ {
			if st, _ := l.post(t, sprayer, fmt.Sprintf("nobody%d@example.org", i), "wrong password"); st != http.StatusUnauthorized {
				t.Fatalf("spray failure %d: %d", i, st)
			}
		}
		if st, _ := l.post(t, sprayer, plannerEmail, plannerPassword); st != http.StatusTooManyRequests {
			t.Errorf("sprayer with a right password: %d, want 429", st)
		}
		if st, _ := l.post(t, "192.0.2.51", plannerEmail, plannerPassword); st != http.StatusSeeOther {
			t.Errorf("neighbour of the sprayer: %d, want 303", st)
		}
	})
}

// TestLoginBurst: 24 concurrent wrong passwords for one account from one
// address check at most freePairAttempts passwords; the rest are refused
// before hashing, because each attempt is recorded before it is counted.
func TestLoginBurst(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		srv, f := loginApp(t, s)
		srv.loginSlotWait = time.Minute // the burst is about counting, not the semaphore
		l := newLoginForm(t, f)
		before := models.PasswordChecks()
		var mu sync.Mutex
		got := map[int]int{}
		var wg sync.WaitGroup
		for i := 0; i < 24; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st, _ := l.post(t, "203.0.113.77", plannerEmail, fmt.Sprint("wrong password ", i))
				mu.Lock()
				got[st]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if got[http.StatusUnauthorized] > freePairAttempts || got[http.StatusUnauthorized]+got[http.StatusTooManyRequests] != 24 {
			t.Errorf("burst answers %v, want at most %d 401s and the rest 429", got, freePairAttempts)
		}
		if n := models.PasswordChecks() - before; n > freePairAttempts {
			t.Errorf("%d passwords hashed in the burst, want at most %d", n, freePairAttempts)
		}
	})
}

// TestLoginSlots: when every password-check slot is busy, a login waits
// briefly and is then told to come back (429 with Retry-After), without
// hashing and without counting as a failure.
func TestLoginSlots(t *testing.T) {
	s := testdb.New(t, models.SQLite)
	srv, f := loginApp(t, s)
	srv.loginSlotWait = 50 * time.Millisecond
	for i := 0; i < cap(srv.loginSem); i++ {
		srv.loginSem <- struct{}{}
	}
	if cap(srv.loginSem) < 2 || cap(srv.loginSem) > 4 {
		t.Errorf("%d password-check slots, want 2 to 4", cap(srv.loginSem))
	}
	l := newLoginForm(t, f)
	before := models.PasswordChecks()
	if st, ra := l.post(t, "203.0.113.1", plannerEmail, plannerPassword); st != http.StatusTooManyRequests || ra == "" {
		t.Errorf("login with every slot busy: %d Retry-After %q, want 429", st, ra)
	}
	if models.PasswordChecks() != before {
		t.Error("a password was hashed without a slot")
	}
	if n, _ := s.CountLogins(t.Context(), plannerEmail, "", timeAgo(loginWindow)); n != 0 {
		t.Errorf("a busy refusal was recorded as %d failures", n)
	}
	srv.loginSem.release()
	if st, _ := l.post(t, "203.0.113.1", plannerEmail, plannerPassword); st != http.StatusSeeOther {
		t.Errorf("login with a free slot: %d", st)
	}
}

func TestLoginWait(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		c    models.LoginCounts
		want time.Duration
	}{
		{"first attempt", models.LoginCounts{}, 0},
		{"fifth attempt", models.LoginCounts{Pair: 4, PairLast: now}, 0},
		{"sixth, just after", models.LoginCounts{Pair: 5, PairLast: now.Add(-200 * time.Millisecond)}, 800 * time.Millisecond},
		{"sixth, after a second", models.LoginCounts{Pair: 5, PairLast: now.Add(-time.Second)}, 0},
		{"seventh doubles", models.LoginCounts{Pair: 6, PairLast: now.Add(-time.Second)}, time.Second},
		{"tenth", models.LoginCounts{Pair: 9, PairLast: now}, 16 * time.Second},
		{"capped", models.LoginCounts{Pair: 500, PairLast: now}, maxLoginBackoff},
		{"address spraying", models.LoginCounts{IP: maxIPAttempts}, loginWindow},
		{"address below the cap", models.LoginCounts{IP: maxIPAttempts - 1}, 0},
	} {
		if got := loginWait(tc.c, now, time.Second); got != tc.want {
			t.Errorf("%s: wait %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestWaitText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		200 * time.Millisecond: "1 second", time.Second: "1 second", 1500 * time.Millisecond: "2 seconds",
		89 * time.Second: "89 seconds", 15 * time.Minute: "15 minutes", 90 * time.Second: "2 minutes",
	} {
		if got := waitText(d); got != want {
			t.Errorf("waitText(%v) = %q, want %q", d, got, want)
		}
	}
}
