package app

import (
	"encoding/json"
	"strconv"

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
		events, total, err := s.store.ListEvents(c.UserContext(), q.Filter)
		if err != nil {
			return err
		}
		docs := make([]models.EventDoc, len(events))
		for i := range events {
			docs[i] = events[i].Doc()
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
	events, total, err := s.store.ListEvents(c.UserContext(), q.Filter)
	if err != nil {
		return err
	}
	items := make([]timelineItem, len(events))
	for i := range events {
		d := events[i].Doc()
		items[i] = timelineItem{ID: d.ID, Kind: d.Kind, Title: d.Title, Start: d.Start, End: d.End, DisputeID: d.DisputeID, Summary: d.Summary,
			Sources: d.Sources, URL: s.cfg.BaseURL + "/events/" + strconv.FormatInt(d.ID, 10)}
	}
	return c.JSON(listResponse{Items: items, Total: total, Page: q.Page, PerPage: q.PerPage})
}

func (s *Server) apiGetEvent(kind models.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		e, err := s.eventParam(c, kind)
		if err != nil {
			return err
		}
		return c.JSON(e.Doc())
	}
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
		e, err := s.store.PatchEvent(c.UserContext(), actor(c), id, kind, body)
		if err != nil {
			return err
		}
		return c.JSON(e.Doc())
	}
}

func (s *Server) apiDeleteEvent(kind models.Kind) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		if err := s.store.DeleteEvent(c.UserContext(), actor(c), id, kind); err != nil {
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
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		v, err := idParam(c, "version")
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
		e, err = s.store.RestoreEvent(c.UserContext(), actor(c), id, int(v))
		if err != nil {
			return err
		}
		return c.JSON(e.Doc())
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
func idParam(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.ErrNotFound
	}
	return id, nil
}
