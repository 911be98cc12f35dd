package app

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/importers/events"
	"github.com/strikeline/strikeline/models"
)

// downloadLimit is how many records one download holds when the URL does
// not page: more than the whole timeline today.
const downloadLimit = 1000

// filteredRecords is what a download holds: the records the timeline
// filter in the URL matches, oldest first; kind, when set, narrows it to
// one kind (the strike calendar). withWithdrawn asks for withdrawn records
// too, marked Withdrawn (the calendar cancels them, the feed announces
// them); the other downloads leave them out. Every download reads its
// list here, so which records the public sees is decided once.
func (s *Server) filteredRecords(c *fiber.Ctx, kind models.Kind, withWithdrawn bool) ([]exportRecord, error) {
	events, err := s.downloadEvents(c, kind, withWithdrawn)
	if err != nil {
		return nil, err
	}
	out := make([]exportRecord, len(events))
	for i := range events {
		e := &events[i]
		out[i] = exportRecord{Event: e, Withdrawn: withdrawn(e)}
		if e.Pub != nil && (withdrawn(e) || e.Pub.IsCorrection()) {
			out[i].Note = correctionLine(e.Pub)
		}
	}
	return out, nil
}

// downloadEvents loads what the timeline filter in the URL matches, oldest
// first; kind, when set, narrows it to one kind (the strike calendar), and
// withWithdrawn adds withdrawn records for the formats that can mark them
// (the calendar cancels, the feed explains). Downloads read the published
// register (now or ?as_of) and state its version in their headers.
func (s *Server) downloadEvents(c *fiber.Ctx, kind models.Kind, withWithdrawn bool) ([]models.Event, error) {
	q, err := parseEventQuery(queryOf(c), "")
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

// filteredDownload is the request's filtered timeline as downloadRows.
func (s *Server) filteredDownload(c *fiber.Ctx) ([]events.Record, error) {
	list, err := s.filteredRecords(c, "", false)
	if err != nil {
		return nil, err
	}
	return s.downloadRows(c, list)
}

// downloadRows are a download's records in the column table's terms
// (exportRecords), for the CSV, XLSX and JSON downloads.
func (s *Server) downloadRows(c *fiber.Ctx, recs []exportRecord) ([]events.Record, error) {
	evs := make([]models.Event, len(recs))
	for i := range recs {
		evs[i] = *recs[i].Event
	}
	return s.exportRecords(c, evs)
}
