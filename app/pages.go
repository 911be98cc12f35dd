package app

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// pageBase is what the layout needs on every page.
type pageBase struct {
	Title string
	User  *models.User
	CSRF  string
	// Nav marks the current section in the header.
	Nav string
	// Register is the citable register version the page shows.
	Register registerLine
}

// base fills the layout's fields. Only signed-in pages carry a token (for
// the log-out form); anonymous pages stay identical for every visitor, and
// the login page adds its own double-submit token.
func (s *Server) base(c *fiber.Ctx, title, nav string) pageBase {
	b := pageBase{Title: title, User: currentUser(c), Nav: nav, Register: s.registerLine(c)}
	if b.User != nil {
		b.CSRF = s.csrfToken(c)
	}
	return b
}

// render sends a page with a status. Pages for signed-in users are never
// cached, so a shared machine does not show one planner's forms to the next.
func (s *Server) render(c *fiber.Ctx, status int, name string, data any) error {
	if currentUser(c) != nil {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	return c.Status(status).Render(name, data)
}

// errorPage is the HTML error page, wired into the app's error handler.
type errorPage struct {
	pageBase
	Status int
	Msg    string
	Fields map[string]string
}

func (s *Server) renderError(c *fiber.Ctx, e *Error) error {
	title := "Something went wrong"
	switch e.Status {
	case fiber.StatusNotFound:
		title = "Page not found"
	case fiber.StatusForbidden:
		title = "Not allowed"
	case fiber.StatusUnauthorized:
		title = "Please log in"
	case fiber.StatusTooManyRequests:
		title = "Too many attempts"
	}
	msg := e.Msg
	if e.Status == fiber.StatusNotFound {
		msg = "There is no page at this address. It may have been deleted, or the link may be wrong."
	}
	return s.render(c, e.Status, "error", errorPage{pageBase: s.base(c, title, ""), Status: e.Status, Msg: msg, Fields: e.Fields})
}

// eventView is one record as the pages show it, every text worked out in
// Go once so the templates only print.
type eventView struct {
	ID           int64
	Kind         models.Kind
	KindLabel    string
	Title        string
	Summary      string
	When         string
	StartISO     string
	Sources      []models.Source
	SourceCount  int
	URL          string
	DisputeID    int64
	DisputeTitle string
	DisputeURL   string
	// Draft and Pending mark working copies the public does not see (yet).
	Draft, Pending, Withdrawn bool
	month                     string
	monthID                   string
}

// viewEvent is viewItem of a whole record.
func viewEvent(e *models.Event, disputes map[int64]string) eventView {
	it := models.ItemOf(e)
	return viewItem(&it, disputes)
}

func viewItem(e *models.TimelineItem, disputes map[int64]string) eventView {
	v := eventView{ID: e.ID, Kind: e.Kind, KindLabel: e.Kind.Label(), Title: e.Title, Summary: e.Summary,
		When: whenOf(e.StartAt, e.EndAt, e.AllDay), Sources: e.Sources, SourceCount: len(e.Sources), URL: eventURL(e.ID),
		Draft: e.Draft, Pending: e.Pending, Withdrawn: e.Withdrawn}
	v.month, v.monthID = monthOf(e.StartAt, e.AllDay)
	if e.AllDay {
		v.StartISO = e.StartAt.UTC().Format(time.DateOnly)
	} else {
		v.StartISO = e.StartAt.UTC().Format(time.RFC3339)
	}
	if e.DisputeID != nil {
		v.DisputeID = *e.DisputeID
		v.DisputeTitle = disputes[*e.DisputeID]
		v.DisputeURL = "/disputes/" + strconv.FormatInt(v.DisputeID, 10)
	}
	return v
}

func eventURL(id int64) string { return "/events/" + strconv.FormatInt(id, 10) }

// monthOf is the London calendar month a record starts in, as words and
// as an id for the page.
func monthOf(start time.Time, allDay bool) (label, id string) {
	t := start.In(models.London)
	if allDay {
		t = start.UTC()
	}
	return t.Format("January 2006"), "m-" + t.Format("2006-01")
}

// whenText writes a record's dates as people read them (see whenOf).
func whenText(e *models.Event) string { return whenOf(e.StartAt, e.EndAt, e.AllDay) }

// whenOf writes dates as people read them, in London time:
// "13–16 Mar 2023", "07:00 Fri 25 Jul 2025 to 07:00 Wed 30 Jul 2025".
func whenOf(start time.Time, end *time.Time, allDay bool) string {
	if allDay {
		a := start.UTC()
		if end == nil || end.UTC().Equal(a) {
			return a.Format("Mon 2 Jan 2006")
		}
		b := end.UTC()
		switch {
		case a.Year() == b.Year() && a.Month() == b.Month():
			return a.Format("2") + "–" + b.Format("2 Jan 2006")
		case a.Year() == b.Year():
			return a.Format("2 Jan") + " – " + b.Format("2 Jan 2006")
		}
		return a.Format("2 Jan 2006") + " – " + b.Format("2 Jan 2006")
	}
	a := start.In(models.London)
	if end == nil {
		return a.Format("15:04 Mon 2 Jan 2006") + " (UK time)"
	}
	b := end.In(models.London)
	return a.Format("15:04 Mon 2 Jan 2006") + " to " + b.Format("15:04 Mon 2 Jan 2006") + " (UK time)"
}

// disputeTitles loads every dispute the reader sees once per page (ids,
// titles and unions only), for the filter menu and the "part of" links, so
// items need no query each. The list and map are shared with other
// requests: callers only read them.
func (s *Server) disputeTitles(c *fiber.Ctx) ([]models.TimelineItem, map[int64]string, error) {
	n, err := memoised(s, c, "disputes\x00"+c.Query("as_of"), func(ctx context.Context) (disputeNames, error) {
		return s.disputesAt(ctx, c)
	})
	return n.list, n.titles, err
}

type disputeNames struct {
	list   []models.TimelineItem
	titles map[int64]string
}

// disputesAt reads the disputes c's reader sees through ctx, for answers
// memoised together with them (the same state throughout).
func (s *Server) disputesAt(ctx context.Context, c *fiber.Ctx) (disputeNames, error) {
	var f models.EventFilter
	if err := s.scope(c, &f); err != nil {
		return disputeNames{}, err
	}
	ds, err := s.store.DisputeNames(ctx, f)
	if err != nil {
		return disputeNames{}, err
	}
	m := make(map[int64]string, len(ds))
	for _, d := range ds {
		m[d.ID] = d.Title
	}
	return disputeNames{ds, m}, nil
}

// rawQuery returns the request's query parameters.
func rawQuery(c *fiber.Ctx) url.Values {
	q, _ := url.ParseQuery(string(c.Request().URI().QueryString()))
	return q
}

// filterQuery is the query string of a filter without paging, for download
// links, so a download holds everything the filter matches.
func filterQuery(q url.Values) string {
	c := url.Values{}
	for _, k := range []string{"kind", "union", "staff_group", "dispute", "year", "from", "to", "q", "as_of"} {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			c.Set(k, v)
		}
	}
	if len(c) == 0 {
		return ""
	}
	return "?" + c.Encode()
}
