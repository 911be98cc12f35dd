package app

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/importers/events"
	"github.com/strikeline/strikeline/models"
)

// downloadLimit is how many records one download holds when the URL does
// not page: more than the whole timeline today.
const downloadLimit = 1000

// filteredEvents loads what the timeline filter in the URL matches, oldest
// first; kind, when set, narrows it to one kind (the strike calendar).
// Downloads read the published register (now or ?as_of) and state its
// version in their headers.
func (s *Server) filteredEvents(c *fiber.Ctx, kind models.Kind) ([]models.Event, error) {
	return s.downloadEvents(c, kind, false)
}

// downloadEvents is filteredEvents, with withdrawn records too when the
// format can mark them (the calendar cancels, the feed explains).
func (s *Server) downloadEvents(c *fiber.Ctx, kind models.Kind, withWithdrawn bool) ([]models.Event, error) {
	q, err := parseEventQuery(c.Query, "")
	if err != nil {
		return nil, err
	}
	if err := s.scope(c, &q.Filter); err != nil {
		return nil, err
	}
	q.Filter.WithWithdrawn = withWithdrawn
	s.registerHeaders(c)
	if kind != "" {
		if len(q.Filter.Kinds) > 0 && !containsKind(q.Filter.Kinds, kind) {
			return nil, nil
		}
		q.Filter.Kinds = []models.Kind{kind}
	}
	if c.Query("per_page") == "" {
		q.Filter.Limit, q.Filter.Offset = downloadLimit, 0
	}
	events, _, err := s.store.ListEvents(c.UserContext(), q.Filter)
	return events, err
}

func containsKind(ks []models.Kind, k models.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// attachment names a download, with the date so saved files do not clash.
func attachment(c *fiber.Ctx, base, ext, mime string) {
	c.Set(fiber.HeaderContentType, mime)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+base+"-"+time.Now().UTC().Format("20060102")+"."+ext+`"`)
}

// neutralise stops a spreadsheet from reading a cell as a formula: a
// leading = + - @, tab, CR or LF gets a quote in front (OWASP's advice).
func neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r', '\n':
		return "'" + s
	}
	return s
}

// exportRecords turns events into download records with their stable keys
// and their disputes' keys; the columns come from importers/events, the
// same table the event import reads, so a download re-imports losslessly.
func (s *Server) exportRecords(c *fiber.Ctx, evs []models.Event) ([]events.Record, error) {
	var ids []int64
	for i := range evs {
		if evs[i].DisputeID != nil {
			ids = append(ids, *evs[i].DisputeID)
		}
	}
	keys, err := s.store.StableKeys(c.UserContext(), ids)
	if err != nil {
		return nil, err
	}
	out := make([]events.Record, len(evs))
	for i := range evs {
		e := &evs[i]
		out[i] = events.Record{EventDoc: e.Doc(), Key: e.StableKey(), Permalink: s.cfg.BaseURL + eventURL(e.ID)}
		if e.DisputeID != nil {
			out[i].DisputeKey = keys[*e.DisputeID]
		}
	}
	return out, nil
}

// exportRow is one record in the CSV and XLSX column order, neutralised.
func exportRow(r *events.Record) []string {
	row := events.Cells(r)
	for i := range row {
		row[i] = neutralise(row[i])
	}
	return row
}

// baseHost is the host name of the public base URL, for feed ids and
// calendar UIDs.
func baseHost(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Hostname() == "" {
		return "strikeline.invalid"
	}
	return u.Hostname()
}
