package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// downloadJSON is /timeline.json: the filtered records as API documents.
func (s *Server) downloadJSON(c *fiber.Ctx) error {
	recs, err := s.filteredRecords(c, "", false)
	if err != nil {
		return err
	}
	type item struct {
		models.EventDoc
		URL string `json:"url"`
	}
	items := make([]item, len(recs))
	for i := range recs {
		items[i] = item{EventDoc: recs[i].Doc(), URL: s.cfg.BaseURL + eventURL(recs[i].ID)}
	}
	c.Set(fiber.HeaderContentDisposition, `inline; filename="strikeline-timeline.json"`)
	return c.JSON(fiber.Map{"items": items, "total": len(items)})
}
