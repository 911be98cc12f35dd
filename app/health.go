package app

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// readyTimeout bounds the database ping of /readyz: a load balancer must
// get an answer well inside its own probe timeout.
const readyTimeout = 2 * time.Second

// healthz is liveness: the process serves requests. It never touches the
// database, so an orchestrator does not restart the app during a database
// outage it could not fix anyway.
func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok", "version": s.version})
}

// readyz is readiness: the database answers a ping within readyTimeout.
func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), readyTimeout)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.Warn("not ready: database ping failed", "request_id", c.Locals("requestid"), "err", err)
		c.Set(fiber.HeaderRetryAfter, "5")
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "error": "the database is unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ok", "database": string(s.store.Backend)})
}
