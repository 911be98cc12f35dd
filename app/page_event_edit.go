package app

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// pageEventEdit shows the form filled with the current version.
func (s *Server) pageEventEdit(c *fiber.Ctx) error {
	e, err := s.eventParam(c, "")
	if err != nil {
		return err
	}
	d := e.Doc()
	p, err := s.newFormPage(c, e.Kind, "Edit: "+e.Title)
	if err != nil {
		return err
	}
	p.Action, p.IsEdit, p.ID, p.Version, p.Figures = eventURL(e.ID)+"/edit", true, e.ID, d.Version, len(d.Figures)
	p.V, p.Sources = docToForm(d)
	return s.render(c, fiber.StatusOK, "event_form", p)
}

// postEventEdit saves the form as a new version. The version the form was
// loaded from must still be current, so two planners editing at once do not
// silently overwrite each other.
func (s *Server) postEventEdit(c *fiber.Ctx) error {
	e, err := s.eventParam(c, "")
	if err != nil {
		return err
	}
	cur := e.Doc()
	p, err := s.newFormPage(c, e.Kind, "Edit: "+e.Title)
	if err != nil {
		return err
	}
	p.Action, p.IsEdit, p.ID, p.Version, p.Figures = eventURL(e.ID)+"/edit", true, e.ID, cur.Version, len(cur.Figures)
	v, rows, doc, errs := readForm(c, e.Kind)
	p.V, p.Sources = v, rows
	if c.FormValue("action") == "add_source" {
		p.Sources = withBlankRows(rows, 1)
		return s.render(c, fiber.StatusOK, "event_form", p)
	}
	if c.FormValue("version") != strconv.Itoa(cur.Version) {
		p.Summary = []fieldErr{{Msg: "Someone else changed this record while you were editing. Your changes are below; check the current version in another tab before saving again."}}
		return s.render(c, fiber.StatusConflict, "event_form", p)
	}
	// Impact figures have no inputs yet; keep them rather than drop them.
	doc.Figures = cur.Figures
	if len(errs) == 0 {
		_, err := s.store.ReplaceEvent(c.UserContext(), actor(c), e.ID, doc)
		if err == nil {
			return c.Redirect(eventURL(e.ID), fiber.StatusSeeOther)
		}
		var ve *models.ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		errs = ve.Fields
	}
	p.mapErrors(errs, rows)
	return s.render(c, fiber.StatusUnprocessableEntity, "event_form", p)
}
