package app

import "github.com/gofiber/fiber/v2"

// apiListTokens lists the signed-in user's tokens, revoked ones included
// (so a user can see when one was revoked).
func (s *Server) apiListTokens(c *fiber.Ctx) error {
	ts, err := s.store.ListTokens(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	items := make([]tokenView, len(ts))
	for i, t := range ts {
		items[i] = viewToken(t)
	}
	return c.JSON(fiber.Map{"items": items})
}
