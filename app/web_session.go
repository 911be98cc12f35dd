package app

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// Cookie names. The session cookie holds a random token whose hash is
// stored in the database; the CSRF cookie is the double-submit token of
// forms shown before login.
const (
	sessionCookie = "strikeline_session"
	csrfCookie    = "strikeline_csrf"
	csrfField     = "csrf_token"
	csrfHeader    = "X-CSRF-Token"
	localSession  = "session"
)

// loadSession resolves the session cookie, if any, to its user. A stale
// cookie is cleared and the request goes on anonymously.
func (s *Server) loadSession(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Next()
	}
	plain := c.Cookies(sessionCookie)
	if plain == "" {
		return c.Next()
	}
	sess, u, err := s.store.SessionUser(c.UserContext(), plain)
	switch {
	case errors.Is(err, models.ErrUnauthorized):
		s.clearCookie(c, sessionCookie)
	case err != nil:
		// The database failed, not the cookie: keep it, answer 503.
		return unavailable(err)
	default:
		c.Locals(localUser, u)
		c.Locals(localSession, sess)
		readOwnWrites(c)
	}
	return c.Next()
}

func currentSession(c *fiber.Ctx) *models.Session {
	sess, _ := c.Locals(localSession).(*models.Session)
	return sess
}

// csrfToken is the token forms on this page must carry: the session's, or
// for anonymous visitors a double-submit cookie, set here if missing.
func (s *Server) csrfToken(c *fiber.Ctx) string {
	if sess := currentSession(c); sess != nil {
		return sess.CSRFToken
	}
	if t := c.Cookies(csrfCookie); len(t) >= 32 && len(t) <= 100 {
		return t
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return ""
	}
	t := base64.RawURLEncoding.EncodeToString(b)
	s.setCookie(c, csrfCookie, t, 0)
	return t
}

// checkCSRF rejects state-changing page requests whose form token does not
// match the session's (or, before login, the double-submit cookie).
func (s *Server) checkCSRF(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	got := c.FormValue(csrfField)
	if got == "" {
		got = c.Get(csrfHeader)
	}
	want := ""
	if sess := currentSession(c); sess != nil {
		want = sess.CSRFToken
	} else {
		want = c.Cookies(csrfCookie)
	}
	if !tokensEqual(got, want) {
		return httpError(fiber.StatusForbidden, "This form has expired or did not come from this site. Go back, reload the page and try again.")
	}
	return c.Next()
}

func tokensEqual(got, want string) bool {
	return want != "" && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// setCookie writes an HttpOnly, SameSite=Lax cookie; maxAge 0 means a
// browser-session cookie.
func (s *Server) setCookie(c *fiber.Ctx, name, value string, maxAge time.Duration) {
	ck := &fiber.Cookie{Name: name, Value: value, Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		Secure: s.cfg.SecureCookies}
	// A response that hands out a token must not be kept by a cache.
	c.Set(fiber.HeaderCacheControl, "no-store")
	if maxAge > 0 {
		ck.Expires = time.Now().Add(maxAge)
		ck.MaxAge = int(maxAge.Seconds())
	}
	c.Cookie(ck)
}

func (s *Server) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode,
		Secure: s.cfg.SecureCookies, MaxAge: -1, Expires: time.Unix(0, 0)})
}

// requirePlannerPage sends visitors without a session to the login page
// and answers 403 to users whose role may not edit.
func (s *Server) requirePlannerPage(c *fiber.Ctx) error {
	return s.requirePage(c, models.RolePlanner)
}

// requireEditorPage is requirePlannerPage for publishing and withdrawing.
func (s *Server) requireEditorPage(c *fiber.Ctx) error {
	return s.requirePage(c, models.RoleEditor)
}

// requirePage sends an anonymous visitor to the login form (GET) or
// answers 401, and a signed-in user without role 403.
func (s *Server) requirePage(c *fiber.Ctx, role models.Role) error {
	u := currentUser(c)
	if u == nil {
		if c.Method() == fiber.MethodGet {
			return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
		}
		return httpError(fiber.StatusUnauthorized, "Please log in to do this.")
	}
	if !u.Role.Allows(role) {
		return httpError(fiber.StatusForbidden, "Your role ("+string(u.Role)+") may not do this.")
	}
	return c.Next()
}

// safeNext keeps a post-login redirect on this site: a clean local path
// such as "/events/3?tab=history", else "/". Browsers forgive a lot in a
// Location header (they drop tabs and newlines, read "\\" as "/"), so
// anything that is not plain printable ASCII is refused, and so is any
// control character, "//" or backslash, decoded or percent-encoded (to
// any depth), that could turn the path into "//evil.example".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || len(next) > 2000 {
		return "/"
	}
	for s, i := next, 0; i < 4; i++ {
		for _, r := range s {
			// The header itself must be plain printable ASCII; a decoded
			// layer may hold spaces or letters, never control characters.
			if r < ' ' || r == 0x7f || r == '\\' || (i == 0 && (r == ' ' || r > 0x7f)) {
				return "/"
			}
		}
		if strings.Contains(s, "//") {
			return "/"
		}
		d, err := url.PathUnescape(s)
		if err != nil {
			return "/"
		}
		if d == s {
			return next
		}
		s = d
	}
	// Encoded more deeply than any link of ours.
	return "/"
}
