package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/reports/analysis"
)

// apiImpact answers GET /api/v1/events/:id/impact?metric=…&area=…&status=…
// &hcp=…&mode=…&lead=…[&slice=all][&detail=days]: the event's impact on each
// metric for the slice asked (or the event's default slice), with the
// windows before, during and after, the method and its parameters. The
// answer is stored and reused until the event, its data or an overlapping
// event's window changes.
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
	body, err := analysis.StoredJSON(c.UserContext(), s.store, s.activity, id, s.impactRequest(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(body)
}
