package app

import (
	"context"

	"github.com/gofiber/fiber/v2"
)

// deadline gives every request's database work a time limit
// (STRIKELINE_REQUEST_TIMEOUT), so a database that stops answering turns
// into a prompt 503 instead of requests piling up until the write timeout.
// A handler that legitimately runs longer (a big import) derives its own
// context from context.WithoutCancel(c.UserContext()) with its own limit.
func (s *Server) deadline(c *fiber.Ctx) error {
	if s.cfg.RequestTimeout <= 0 {
		return c.Next()
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), s.cfg.RequestTimeout)
	defer cancel()
	c.SetUserContext(ctx)
	return c.Next()
}
