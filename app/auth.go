package app

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

const localUser = "user"

// currentUser returns the authenticated user, or nil.
func currentUser(c *fiber.Ctx) *models.User {
	u, _ := c.Locals(localUser).(*models.User)
	return u
}

// actor names the authenticated user in history rows.
func actor(c *fiber.Ctx) string {
	if u := currentUser(c); u != nil {
		return u.Email
	}
	return "anonymous"
}

// authenticate resolves an "Authorization: Bearer" API token, if present.
// A bad token is rejected outright rather than treated as anonymous, so a
// script with a revoked token fails loudly. Without a bearer header the
// browser session cookie is accepted; because browsers send cookies on
// cross-site requests, API writes from a session must echo the session's
// CSRF token in the X-CSRF-Token header.
func (s *Server) authenticate(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	if h == "" {
		if c.Cookies(sessionCookie) == "" {
			return c.Next()
		}
		return s.loadSession(c)
	}
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return httpError(fiber.StatusUnauthorized, "Authorization must be \"Bearer TOKEN\"")
	}
	u, _, err := s.store.UserByToken(c.UserContext(), strings.TrimSpace(token))
	if errors.Is(err, models.ErrUnauthorized) {
		return err
	} else if err != nil {
		return unavailable(err)
	}
	c.Locals(localUser, u)
	readOwnWrites(c)
	return c.Next()
}

// readOwnWrites sends every read of a signed-in request to the primary
// database: signed-in users are the only writers, so they always see their
// own writes, while anonymous reads may go to a replica (models.OnPrimary).
func readOwnWrites(c *fiber.Ctx) {
	c.SetUserContext(models.OnPrimary(c.UserContext()))
}

// apiSessionCSRF rejects API writes made with a session cookie but without
// the session's CSRF token; bearer-token requests are not affected.
func apiSessionCSRF(c *fiber.Ctx) error {
	sess := currentSession(c)
	if sess == nil {
		return c.Next()
	}
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if !tokensEqual(c.Get(csrfHeader), sess.CSRFToken) {
		return httpError(fiber.StatusForbidden, "session requests must send the X-CSRF-Token header")
	}
	return c.Next()
}

// requireRole answers 401 without a user and 403 without the role.
func requireRole(role models.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := currentUser(c)
		if u == nil {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="strikeline"`)
			return httpError(fiber.StatusUnauthorized, "authentication required")
		}
		if !u.Role.Allows(role) {
			return httpError(fiber.StatusForbidden, "your role ("+string(u.Role)+") may not do this")
		}
		return c.Next()
	}
}

// requireUser answers 401 without a signed-in user (of any role).
func requireUser(c *fiber.Ctx) error {
	if currentUser(c) == nil {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="strikeline"`)
		return httpError(fiber.StatusUnauthorized, "authentication required")
	}
	return c.Next()
}
