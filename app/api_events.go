package app

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// listResponse is the envelope of every paginated list.
type listResponse struct {
	Items   any   `json:"items"`
	Total   int64 `json:"total"`
	Page    int   `json:"page"`
	PerPage int   `json:"per_page"`
}

func (s *Server) apiListEvents(kind models.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		q, err := parseEventQuery(queryOf(c), kind)
		if err != nil {
			return err
		}
		if err := s.scope(c, &q.Filter); err != nil {
			return err
		}
		events, total, err := s.store.ListEvents(c.UserContext(), q.Filter)
		if err != nil {
			return err
		}
		docs := make([]eventJSON, len(events))
		for i := range events {
			docs[i] = eventJSON{EventDoc: events[i].Doc(), Publication: events[i].PubInfo()}
		}
		return c.JSON(listResponse{Items: docs, Total: total, Page: q.Page, PerPage: q.PerPage})
	}
}

// timelineItem is the compact shape of /api/v1/timeline.
type timelineItem struct {
	ID    int64       `json:"id"`
	Kind  models.Kind `json:"kind"`
	Title string      `json:"title"`
	Start string      `json:"start"`
	End   string      `json:"end,omitempty"`
	// DisputeID is the dispute a record belongs to, so a client can group
	// the timeline without fetching every record.
	DisputeID *int64          `json:"dispute_id,omitempty"`
	Summary   string          `json:"summary,omitempty"`
	Sources   []models.Source `json:"sources"`
	URL       string          `json:"url"`
}

func (s *Server) apiTimeline(c *fiber.Ctx) error {
	q, err := parseEventQuery(queryOf(c), "")
	if err != nil {
		return err
	}
	if c.Query("per_page") == "" {
		q.Filter.Limit, q.PerPage = 1000, 1000
		q.Filter.Offset = (q.Page - 1) * 1000
	}
	if err := s.scope(c, &q.Filter); err != nil {
		return err
	}
	// The answer is the same for every anonymous client at this state of
	// the register: encoded once per state and query (register_memo.go).
	body, err := memoised(s, c, "api-timeline\x00"+string(c.Request().URI().QueryString()), func(ctx context.Context) ([]byte, error) {
		events, total, err := s.store.Timeline(ctx, q.Filter)
		if err != nil {
			return nil, err
		}
		items := make([]timelineItem, len(events))
		for i := range events {
			e := &events[i]
			items[i] = timelineItem{ID: e.ID, Kind: e.Kind, Title: e.Title, Start: e.Start(), End: e.End(), DisputeID: e.DisputeID, Summary: e.Summary,
				Sources: e.Sources, URL: s.cfg.BaseURL + eventURL(e.ID)}
		}
		b, err := json.Marshal(listResponse{Items: items, Total: total, Page: q.Page, PerPage: q.PerPage})
		// Shared by every answer: no spare capacity, so nothing appends into it.
		return slices.Clip(b), err
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(body)
}

// eventJSON is a record as the API answers it: the document plus its
// editorial state ("publication": {"status": "draft"|"published"|
// "withdrawn", …}), kept apart from a dispute's own "status".
type eventJSON struct {
	models.EventDoc
	Publication models.PubInfo   `json:"publication"`
	Corrections []correctionJSON `json:"corrections,omitempty"`
}

type correctionJSON struct {
	At              time.Time `json:"at"`
	Note            string    `json:"note"`
	RegisterVersion int       `json:"register_version"`
}

func (s *Server) apiGetEvent(kind models.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		e, err := s.recordFor(c, kind)
		if err != nil {
			return err
		}
		if withdrawn(e) {
			return c.Status(fiber.StatusGone).JSON(s.gone(e))
		}
		out := eventJSON{EventDoc: e.Doc(), Publication: e.PubInfo()}
		cs, err := s.corrections(c, e)
		if err != nil {
			return err
		}
		for _, p := range cs {
			out.Corrections = append(out.Corrections, correctionJSON{At: p.At.UTC(), Note: p.Note, RegisterVersion: p.RegisterVersion})
		}
		setETag(c, e)
		return c.JSON(out)
	}
}

// corrections lists the public correction notes of a record up to the
// version read (the published one, or ?as_of).
func (s *Server) corrections(c *fiber.Ctx, e *models.Event) ([]models.Publication, error) {
	upTo := 0
	if e.Pub != nil {
		upTo = e.Pub.RegisterVersion
	}
	ps, err := s.store.Publications(c.UserContext(), e.ID, upTo)
	if err != nil {
		return nil, err
	}
	var out []models.Publication
	for _, p := range ps {
		if p.IsCorrection() {
			out = append(out, p)
		}
	}
	return out, nil
}

func (s *Server) apiCreateEvent(kind models.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		doc, err := models.DecodeDoc(c.Body())
		if err != nil {
			return err
		}
		if doc.Kind == "" {
			doc.Kind = kind
		}
		if doc.Kind != kind {
			return &models.ValidationError{Fields: map[string]string{"kind": "must be " + string(kind) + " in this collection"}}
		}
		e, err := s.store.CreateEvent(c.UserContext(), actor(c), doc)
		if err != nil {
			return err
		}
		c.Location("/api/v1/events/" + strconv.FormatInt(e.ID, 10))
		return c.Status(fiber.StatusCreated).JSON(e.Doc())
	}
}

