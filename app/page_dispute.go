package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

type disputePage struct {
	pageBase
	Dispute eventView
	Details []detail
	Months  []monthGroup
	Count   int
}

// pageDispute tells a dispute's story in date order: its milestones,
// ballots, strike rounds and settlements.
func (s *Server) pageDispute(c *fiber.Ctx) error {
	d, err := s.recordFor(c, models.KindDispute)
	if err != nil {
		return err
	}
	if withdrawn(d) {
		return s.renderGone(c, d)
	}
	f := models.EventFilter{DisputeID: &d.ID, Limit: 1000}
	if err := s.scope(c, &f); err != nil {
		return err
	}
	events, _, err := s.store.ListEvents(c.UserContext(), f)
	if err != nil {
		return err
	}
	// The filter matches the dispute itself too; it heads the page instead.
	var story []models.TimelineItem
	for i := range events {
		if events[i].ID != d.ID {
			story = append(story, models.ItemOf(&events[i]))
		}
	}
	titles := map[int64]string{d.ID: d.Title}
	p := disputePage{pageBase: s.base(c, d.Title, ""), Dispute: viewEvent(d, titles), Details: eventDetails(d.Doc()),
		Months: groupByMonth(story, nil), Count: len(story)}
	return s.render(c, fiber.StatusOK, "dispute", p)
}
