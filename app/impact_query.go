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
// appointment instead of the event's default slice, and detail=days.
func impactRequest(c *fiber.Ctx) analysis.Request {
	return analysis.Request{
		Metrics: multi(c, "metric"),
		Areas:   multi(c, "area"),
		Slice: models.ActivitySlice{Status: multi(c, "status"), HCP: multi(c, "hcp"),
			Mode: multi(c, "mode"), Lead: multi(c, "lead")},
		AllAppointments: c.Query("slice") == "all",
		Detail:          c.Query("detail") == "days",
	}
}
