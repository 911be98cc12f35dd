package app

import (
	"bytes"
	"encoding/csv"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/importers/events"
)

// downloadCSV is /timeline.csv: the filtered timeline as CSV.
func (s *Server) downloadCSV(c *fiber.Ctx) error {
	evs, err := s.filteredEvents(c, "")
	if err != nil {
		return err
	}
	recs, err := s.exportRecords(c, evs)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(events.Header())
	for i := range recs {
		_ = w.Write(exportRow(&recs[i]))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("csv download: %w", err)
	}
	attachment(c, "strikeline-timeline", "csv", "text/csv; charset=utf-8")
	return c.Send(buf.Bytes())
}
