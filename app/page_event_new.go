package app

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// pageEventNew shows the form for a new record of ?kind=, or the choice of
// kind when none is given.
func (s *Server) pageEventNew(c *fiber.Ctx) error {
	kind := models.Kind(c.Query("kind"))
	if kind != "" && !kind.Valid() {
		return models.ErrNotFound
	}
	p, err := s.newFormPage(c, kind, "Add a record")
	if err != nil {
		return err
	}
	p.Action = "/events/new"
	p.V["nation"] = "England"
	if d := c.Query("dispute"); d != "" {
		p.V["dispute_id"] = d
	}
	p.Sources = withBlankRows(nil, blankSourceRows+1)
	return s.render(c, fiber.StatusOK, "event_form", p)
}

// postEventNew creates a record from the form, or shows the form again
// with the problems next to their inputs.
func (s *Server) postEventNew(c *fiber.Ctx) error {
	kind := models.Kind(c.FormValue("kind"))
	if !kind.Valid() {
		return httpError(fiber.StatusBadRequest, "choose a kind of record")
	}
	p, err := s.newFormPage(c, kind, "Add a record")
	if err != nil {
		return err
	}
	p.Action = "/events/new"
	v, rows, doc, errs := readForm(c, kind)
	p.V, p.Sources = v, rows
	if c.FormValue("action") == "add_source" {
		p.Sources = withBlankRows(rows, 1)
		return s.render(c, fiber.StatusOK, "event_form", p)
	}
	if len(errs.Fields) == 0 {
		e, err := s.store.CreateEvent(c.UserContext(), actor(c), doc)
		if err == nil {
			return c.Redirect("/events/"+strconv.FormatInt(e.ID, 10), fiber.StatusSeeOther)
		}
		var ve *models.ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		errs = ve
	}
	p.mapErrors(errs, rows)
	return s.render(c, fiber.StatusUnprocessableEntity, "event_form", p)
}
