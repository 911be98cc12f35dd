package app

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// Login lockout: failures are counted in the database, so every app
// instance sees the same counts.
const (
	lockoutWindow   = 15 * time.Minute
	maxEmailFailure = 5
	maxIPFailure    = 20
)

type loginPage struct {
	pageBase
	Email string
	Next  string
	Error string
}

// pageLogin shows the login form.
func (s *Server) pageLogin(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	p := loginPage{pageBase: s.base(c, "Planner login", "login"), Next: safeNext(c.Query("next"))}
	p.CSRF = s.csrfToken(c)
	return s.render(c, fiber.StatusOK, "login", p)
}

// postLogin checks the password, enforcing the lockout before any password
// work, and starts a database session.
func (s *Server) postLogin(c *fiber.Ctx) error {
	ctx := c.UserContext()
	email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
	password := c.FormValue("password")
	ip := c.IP()
	p := loginPage{pageBase: s.base(c, "Planner login", "login"), Email: email, Next: safeNext(c.FormValue("next"))}
	p.CSRF = s.csrfToken(c)

	byEmail, byIP, err := s.store.FailedLogins(ctx, email, ip, time.Now().UTC().Add(-lockoutWindow))
	if err != nil {
		return err
	}
	if byEmail >= maxEmailFailure || byIP >= maxIPFailure {
		c.Set(fiber.HeaderRetryAfter, "900")
		p.Error = "Too many failed attempts. For your security, logging in is paused for 15 minutes. Try again later."
		return s.render(c, fiber.StatusTooManyRequests, "login", p)
	}
	u, err := s.store.Authenticate(ctx, email, password)
	if errors.Is(err, models.ErrUnauthorized) {
		if err := s.store.RecordFailedLogin(ctx, email, ip); err != nil {
			return err
		}
		p.Error = "The email address or password is not right."
		return s.render(c, fiber.StatusUnauthorized, "login", p)
	}
	if err != nil {
		return err
	}
	if err := s.store.ClearFailedLogins(ctx, email); err != nil {
		return err
	}
	plain, _, err := s.store.CreateSession(ctx, u.ID, c.Get(fiber.HeaderUserAgent), ip)
	if err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, plain, models.SessionTTL)
	s.clearCookie(c, csrfCookie)
	s.log.Info("login", "user", u.Email)
	return c.Redirect(p.Next, fiber.StatusSeeOther)
}
