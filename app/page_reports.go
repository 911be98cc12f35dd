package app

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/impact"
)

type reportsPage struct {
	pageBase
	Events   []eventView
	Disputes []models.TimelineItem
	Metrics  []impact.Metric
	// Filters are the activity filters (status, hcp, mode, lead) with their
	// published labels, the same as /api/v1/activity takes.
	Filters []labelFilter
	// Files are the role group and duration filters (fileFilters);
	// Selected is empty (the builder starts blank).
	Files    []labelFilter
	Selected map[string]bool
}

// fileFilters are the SDS role group and actual duration filters of an
// impact slice, with the labels imported so far (the publication adds
// role groups over time, so the list comes from the data).
func (s *Server) fileFilters(ctx context.Context) ([]labelFilter, error) {
	var out []labelFilter
	for _, f := range []struct{ dim, label string }{{"role", "SDS role group"}, {"duration", "Actual duration"}} {
		ls, err := s.store.ImportedLabels(ctx, f.dim)
		if err != nil {
			return nil, err
		}
		out = append(out, labelFilter{Name: f.dim, Label: f.label, Labels: ls})
	}
	return out, nil
}

// labelFilter is one activity filter of a form: its parameter name, a
// label in words and the published labels to choose from.
type labelFilter struct {
	Name, Label string
	Labels      []string
}

func activityFilters() []labelFilter {
	return []labelFilter{
		{"status", "Appointment status", models.CodeLabels(models.DimStatus)},
		{"hcp", "Staff type (HCP)", models.CodeLabels(models.DimHCP)},
		{"mode", "Mode", models.CodeLabels(models.DimMode)},
		{"lead", "Time from booking", models.CodeLabels(models.DimLead)},
	}
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
	p := reportsPage{pageBase: s.base(c, "Impact reports", "reports"), Disputes: disputes, Metrics: impact.Metrics(), Filters: activityFilters()}
	if p.Files, err = s.fileFilters(ctx); err != nil {
		return err
	}
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
