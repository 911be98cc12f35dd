package app

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
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

// postLogin records the attempt, applies the throttle before any password
// work, checks the password within the process's bound on concurrent
// checks, and starts a database session.
func (s *Server) postLogin(c *fiber.Ctx) error {
	ctx := c.UserContext()
	email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
	password := c.FormValue("password")
	ip := s.clientIP(c)
	p := loginPage{pageBase: s.base(c, "Planner login", "login"), Email: email, Next: safeNext(c.FormValue("next"))}
	p.CSRF = s.csrfToken(c)

	now := time.Now().UTC()
	id, counts, err := s.store.BeginLogin(ctx, email, ip, now, now.Add(-loginWindow))
	if err != nil {
		return unavailable(err)
	}
	refuse := func(wait time.Duration, msg string) error {
		if err := s.store.ForgetLoginAttempt(ctx, id); err != nil {
			s.log.Warn("login attempt not forgotten", "err", err)
		}
		c.Set(fiber.HeaderRetryAfter, retryAfter(wait))
		p.Error = msg
		return s.render(c, fiber.StatusTooManyRequests, "login", p)
	}
	if wait := loginWait(counts, now, s.loginBackoff); wait > 0 {
		return refuse(wait, "Too many failed attempts from your address. For your security, try again in "+waitText(wait)+".")
	}
	if !s.loginSem.acquire(ctx, s.loginSlotWait) {
		return refuse(s.loginSlotWait, "The server is busy checking other logins. Try again in a moment.")
	}
	u, err := s.store.Authenticate(ctx, email, password)
	s.loginSem.release()
	if errors.Is(err, models.ErrUnauthorized) {
		// The attempt's row stays, as a failure.
		p.Error = "The email address or password is not right."
		return s.render(c, fiber.StatusUnauthorized, "login", p)
	}
	if err != nil {
		return unavailable(err)
	}
	if err := s.store.LoginSucceeded(ctx, email, ip); err != nil {
		return unavailable(err)
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

// waitText says a wait in words: "1 second", "12 seconds", "4 minutes".
func waitText(d time.Duration) string {
	n, unit := int(math.Ceil(d.Seconds())), "second"
	if d >= 90*time.Second {
		n, unit = int(math.Ceil(d.Minutes())), "minute"
	}
	if n != 1 {
		unit += "s"
	}
	return strconv.Itoa(n) + " " + unit
}
