package app

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// observe writes one structured access-log line per request and records
// the request metrics. It runs the error handler itself (as Fiber's logger
// does) so the status it logs is the one the client gets, not the 200 that
// is still set when a handler returns an error.
func (s *Server) observe(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	// Fiber's own "Cannot GET /x" is how a request that matched no route
	// ends; c.Route() then names whatever middleware ran last.
	var fe *fiber.Error
	unmatched := errors.As(err, &fe) && fe.Code == fiber.StatusNotFound && strings.HasPrefix(fe.Message, "Cannot ")
	if err != nil {
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	d := time.Since(start)
	status := c.Response().StatusCode()
	route := "unmatched"
	if !unmatched {
		route = s.routeLabel(c)
	}
	code := strconv.Itoa(status)
	httpRequests.WithLabelValues(c.Method(), route, code).Inc()
	httpDuration.WithLabelValues(c.Method(), route, code).Observe(d.Seconds())
	s.log.Info("request",
		"request_id", c.Locals("requestid"),
		"method", c.Method(),
		// The path without the query string: queries may hold search text
		// a reader would not expect to see in logs.
		"path", c.Path(),
		"route", route,
		"status", status,
		"duration_ms", float64(d.Microseconds())/1000,
		"bytes", len(c.Response().Body()),
		"ip", s.clientIP(c),
	)
	return nil
}

// routeLabel is the matched route pattern (/api/v1/events/:id), never the
// raw path, so metric cardinality stays bounded by the route table; a
// request that matched no route is "unmatched".
func (s *Server) routeLabel(c *fiber.Ctx) string {
	s.routePathsOnce.Do(func() {
		s.routePaths = map[string]struct{}{}
		for _, r := range c.App().GetRoutes(true) {
			s.routePaths[r.Method+" "+r.Path] = struct{}{}
		}
	})
	// Keyed by method too: middleware mounted with Use on "/" reports
	// "/" as its path, which is also the timeline page's route.
	r := c.Route()
	if _, ok := s.routePaths[r.Method+" "+r.Path]; ok {
		return r.Path
	}
	return "unmatched"
}
