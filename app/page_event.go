package app

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/app/svgchart"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/analysis"
)

// chartMargin is how much of the days around an event the chart shows, so
// the event stands out against ordinary weeks.
const chartMargin = 28 * 24 * time.Hour

type eventPage struct {
	pageBase
	Event     eventView
	Doc       models.EventDoc
	Details   []detail
	History   []models.HistoryEntry
	Chart     template.HTML
	ChartNote string
	Impact    renderedImpact
	Figures   []hospitalFigure
	CanEdit   bool
	// OCDayTime shows, for a regulatory change, when in the day online
	// consultations were submitted in the months around it.
	OCDayTime *ocDayTimeTable
	// Permalink is the full address to cite.
	Permalink string
	// Embed is the <iframe> snippet for the record's embed card.
	Embed string
	// Editorial state, for planners and editors (working copies only).
	State      models.PubInfo
	Working    bool
	CanPublish bool
	// Corrections are the public correction notes up to this version.
	Corrections []models.Publication
	// Versions is the public history: published versions only.
	Versions []models.Publication
	Cite     citation
	// Review is the diff of a pending revision against what is published.
	Review []fieldChange
}

// detail is one labelled fact about a record.
type detail struct{ Label, Value string }

// pageEvent shows one record: its facts, sources, history and activity.
// An anonymous reader's page is the same for everyone at one state of the
// register and the data, so it is kept in the register memo under that
// state's tag (a signed-in reader's always is worked out afresh).
func (s *Server) pageEvent(c *fiber.Ctx) error {
	key := "event-page\x00" + c.Params("id") + "\x00" + string(c.Request().URI().QueryString())
	p, err := memoised(s, c, key, func(context.Context) (eventPage, error) { return s.eventPageData(c) })
	var g goneRecord
	if errors.As(err, &g) {
		return s.renderGone(c, g.e)
	}
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "event", p)
}

// goneRecord is the answer for a withdrawn record, carried as an error so
// that it is never kept in the memo.
type goneRecord struct{ e *models.Event }

func (g goneRecord) Error() string { return "withdrawn record" }

// eventPageData works out the event page of the request's record.
func (s *Server) eventPageData(c *fiber.Ctx) (eventPage, error) {
	ctx := c.UserContext()
	e, err := s.recordFor(c, "")
	if err != nil {
		return eventPage{}, err
	}
	if withdrawn(e) {
		return eventPage{}, goneRecord{e}
	}
	titles, err := s.disputeTitleOf(c, e)
	if err != nil {
		return eventPage{}, err
	}
	doc := e.Doc()
	p := eventPage{pageBase: s.base(c, e.Title, ""), Event: viewEvent(e, titles), Doc: doc, Details: eventDetails(doc),
		CanEdit: canEdit(c) && e.Pub == nil, Permalink: s.cfg.BaseURL + eventURL(e.ID), Working: e.Pub == nil,
		Embed: embedSnippet(s.cfg.BaseURL, e.ID)}
	if p.Working {
		// A planner's or editor's view: the working copy, its whole history
		// and, for a pending revision, what it changes.
		p.State, p.CanPublish = e.PubInfo(), canPublish(c)
		if p.History, err = s.store.History(ctx, e.ID); err != nil {
			return eventPage{}, err
		}
		if p.State.PendingRevision || p.State.Status == models.PubWithdrawn {
			if pub, err := s.store.GetPublished(ctx, e.ID, 0); err == nil {
				p.Review = diffDocs(pub.Pub.Doc, e.SnapshotJSON())
			}
		}
	} else {
		p.Cite = newCitation("strikeline-event-"+strconv.FormatInt(e.ID, 10), e.Title,
			s.cfg.BaseURL+asOfURL(e.ID, p.Register.Version), p.Register.Version, e.Pub.At)
	}
	upTo := 0
	if e.Pub != nil {
		upTo = e.Pub.RegisterVersion
	}
	if p.Versions, err = s.store.Publications(ctx, e.ID, upTo); err != nil {
		return eventPage{}, err
	}
	for _, v := range p.Versions {
		if v.IsCorrection() {
			p.Corrections = append(p.Corrections, v)
		}
	}
	p.Impact = s.storedImpact(c, e, c.Query("days") == "all", p.Register.Latest)
	if !p.Impact.Charts {
		// No effect to draw: show the activity around the record instead,
		// and say why there is no effect.
		p.Chart, p.ChartNote = s.activityChart(ctx, e)
		if p.Impact.Note != "" {
			p.ChartNote = p.Impact.Note
		}
	}
	p.Figures = hospitalFigures(doc)
	if e.Kind == models.KindRegulatoryChange {
		p.OCDayTime = s.ocDayTimeView(ctx, e.StartAt)
	}
	return p, nil
}

// disputeTitleOf names the dispute e belongs to, as the request may see
// it (by id, for viewEvent); nothing when it belongs to none.
func (s *Server) disputeTitleOf(c *fiber.Ctx, e *models.Event) (map[int64]string, error) {
	if e.DisputeID == nil {
		return nil, nil
	}
	// The filter of a dispute's records matches the dispute itself.
	f := models.EventFilter{Kinds: []models.Kind{models.KindDispute}, DisputeID: e.DisputeID}
	if err := s.scope(c, &f); err != nil {
		return nil, err
	}
	return s.store.EventTitles(c.UserContext(), f)
}

