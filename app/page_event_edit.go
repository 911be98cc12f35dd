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

// conflictPage is the 409 answer to a stale form: the planner's values
// stay in the form, and the summary shows what the other person changed
// since the version the form was loaded from.
func (s *Server) conflictPage(c *fiber.Ctx, p formPage, id int64, formV int) error {
	ctx := c.UserContext()
	now, err := s.store.GetEvent(ctx, id)
	if err != nil {
		return err
	}
	hs, err := s.store.History(ctx, id)
	if err != nil {
		return err
	}
	for _, h := range hs {
		if h.Version == formV {
			p.Conflict = diffDocs(h.After, now.SnapshotJSON())
		}
	}
	p.Version, p.ConflictBy = now.Version, now.UpdatedBy
	p.Summary = []fieldErr{{Msg: "Someone else changed this record while you were editing (it is now version " + strconv.Itoa(now.Version) + "). Your changes are below and were not saved."}}
	return s.render(c, fiber.StatusConflict, "event_form", p)
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
	formV, _ := strconv.Atoi(c.FormValue("version"))
	if formV != cur.Version {
		return s.conflictPage(c, p, e.ID, formV)
	}
	// Impact figures have no inputs yet; keep them rather than drop them.
	doc.Figures = cur.Figures
	if len(errs.Fields) == 0 {
		// The version is checked again inside the write transaction: two
		// saves from forms of the same version cannot both pass.
		_, err := s.store.ReplaceEventIf(c.UserContext(), actor(c), e.ID, doc, models.Expect{Version: formV})
		if err == nil {
			return c.Redirect(eventURL(e.ID), fiber.StatusSeeOther)
		}
		if errors.Is(err, models.ErrConflict) {
			return s.conflictPage(c, p, e.ID, formV)
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
