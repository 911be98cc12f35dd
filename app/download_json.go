package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// downloadJSON is /timeline.json: the filtered records as API documents.
func (s *Server) downloadJSON(c *fiber.Ctx) error {
	events, err := s.filteredEvents(c, "")
	if err != nil {
		return err
	}
	type item struct {
		models.EventDoc
		URL string `json:"url"`
	}
	items := make([]item, len(events))
	for i := range events {
		items[i] = item{EventDoc: events[i].Doc(), URL: s.cfg.BaseURL + eventURL(events[i].ID)}
	}
	c.Set(fiber.HeaderContentDisposition, `inline; filename="strikeline-timeline.json"`)
	reg := s.registerLine(c)
	return c.JSON(fiber.Map{"items": items, "total": len(items),
		"register": fiber.Map{"version": reg.Version, "data_as_of": reg.DataAsOf, "statement": reg.Text()}})
}
