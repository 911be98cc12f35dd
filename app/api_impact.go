package app

import (
	"context"
	"errors"
	"strconv"

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
	// An anonymous answer is kept in the register memo under the state's
	// tag, like the event page: the stored answer's own key (event version,
	// slice, data state) changes only when that tag does.
	key := "api-impact\x00" + strconv.FormatInt(id, 10) + "\x00" + string(c.Request().URI().QueryString())
	body, err := memoised(s, c, key, func(ctx context.Context) ([]byte, error) {
		// Only a record the caller may read has an impact to show.
		e, err := s.recordFor(c, "")
		if err != nil {
			return nil, err
		}
		if withdrawn(e) {
			return nil, goneRecord{e}
		}
		return analysis.StoredJSON(ctx, s.store, s.activity, id, s.impactRequest(c))
	})
	var g goneRecord
	if errors.As(err, &g) {
		return c.Status(fiber.StatusGone).JSON(s.gone(g.e))
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(body)
}