// gonePage is the 410 page of a withdrawn record.
type gonePage struct {
	pageBase
	Gone goneJSON
	When string
	Kind models.Kind
}

// renderGone answers a withdrawn record's permalink: 410 with the reason,
// the date and the last published title and dates.
func (s *Server) renderGone(c *fiber.Ctx, e *models.Event) error {
	return s.render(c, fiber.StatusGone, "gone", gonePage{pageBase: s.base(c, "Withdrawn: "+e.Title, ""), Gone: s.gone(e),
		When: whenText(e), Kind: e.Kind})
}

func canEdit(c *fiber.Ctx) bool {
	u := currentUser(c)
	return u != nil && u.Role.Allows(models.RolePlanner)
}

// activityChart draws appointments around a record that has no impact
// window of its own (a settlement, a milestone), or explains why there is
// no chart. A failing source costs the chart, not the page.
func (s *Server) activityChart(ctx context.Context, e *models.Event) (template.HTML, string) {
	const none = "No appointment data imported for this period yet."
	if s.charts == nil {
		return "", none
	}
	first, last := e.Days()
	area := "ENGLAND"
	if len(e.Scope) == 1 {
		area = e.Scope[0]
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	from, to := first.Add(-chartMargin), last.Add(chartMargin)
	pts, err := s.charts.DailyTotals(ctx, from, to, area)
	if err != nil {
		s.log.Warn("activity chart unavailable", "event", e.ID, "err", err)
		return "", "Appointment data could not be loaded just now."
	}
	if len(pts) == 0 {
		return "", none
	}
	shades, _, _ := calendarMarks(from, to, true)
	svg := svgchart.Both(svgchart.Chart{ID: "chart-activity", Days: chartDays(from, to, true), ZeroBased: true,
		Title:   fmt.Sprintf("GP appointments per day, %s, around %s", codeLabel(area), e.Title),
		Desc:    fmt.Sprintf("Daily appointment counts from %s to %s; the shaded band marks the record's dates (%s to %s).", from.Format("2 Jan 2006"), to.Format("2 Jan 2006"), first.Format("2 Jan 2006"), last.Format("2 Jan 2006")),
		YLabel:  "appointments a day",
		Lines:   []svgchart.Line{{Name: "Appointments", Class: "observed", Points: pts}},
		Windows: []svgchart.Window{{From: first, To: last, Label: "This record", Class: "window-action"}},
		Shades:  shades,
	})
	// svgchart escapes every piece of text it writes.
	return template.HTML(svg), ""
}

// hospitalFigure is one of NHS England's published figures for a round.
type hospitalFigure struct{ Label, Value, Note, SourceURL, SourceHost string }

func hospitalFigures(d models.EventDoc) []hospitalFigure {
	var out []hospitalFigure
	for _, f := range d.Figures {
		h := hospitalFigure{Label: codeLabel(f.Metric), Value: analysis.Thousands(f.Value), Note: f.Note, SourceURL: f.SourceURL}
		// Shares (planned_care_kept_pct) read as "Planned care kept: 94.7%".
		if l, ok := strings.CutSuffix(f.Metric, "_pct"); ok {
			h.Label, h.Value = codeLabel(l), strconv.FormatFloat(f.Value, 'f', -1, 64)+"%"
		}
		if u, err := url.Parse(f.SourceURL); err == nil {
			h.SourceHost = u.Host
		}
		out = append(out, h)
	}
	return out
}

// eventDetails lists a record's kind-specific facts that are set.
func eventDetails(d models.EventDoc) []detail {
	var out []detail
	add := func(label, v string) {
		if strings.TrimSpace(v) != "" {
			out = append(out, detail{label, v})
		}
	}
	pct := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64) + "%"
	}
	add("Status", codeLabel(d.Status))
	add("Staff group", models.StaffGroupLabel(d.StaffGroup))
	add("Nation", d.Nation)
	add("Unions", strings.Join(d.Unions, ", "))
	add("Parties", strings.Join(d.Parties, "; "))
	if d.RoundNumber != nil {
		add("Round", strconv.Itoa(*d.RoundNumber))
	}
	add("Action", codeLabel(d.ActionType))
	if d.Kind == models.KindStrikeRound {
		scope := make([]string, len(d.Scope))
		for i, c := range d.Scope {
			scope[i] = codeLabel(c)
		}
		add("Scope", strings.Join(scope, ", "))
	}
	add("Pay year", d.PayYear)
	add("Headline rise", pct(d.HeadlinePct))
	add("Average rise", pct(d.AveragePct))
	add("Lump sum", d.LumpSum)
	add("Outcome", codeLabel(d.Outcome))
	add("Effective from", d.EffectiveDate)
	add("Body", d.Body)
	add("Instrument", codeLabel(d.Instrument))
	add("What changes", d.WhatChanges)
	add("Who it affects", d.Affects)
	add("Milestone", codeLabel(d.MilestoneType))
	add("Turnout", pct(d.TurnoutPct))
	add("Voted yes", pct(d.YesPct))
	add("Notes", d.Notes)
	return out
}
