package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/analysis"
)

// impactRequest reads the parameters every impact answer shares: metric
// and area (comma lists or repeated), the activity filters of
// /api/v1/activity (status, hcp, mode, lead: repeatable published labels,
// checked by the same code as the activity series), slice=all for every
// appointment instead of the event's default slice, dataset=roles with
// role= (SDS role group labels) or dataset=durations with duration= to
// measure the role group or actual duration file, and detail=days.
func (s *Server) impactRequest(c *fiber.Ctx) analysis.Request {
	return analysis.Request{
		BeforeCompute: s.computeGate(c),
		Metrics:       multi(c, "metric"),
		Areas:         multi(c, "area"),
		Slice: models.ActivitySlice{Status: multi(c, "status"), HCP: multi(c, "hcp"),
			Mode: multi(c, "mode"), Lead: multi(c, "lead"),
			Dataset: c.Query("dataset"), Role: multi(c, "role"), Duration: multi(c, "duration")},
		AllAppointments: c.Query("slice") == "all",
		Detail:          c.Query("detail") == "days",
	}
}

// computeGate bounds what anonymous callers may have computed at once
// (impact_gate.go): stored answers are served to anyone without a slot;
// an answer that must be computed takes one, or is refused with 429 and
// Retry-After.
func (s *Server) computeGate(c *fiber.Ctx) func() (func(), error) {
	return func() (func(), error) {
		release, ok := s.anonImpactSlot(c)
		if !ok {
			c.Set(fiber.HeaderRetryAfter, "2")
			return nil, httpError(fiber.StatusTooManyRequests, "impact figures are busy being computed for other visitors; try again in a few seconds, or sign in")
		}
		return release, nil
	}
}
