package app

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/analysis"
	"github.com/strikeline/strikeline/reports/impact"
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
	Event     eventView
	Headline  string
	Chart     template.HTML
	ChartNote string
	Permalink string
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
	p.Chart, p.ChartNote = s.activityChart(c.UserContext(), e)
	p.Headline = s.impactHeadline(c.UserContext(), e)
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

// impactHeadline is one sentence on the record's effect on total GP
// appointments (the weekday-baseline estimate with its 95% interval), or
// "" when there is none to give. The analysis runs under its own short
// deadline: a slow estimate costs the sentence, not the card.
func (s *Server) impactHeadline(ctx context.Context, e *models.Event) string {
	if e.Kind != models.KindStrikeRound || s.activity == nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	res, err := analysis.ForEvent(ctx, s.store, s.activity, e.ID, analysis.Request{Metrics: []string{string(impact.MetricTotal)}})
	if err != nil {
		s.log.Warn("embed: impact unavailable", "event", e.ID, "err", err)
		return ""
	}
	return headlineSentence(res.View())
}

// headlineSentence words the total-appointments estimate of v.
func headlineSentence(v analysis.View) string {
	for _, m := range v.Metrics {
		b := m.Baseline
		if m.Error != "" || b == nil || b.DaysIncluded == 0 {
			continue
		}
		r := b.Cumulative.Relative
		pct := func(f float64) string { return fmt.Sprintf("%.1f%%", math.Abs(f*100)) }
		dir := "fewer"
		if r.Value > 0 {
			dir = "more"
		}
		sentence := fmt.Sprintf("GP practices in England recorded %s %s appointments than expected on the %d working days of this action",
			pct(r.Value), dir, b.DaysIncluded)
		if r.Lower <= 0 && r.Upper >= 0 {
			return sentence + fmt.Sprintf(", a difference too small to tell from normal variation (95%% interval %+.1f%% to %+.1f%%).", r.Lower*100, r.Upper*100)
		}
		return sentence + fmt.Sprintf(" (95%% interval %+.1f%% to %+.1f%%).", r.Lower*100, r.Upper*100)
	}
	return ""
}

// embedSnippet is the <iframe> a newsroom pastes to show a record's card.
func embedSnippet(base string, id int64) string {
	return fmt.Sprintf(`<iframe src="%s/embed/events/%d" title="Strikeline record" width="100%%" height="560" style="border:0;max-width:640px" loading="lazy"></iframe>`, base, id)
}