func (s *Server) apiPatchEvent(kind models.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		body := c.Body()
		if !json.Valid(body) {
			return models.ErrMalformed
		}
		want, err := expectFrom(c)
		if err != nil {
			return err
		}
		e, err := s.store.PatchEventIf(c.UserContext(), actor(c), id, kind, body, want)
		if err != nil {
			return err
		}
		setETag(c, e)
		return c.JSON(eventJSON{EventDoc: e.Doc(), Publication: e.PubInfo()})
	}
}

func (s *Server) apiDeleteEvent(kind models.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		want, err := s.expectBody(c, nil)
		if err != nil {
			return err
		}
		if err := s.store.DeleteEventIf(c.UserContext(), actor(c), id, kind, want); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// historyItem shows a history row with its documents as JSON.
type historyItem struct {
	models.HistoryEntry
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after"`
}

func (s *Server) apiHistory(kind models.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		if !seesDrafts(c) {
			return s.apiPublicHistory(c, id, kind)
		}
		e, err := s.store.GetEventAny(c.UserContext(), id)
		if err != nil {
			return err
		}
		if kind != "" && e.Kind != kind {
			return models.ErrNotFound
		}
		hs, err := s.store.History(c.UserContext(), id)
		if err != nil {
			return err
		}
		items := make([]historyItem, len(hs))
		for i, h := range hs {
			items[i] = historyItem{HistoryEntry: h, After: json.RawMessage(h.After)}
			if h.Before != "" {
				items[i].Before = json.RawMessage(h.Before)
			}
		}
		return c.JSON(fiber.Map{"items": items})
	}
}

func (s *Server) apiRestore(kind models.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, v, err := versionParams(c)
		if err != nil {
			return err
		}
		e, err := s.store.GetEventAny(c.UserContext(), id)
		if err != nil {
			return err
		}
		if e.Kind != kind {
			return models.ErrNotFound
		}
		want, err := s.expectBody(c, nil)
		if err != nil {
			return err
		}
		e, err = s.store.RestoreEventIf(c.UserContext(), actor(c), id, int(v), want)
		if err != nil {
			return err
		}
		setETag(c, e)
		return c.JSON(eventJSON{EventDoc: e.Doc(), Publication: e.PubInfo()})
	}
}

// eventParam loads the live event named by :id, checking its kind.
func (s *Server) eventParam(c *fiber.Ctx, kind models.Kind) (*models.Event, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	e, err := s.store.GetEvent(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if kind != "" && e.Kind != kind {
		return nil, models.ErrNotFound
	}
	return e, nil
}

// idParam parses a positive integer path parameter; anything else is a 404
// (no such resource), not a 500.
// versionParams are the :id and :version of a restore route.
func versionParams(c *fiber.Ctx) (id, version int64, err error) {
	if id, err = idParam(c, "id"); err != nil {
		return 0, 0, err
	}
	version, err = idParam(c, "version")
	return id, version, err
}

func idParam(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.ErrNotFound
	}
	return id, nil
}
