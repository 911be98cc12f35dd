package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/impact"
)

type reportsPage struct {
	pageBase
	Events   []eventView
	Disputes []models.Event
	Metrics  []impact.Metric
}

// pageReports is the analysts' report builder: choose events (or a
// dispute, or a date range), areas and metrics, and download the workbook
// from /reports/impact.xlsx. A plain GET form, so a chosen report is a URL
// an analyst can keep and rerun after the next import.
func (s *Server) pageReports(c *fiber.Ctx) error {
	ctx := c.UserContext()
	events, _, err := s.store.ListEvents(ctx, models.EventFilter{
		Kinds: []models.Kind{models.KindStrikeRound, models.KindRegulatoryChange}, Limit: 500, Descending: true})
	if err != nil {
		return err
	}
	disputes, titles, err := s.disputeTitles(c)
	if err != nil {
		return err
	}
	p := reportsPage{pageBase: s.base(c, "Impact reports", "reports"), Disputes: disputes, Metrics: impact.Metrics()}
	for i := range events {
		p.Events = append(p.Events, viewEvent(&events[i], titles))
	}
	return s.render(c, fiber.StatusOK, "reports", p)
}

// requireAnalystPage lets analysts (and admins) in, sending anonymous
// visitors to the login form.
func (s *Server) requireAnalystPage(c *fiber.Ctx) error {
	return s.requirePage(c, models.RoleAnalyst)
}
