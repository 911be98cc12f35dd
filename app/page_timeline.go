package app

import (
	"context"
	"errors"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// timelinePerPage is the page size when the URL does not set per_page:
// about two years of records, so the page stays small however long the
// register grows, with links to older pages.
const timelinePerPage = 50

// timelinePage is the timeline as the template prints it: every label,
// selection, count and link is worked out here, once per request.
type timelinePage struct {
	pageBase
	// AsOf, Union and Words echo the filter inputs.
	AsOf, Union, Words string
	FilterQuery        string
	Errors             map[string]string
	// Filters is the rendered filter form and download links.
	Filters template.HTML
	// Results is the rendered list: the count, the records by month and
	// the links to other pages.
	Results     template.HTML
	Kinds       []filterOption
	StaffGroups []filterOption
	Disputes    []filterOption
	Years       []filterOption
	Unions      []string
	Filtered    bool
	Cite        citation
	// Working is true when the page lists working copies (drafts marked).
	Working bool
}

// filterOption is one choice of a filter menu.
type filterOption struct {
	Value, Label string
	Selected     bool
}

// timelineResults is what the "results" block prints.
type timelineResults struct {
	Count            string
	Months           []monthGroup
	PrevURL, NextURL string
	Errors           bool
}

type monthGroup struct {
	Month, ID string
	Events    []eventView
}

// groupByMonth splits records, already in order, into month sections.
func groupByMonth(items []models.TimelineItem, titles map[int64]string) []monthGroup {
	var out []monthGroup
	for i := range items {
		v := viewItem(&items[i], titles)
		if n := len(out); n == 0 || out[n-1].ID != v.monthID {
			out = append(out, monthGroup{Month: v.month, ID: v.monthID})
		}
		out[len(out)-1].Events = append(out[len(out)-1].Events, v)
	}
	return out
}

// pageTimeline is "/": every record, newest first, grouped by month and
// paged, with the filters as a GET form so every view is a shareable URL.
func (s *Server) pageTimeline(c *fiber.Ctx) error {
	raw := rawQuery(c)
	fq := filterQuery(raw)
	p := timelinePage{pageBase: s.base(c, "Timeline", "timeline"), FilterQuery: fq, Filtered: fq != ""}
	q, err := parseEventQuery(queryOf(c), "")
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		p.Errors = ve.Fields
		ds, _, err := s.disputeTitles(c)
		if err != nil {
			return err
		}
		if p.Filters, err = s.timelineFilters(raw, p, ds); err != nil {
			return err
		}
		if p.Results, err = s.views.fragment("timeline", "results", timelineResults{Count: "No results", Errors: true}); err != nil {
			return err
		}
		return s.render(c, fiber.StatusBadRequest, "timeline", p)
	}
	if err != nil {
		return err
	}
	// The form is the same for every anonymous reader of this query at this
	// state (the dispute menu) and in this year (the year menu).
	year := strconv.Itoa(time.Now().Year())
	p.Filters, err = memoised(s, c, "timeline-filters\x00"+year+"\x00"+string(c.Request().URI().QueryString()),
		func(ctx context.Context) (template.HTML, error) {
			ds, err := s.disputesAt(ctx, c)
			if err != nil {
				return "", err
			}
			return s.timelineFilters(raw, p, ds.list)
		})
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
	p.Working = q.Filter.Working
	if !p.Working && p.Register.Version > 0 {
		// The citation names the version and today's date only.
		now, v := time.Now(), strconv.Itoa(p.Register.Version)
		p.Cite, err = memoised(s, c, "timeline-cite\x00"+v+"\x00"+now.In(models.London).Format(time.DateOnly), func(context.Context) (citation, error) {
			return newCitation("strikeline-timeline", "NHS industrial action timeline", s.cfg.BaseURL+"/?as_of="+v, p.Register.Version, now), nil
		})
		if err != nil {
			return err
		}
	}
	// The list is the same for every anonymous reader at this state of the
	// register, so it is read and rendered once per state and query.
	key := "timeline\x00" + string(c.Request().URI().QueryString())
	p.Results, err = memoised(s, c, key, func(ctx context.Context) (template.HTML, error) {
		ds, err := s.disputesAt(ctx, c)
		if err != nil {
			return "", err
		}
		items, total, err := s.store.Timeline(ctx, q.Filter)
		if err != nil {
			return "", err
		}
		r := timelineResults{Count: recordCount(total, p.Filtered), Months: groupByMonth(items, ds.titles)}
		if q.Page > 1 {
			r.PrevURL = "/" + withParam(raw, "page", strconv.Itoa(q.Page-1))
		}
		if int64(q.Filter.Offset+len(items)) < total {
			r.NextURL = "/" + withParam(raw, "page", strconv.Itoa(q.Page+1))
		}
		return s.views.fragment("timeline", "results", r)
	})
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "timeline", p)
}

// recordCount heads the results: "87 records", "1 record matches these
// filters".
func recordCount(total int64, filtered bool) string {
	out := strconv.FormatInt(total, 10) + " record"
	if total != 1 {
		out += "s"
	}
	if filtered {
		if total == 1 {
			out += " matches"
		} else {
			out += " match"
		}
		out += " these filters"
	}
	return out
}

// timelineFilters renders the filter form and the download links of p for
// the query raw and the disputes: every menu with its choice marked, the
// inputs filled.
func (s *Server) timelineFilters(raw url.Values, p timelinePage, disputes []models.TimelineItem) (template.HTML, error) {
	p.AsOf, p.Union, p.Words = raw.Get("as_of"), raw.Get("union"), raw.Get("q")
	p.Kinds = make([]filterOption, len(models.Kinds))
	for i, k := range models.Kinds {
		p.Kinds[i] = filterOption{string(k), k.Label(), string(k) == raw.Get("kind")}
	}
	p.StaffGroups = make([]filterOption, len(models.StaffGroups))
	for i, g := range models.StaffGroups {
		p.StaffGroups[i] = filterOption{g, models.StaffGroupLabel(g), g == raw.Get("staff_group")}
	}
	for y := time.Now().Year() + 1; y >= 2022; y-- {
		v := strconv.Itoa(y)
		p.Years = append(p.Years, filterOption{v, v, v == raw.Get("year")})
	}
	for _, d := range disputes {
		v := strconv.FormatInt(d.ID, 10)
		p.Disputes = append(p.Disputes, filterOption{v, d.Title, v == raw.Get("dispute")})
		for _, u := range d.Unions {
			if !slices.Contains(p.Unions, u) {
				p.Unions = append(p.Unions, u)
			}
		}
	}
	slices.Sort(p.Unions)
	return s.views.fragment("timeline", "filters", p)
}
