package app

import (
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

// eventView is one record as the pages show it.
type eventView struct {
	ID           int64
	Kind         models.Kind
	Title        string
	Summary      string
	When         string
	StartISO     string
	Sources      []models.Source
	URL          string
	DisputeID    int64
	DisputeTitle string
	// Draft and Pending mark working copies the public does not see (yet).
	Draft, Pending, Withdrawn bool
	month                     string
	monthID                   string
}

func viewEvent(e *models.Event, disputes map[int64]string) eventView {
	v := eventView{ID: e.ID, Kind: e.Kind, Title: e.Title, Summary: e.Summary, When: whenText(e),
		Sources: e.Sources, URL: eventURL(e.ID)}
	v.month, v.monthID = monthOf(e)
	if e.Pub == nil {
		st := e.PubInfo()
		v.Draft, v.Pending, v.Withdrawn = st.Status == models.PubDraft, st.PendingRevision, st.Status == models.PubWithdrawn
	}
	if e.AllDay {
		v.StartISO = e.StartAt.UTC().Format(time.DateOnly)
	} else {
		v.StartISO = e.StartAt.UTC().Format(time.RFC3339)
	}
	if e.DisputeID != nil {
		v.DisputeID = *e.DisputeID
		v.DisputeTitle = disputes[*e.DisputeID]
	}
	return v
}

func eventURL(id int64) string { return "/events/" + strconv.FormatInt(id, 10) }

// monthOf is the London calendar month a record starts in, as words and
// as an id for the page.
func monthOf(e *models.Event) (label, id string) {
	t := e.StartAt.In(models.London)
	if e.AllDay {
		t = e.StartAt.UTC()
	}
	return t.Format("January 2006"), "m-" + t.Format("2006-01")
}

// whenText writes a record's dates as people read them, in London time:
// "13–16 Mar 2023", "07:00 Fri 25 Jul 2025 to 07:00 Wed 30 Jul 2025".
func whenText(e *models.Event) string {
	if e.AllDay {
		a := e.StartAt.UTC()
		if e.EndAt == nil || e.EndAt.UTC().Equal(a) {
			return a.Format("Mon 2 Jan 2006")
		}
		b := e.EndAt.UTC()
		switch {
		case a.Year() == b.Year() && a.Month() == b.Month():
			return a.Format("2") + "–" + b.Format("2 Jan 2006")
		case a.Year() == b.Year():
			return a.Format("2 Jan") + " – " + b.Format("2 Jan 2006")
		}
		return a.Format("2 Jan 2006") + " – " + b.Format("2 Jan 2006")
	}
	a := e.StartAt.In(models.London)
	if e.EndAt == nil {
		return a.Format("15:04 Mon 2 Jan 2006") + " (UK time)"
	}
	b := e.EndAt.In(models.London)
	return a.Format("15:04 Mon 2 Jan 2006") + " to " + b.Format("15:04 Mon 2 Jan 2006") + " (UK time)"
}

// disputeTitles loads every live dispute once per page, for the filter
// menu and the "part of" links, so items need no query each.
func (s *Server) disputeTitles(c *fiber.Ctx) ([]models.Event, map[int64]string, error) {
	f := models.EventFilter{Kinds: []models.Kind{models.KindDispute}, Limit: 1000}
	if err := s.scope(c, &f); err != nil {
		return nil, nil, err
	}
	ds, _, err := s.store.ListEvents(c.UserContext(), f)
	if err != nil {
		return nil, nil, err
	}
	m := make(map[int64]string, len(ds))
	for _, d := range ds {
		m[d.ID] = d.Title
	}
	return ds, m, nil
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
