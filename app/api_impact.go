package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/reports/analysis"
)

// apiImpact answers GET /api/v1/events/:id/impact?metric=…&area=…: the
// event's impact on each metric, with the method and parameters echoed.
func (s *Server) apiImpact(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	// Only a record the caller may read has an impact to show.
	e, err := s.recordFor(c, "")
	if err != nil {
		return err
	}
	if withdrawn(e) {
		return c.Status(fiber.StatusGone).JSON(s.gone(e))
	}
	req := analysis.Request{Metrics: splitList(c.Query("metric")), Areas: splitList(c.Query("area"))}
	res, err := analysis.ForEvent(c.UserContext(), s.store, s.activity, id, req)
	if err != nil {
		return err
	}
	return c.JSON(res.View())
}
