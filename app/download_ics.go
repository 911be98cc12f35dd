package app

import (
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// downloadICS is /strikes.ics: the strike rounds the filter matches as an
// iCalendar feed. Timed rounds are written in UTC; dated ones as all-day
// events whose DTEND is the day after the last day (RFC 5545: exclusive).
func (s *Server) downloadICS(c *fiber.Ctx) error {
	events, err := s.downloadEvents(c, models.KindStrikeRound, true)
	if err != nil {
		return err
	}
	host := baseHost(s.cfg.BaseURL)
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//Strikeline//NHS industrial action//EN")
	cal.SetName("NHS strike rounds (Strikeline)")
	cal.SetXWRCalName("NHS strike rounds (Strikeline)")
	now := time.Now().UTC()
	for i := range events {
		e := &events[i]
		// The UID stays the same across versions so a subscribed calendar
		// updates the event; SEQUENCE tells it which version is newer.
		ev := cal.AddEvent("event-" + strconv.FormatInt(e.ID, 10) + "@" + host)
		ev.SetSequence(e.Version)
		ev.SetDtStampTime(now)
		ev.SetLastModifiedAt(e.UpdatedAt.UTC())
		ev.SetSummary(e.Title)
		url := s.cfg.BaseURL + eventURL(e.ID)
		ev.SetDescription(strings.TrimSpace(e.Summary + "\n\nSources and history: " + url))
		ev.SetURL(url)
		if withdrawn(e) {
			// A withdrawn round stays in subscribed calendars, cancelled.
			ev.SetStatus(ics.ObjectStatusCancelled)
			ev.SetDescription("Withdrawn: " + e.Pub.Note + "\n\n" + url)
		}
		if e.AllDay {
			ev.SetAllDayStartAt(e.StartAt.UTC())
			last := e.StartAt
			if e.EndAt != nil {
				last = *e.EndAt
			}
			ev.SetAllDayEndAt(last.UTC().AddDate(0, 0, 1))
		} else {
			ev.SetStartAt(e.StartAt.UTC())
			end := e.StartAt.Add(24 * time.Hour)
			if e.EndAt != nil {
				end = *e.EndAt
			}
			ev.SetEndAt(end.UTC())
		}
	}
	attachment(c, "strikeline-strikes", "ics", "text/calendar; charset=utf-8")
	return c.SendString(cal.Serialize())
}
