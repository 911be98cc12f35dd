package app

import "github.com/gofiber/fiber/v2"

// apiRevokeToken revokes one of the signed-in user's tokens; another
// user's token id is a 404, so ids do not leak.
func (s *Server) apiRevokeToken(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeToken(c.UserContext(), currentUser(c).ID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
