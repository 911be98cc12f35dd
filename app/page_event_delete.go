package app

import (
	"github.com/gofiber/fiber/v2"
)

// postEventDelete soft-deletes a record and shows its history, where it can
// be restored.
func (s *Server) postEventDelete(c *fiber.Ctx) error {
	id, want, err := stateForm(c)
	if err != nil {
		return err
	}
	if err := s.store.DeleteEventIf(c.UserContext(), actor(c), id, "", want); err != nil {
		return err
	}
	return c.Redirect(eventURL(id)+"/history", fiber.StatusSeeOther)
}
