package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// downloadJSON is /timeline.json: the filtered records as API documents.
func (s *Server) downloadJSON(c *fiber.Ctx) error {
	recs, err := s.filteredDownload(c)
	if err != nil {
		return err
	}
	// key and dispute_key make the file re-importable into another
	// database (strikeline import events).
	type item struct {
		models.EventDoc
		Key        string `json:"key,omitempty"`
		DisputeKey string `json:"dispute_key,omitempty"`
		URL        string `json:"url"`
	}
	items := make([]item, len(recs))
	for i := range recs {
		items[i] = item{EventDoc: recs[i].EventDoc, Key: recs[i].Key, DisputeKey: recs[i].DisputeKey, URL: recs[i].Permalink}
	}
	c.Set(fiber.HeaderContentDisposition, `inline; filename="strikeline-timeline.json"`)
	reg := s.registerLine(c)
	return c.JSON(fiber.Map{"items": items, "total": len(items),
		"register": fiber.Map{"version": reg.Version, "data_as_of": reg.DataAsOf, "statement": reg.Text()}})
}
