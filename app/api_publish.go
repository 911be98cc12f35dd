package app

import (
	"bytes"
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/validate"
)

// decodeBody reads an optional JSON object strictly into v: an empty body
// leaves v as it is, unknown members are 422s naming them.
func decodeBody(c *fiber.Ctx, v any) error {
	body := bytes.TrimSpace(c.Body())
	if len(body) == 0 || string(body) == "null" {
		return nil
	}
	return models.AsValidationError(validate.Decode(body, v))
}

// versionBody is the optional {"version": N} of a state change.
type versionBody struct {
	Version *int `json:"version"`
}

func (b versionBody) apply(want *models.Expect) error {
	if b.Version == nil {
		return nil
	}
	if *b.Version < 1 {
		return &models.ValidationError{Fields: map[string]string{"version": "must be the version you read, a whole number"}}
	}
	want.Version = *b.Version
	return nil
}

// expectBody reads If-Match and, when body is nil, a body of only
// {"version": N}.
func (s *Server) expectBody(c *fiber.Ctx, body *versionBody) (models.Expect, error) {
	want, err := expectFrom(c)
	if err != nil {
		return want, err
	}
	if body == nil {
		body = &versionBody{}
		if err := decodeBody(c, body); err != nil {
			return want, err
		}
	}
	return want, body.apply(&want)
}

type publishBody struct {
	versionBody
	CorrectionNote string `json:"correction_note"`
	Minor          bool   `json:"minor"`
}

type withdrawBody struct {
	versionBody
	Reason string `json:"reason"`
}

// apiPublish is POST /api/v1/events/:id/publish (editors).
func (s *Server) apiPublish(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var b publishBody
	if err := decodeBody(c, &b); err != nil {
		return err
	}
	want, err := s.expectBody(c, &b.versionBody)
	if err != nil {
		return err
	}
	e, err := s.store.Publish(c.UserContext(), actor(c), id, models.PublishInput{Expect: want, CorrectionNote: b.CorrectionNote, Minor: b.Minor})
	if err != nil {
		return err
	}
	return s.stateAnswer(c, e)
}

// apiWithdraw is POST /api/v1/events/:id/withdraw (editors).
func (s *Server) apiWithdraw(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var b withdrawBody
	if err := decodeBody(c, &b); err != nil {
		return err
	}
	want, err := s.expectBody(c, &b.versionBody)
	if err != nil {
		return err
	}
	e, err := s.store.Withdraw(c.UserContext(), actor(c), id, models.WithdrawInput{Expect: want, Reason: b.Reason})
	if err != nil {
		return err
	}
	return s.stateAnswer(c, e)
}

// stateAnswer answers a publish or withdrawal with the working copy and
// the register version it made.
func (s *Server) stateAnswer(c *fiber.Ctx, e *models.Event) error {
	reg, err := s.store.RegisterState(c.UserContext())
	if err != nil {
		return err
	}
	setETag(c, e)
	info := e.PubInfo()
	info.RegisterVersion = reg.Version
	return c.JSON(eventJSON{EventDoc: e.Doc(), Publication: info})
}

// apiRegister is GET /api/v1/register: the version to cite.
func (s *Server) apiRegister(c *fiber.Ctx) error {
	reg, err := s.store.RegisterState(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(reg)
}

// publicVersion is one published version in the public history.
type publicVersion struct {
	RegisterVersion int             `json:"register_version"`
	Version         int             `json:"version"`
	State           string          `json:"state"`
	At              string          `json:"at"`
	Note            string          `json:"note,omitempty"`
	Minor           bool            `json:"minor,omitempty"`
	URL             string          `json:"url"`
	Document        json.RawMessage `json:"document"`
}

// apiPublicHistory is the history the public sees: published versions only.
func (s *Server) apiPublicHistory(c *fiber.Ctx, id int64, kind models.Kind) error {
	ps, err := s.store.Publications(c.UserContext(), id, 0)
	if err != nil {
		return err
	}
	if len(ps) == 0 || kind != "" && ps[0].Kind != kind {
		return models.ErrNotFound
	}
	items := make([]publicVersion, len(ps))
	for i, p := range ps {
		items[i] = publicVersion{RegisterVersion: p.RegisterVersion, Version: p.EventVersion, State: p.State,
			At: isoTime(p.At), Note: p.Note, Minor: p.Minor, Document: json.RawMessage(p.Doc),
			URL: s.cfg.BaseURL + asOfURL(id, p.RegisterVersion)}
	}
	return c.JSON(fiber.Map{"items": items})
}
