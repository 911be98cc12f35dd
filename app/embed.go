package app

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// embedCSP lets any site frame the embed pages and nothing else: no
// script at all, styles and images from here only, links open the record
// on Strikeline.
const embedCSP = "default-src 'none'; img-src 'self' data:; style-src 'self'; frame-ancestors *; base-uri 'none'; form-action 'none'"

// embedHeaders makes a response frameable by any site (frame-ancestors *
// replaces the site-wide 'none' and X-Frame-Options goes) and cacheable by
// any cache, since an embed page is the same for every reader: it neither
// reads nor sets a cookie.
func embedHeaders(c *fiber.Ctx) {
	c.Set(fiber.HeaderContentSecurityPolicy, embedCSP)
	c.Response().Header.Del(fiber.HeaderXFrameOptions)
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
}

// embedEventPage is the card of one record.
type embedEventPage struct {
	Event    eventView
	Headline string
	// Chart is the effect chart (with its heading, words and legend) or,
	// without one, the activity around the record with ChartNote.
	Chart        template.HTML
	ChartHeading string
	ChartWords   []string
	Legend       []legendItem
	ChartNote    string
	Permalink    string
}

// embedEvent is /embed/events/:id: a small self-contained card of one
// record for a newsroom's <iframe> — title, dates, the headline effect on
// GP appointments and its chart, sources and a link back. No JavaScript.
func (s *Server) embedEvent(c *fiber.Ctx) error {
	embedHeaders(c)
	e, err := s.eventParam(c, "")
	if err != nil {
		return err
	}
	p := embedEventPage{Event: viewEvent(e, nil), Permalink: s.cfg.BaseURL + eventURL(e.ID)}
	s.embedImpact(c, e, &p)
	return c.Status(fiber.StatusOK).Render("embed_event", p)
}

// embedTimelinePage is the card of a filtered timeline.
type embedTimelinePage struct {
	Items     []eventView
	More      int
	Permalink string
}

// embedTimelineSize is how many records a timeline card lists.
const embedTimelineSize = 12

// embedTimeline is /embed/timeline?…: the records the timeline filter
// matches (the newest embedTimelineSize), linking to Strikeline.
func (s *Server) embedTimeline(c *fiber.Ctx) error {
	embedHeaders(c)
	recs, err := s.filteredRecords(c, "", false)
	if err != nil {
		return err
	}
	p := embedTimelinePage{Permalink: s.cfg.BaseURL + "/"}
	if q := feedFilter(c); q != "" {
		p.Permalink += "?" + q
	}
	if n := len(recs); n > embedTimelineSize {
		p.More = n - embedTimelineSize
		recs = recs[n-embedTimelineSize:]
	}
	for i := len(recs) - 1; i >= 0; i-- {
		p.Items = append(p.Items, viewEvent(recs[i].Event, nil))
	}
	return c.Status(fiber.StatusOK).Render("embed_timeline", p)
}

// embedImpact is the card's effect: the event page's headline sentence
// and first chart (eventImpact, so the card says what the page and the API
// say), or the activity around the record when there is no effect to
// draw. An embed reader is anonymous, so the computation takes one of the
// anonymous impact slots; when none is free the card shows the activity
// chart and says the effect is busy rather than waiting.
func (s *Server) embedImpact(c *fiber.Ctx, e *models.Event, p *embedEventPage) {
	ctx := c.UserContext()
	release, ok := s.anonImpactSlot(c)
	if !ok {
		p.Chart, p.ChartNote = s.activityChart(ctx, e)
		p.ChartNote = strings.TrimSpace(p.ChartNote + " The measured effect is being computed for other readers; reload shortly to see it.")
		return
	}
	sec := s.eventImpact(ctx, e, false)
	release()
	p.Headline = sec.Headline
	if len(sec.Charts) > 0 {
		ch := sec.Charts[0]
		p.Chart, p.ChartHeading, p.ChartWords, p.Legend = ch.SVG, ch.Heading, ch.Words, ch.Legend
		return
	}
	p.Chart, p.ChartNote = s.activityChart(ctx, e)
	if sec.Note != "" {
		p.ChartNote = sec.Note
	}
}

// embedHeight is the snippet's iframe height: a card fits it at the
// snippet's 640 px width (the browser test checks).
const embedHeight = 800

// embedSnippet is the <iframe> a newsroom pastes to show a record's card.
func embedSnippet(base string, id int64) string {
	return fmt.Sprintf(`<iframe src="%s/embed/events/%d" title="Strikeline record" width="100%%" height="%d" style="border:0;max-width:640px" loading="lazy"></iframe>`, base, id, embedHeight)
}
