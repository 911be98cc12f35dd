package app

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// timelinePerPage is the page size when the URL does not set per_page: a
// few years of records, so most visitors never page.
const timelinePerPage = 200

type timelinePage struct {
	pageBase
	Query       url.Values
	FilterQuery string
	Errors      map[string]string
	Months      []monthGroup
	Total       int64
	Shown       int
	Page        int
	PrevPage    string
	NextPage    string
	Kinds       []models.Kind
	StaffGroups []string
	Disputes    []models.Event
	Unions      []string
	Years       []int
	Filtered    bool
	Cite        citation
	// Working is true when the page lists working copies (drafts marked).
	Working bool
}

type monthGroup struct {
	Month, ID string
	Events    []eventView
}

// groupByMonth splits records, already in order, into month sections.
func groupByMonth(events []models.Event, titles map[int64]string) []monthGroup {
	var out []monthGroup
	for i := range events {
		v := viewEvent(&events[i], titles)
		if n := len(out); n == 0 || out[n-1].ID != v.monthID {
			out = append(out, monthGroup{Month: v.month, ID: v.monthID})
		}
		out[len(out)-1].Events = append(out[len(out)-1].Events, v)
	}
	return out
}

// pageTimeline is "/": every record, newest first, grouped by month, with
// the filters as a GET form so every view is a shareable URL.
func (s *Server) pageTimeline(c *fiber.Ctx) error {
	ctx := c.UserContext()
	raw := rawQuery(c)
	p := timelinePage{pageBase: s.base(c, "Timeline", "timeline"), Query: raw, FilterQuery: filterQuery(raw),
		Kinds: models.Kinds, StaffGroups: models.StaffGroups, Filtered: filterQuery(raw) != ""}
	for y := time.Now().Year() + 1; y >= 2022; y-- {
		p.Years = append(p.Years, y)
	}
	disputes, titles, err := s.disputeTitles(c)
	if err != nil {
		return err
	}
	p.Disputes = disputes
	for _, d := range disputes {
		for _, u := range d.Unions {
			if !slices.Contains(p.Unions, u) {
				p.Unions = append(p.Unions, u)
			}
		}
	}
	slices.Sort(p.Unions)

	q, err := parseEventQuery(queryOf(c), "")
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		p.Errors = ve.Fields
		return s.render(c, fiber.StatusBadRequest, "timeline", p)
	}
	if err != nil {
		return err
	}
	if c.Query("per_page") == "" {
		q.PerPage, q.Filter.Limit, q.Filter.Offset = timelinePerPage, timelinePerPage, (q.Page-1)*timelinePerPage
	}
	q.Filter.Descending = true
	if err := s.scope(c, &q.Filter); err != nil {
		return err
	}
	events, total, err := s.store.ListEvents(ctx, q.Filter)
	if err != nil {
		return err
	}
	p.Total, p.Shown, p.Page, p.Working = total, len(events), q.Page, q.Filter.Working
	if !p.Working && p.Register.Version > 0 {
		p.Cite = newCitation("strikeline-timeline", "NHS industrial action timeline",
			s.cfg.BaseURL+"/?as_of="+strconv.Itoa(p.Register.Version), p.Register.Version, time.Now())
	}
	p.Months = groupByMonth(events, titles)
	if q.Page > 1 {
		p.PrevPage = strconv.Itoa(q.Page - 1)
	}
	if int64(q.Filter.Offset+len(events)) < total {
		p.NextPage = strconv.Itoa(q.Page + 1)
	}
	return s.render(c, fiber.StatusOK, "timeline", p)
}
