package app

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"
	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// calendarName is the calendar's name in subscribers' apps.
const calendarName = "NHS strike rounds (Strikeline)"

// downloadICS is /strikes.ics: the strike rounds the filter matches as an
// RFC 5545 calendar. Lines end in CRLF and fold at 75 octets. Timed rounds
// are written in UTC; dated ones as all-day events whose DTEND is the day
// after the last day (exclusive, as RFC 5545 says). A UID is the record's
// id at the identity domain (STRIKELINE_ICS_DOMAIN), never the base URL, so
// moving the site does not duplicate subscribers' events; SEQUENCE is the
// record's version, so a changed round replaces the old one. Withdrawn
// rounds stay in the calendar as STATUS:CANCELLED so subscribers' copies
// are cancelled rather than left behind.
func (s *Server) downloadICS(c *fiber.Ctx) error {
	recs, err := s.filteredRecords(c, models.KindStrikeRound, true)
	if err != nil {
		return err
	}
	attachment(c, "strikeline-strikes", "ics", "text/calendar; charset=utf-8")
	return c.SendString(s.calendar(recs, time.Now().UTC()))
}

// calendar writes recs as an iCalendar stream stamped now.
func (s *Server) calendar(recs []exportRecord, now time.Time) string {
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//Strikeline//NHS industrial action//EN")
	cal.SetCalscale("GREGORIAN")
	cal.SetName(calendarName)
	cal.SetXWRCalName(calendarName)
	cal.SetXWRTimezone("Europe/London")
	// The London zone the calendar is shown in (X-WR-TIMEZONE). Times are
	// written in UTC, so nothing refers to it by TZID, but it makes a
	// calendar with no rounds still hold the component RFC 5545 requires.
	addLondonTimezone(cal)
	for i := range recs {
		e := &recs[i]
		ev := cal.AddEvent(s.recordUID(e.ID))
		ev.SetSequence(e.Version)
		ev.SetDtStampTime(now)
		ev.SetLastModifiedAt(e.UpdatedAt.UTC())
		ev.SetCreatedTime(e.CreatedAt.UTC())
		ev.SetSummary(icsText(e.Title, false))
		url := s.cfg.BaseURL + eventURL(e.ID)
		desc := e.Summary
		if e.Withdrawn {
			ev.SetStatus(ics.ObjectStatusCancelled)
			desc = strings.TrimSpace(e.Note + "\n\n" + desc)
		} else {
			ev.SetStatus(ics.ObjectStatusConfirmed)
		}
		ev.SetDescription(icsText(strings.TrimSpace(desc+"\n\nSources and history: "+url), true))
		ev.SetURL(url)
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
	return cal.Serialize(ics.WithNewLineWindows)
}

// recordUID is a record's calendar UID: stable across versions, base URLs
// and deployments that share an identity domain.
func (s *Server) recordUID(id int64) string {
	return "event-" + strconv.FormatInt(id, 10) + "@" + s.cfg.identityDomain()
}

// icsText makes user text safe for an iCalendar TEXT value. The library
// escapes backslash, comma, semicolon and LF, but writes a CR raw, which
// parsers that split lines on CR read as a new property (a forged event).
// RFC 5545 allows no control character in TEXT but tab, so line breaks
// (CR, CRLF, LF and the Unicode line separators some parsers also split on)
// become LF, which is escaped as \n, where multiline is true, and a space
// otherwise; other control characters are dropped.
func icsText(s string, multiline bool) string {
	nl := " "
	if multiline {
		nl = "\n"
	}
	s = strings.NewReplacer("\r\n", nl, "\r", nl, "\n", nl, "\u0085", nl, "\u2028", nl, "\u2029", nl).Replace(s)
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, s)
}

// addLondonTimezone adds Europe/London as a VTIMEZONE: GMT in winter, BST
// from the last Sunday of March to the last Sunday of October (the rule
// since 1996).
func addLondonTimezone(cal *ics.Calendar) {
	tz := cal.AddTimezone("Europe/London")
	std := tz.AddStandard()
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzname), "GMT")
	std.AddProperty(ics.ComponentPropertyDtStart, "19701025T020000")
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0100")
	std.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0000")
	std.AddProperty(ics.ComponentPropertyRrule, "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
	day := &ics.Daylight{}
	day.AddProperty(ics.ComponentProperty(ics.PropertyTzname), "BST")
	day.AddProperty(ics.ComponentPropertyDtStart, "19700329T010000")
	day.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), "+0000")
	day.AddProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), "+0100")
	day.AddProperty(ics.ComponentPropertyRrule, "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
	tz.Components = append(tz.Components, day)
}
