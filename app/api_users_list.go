package app

import "github.com/gofiber/fiber/v2"

// apiListUsers lists every account (admins only).
func (s *Server) apiListUsers(c *fiber.Ctx) error {
	us, err := s.store.ListUsers(c.UserContext())
	if err != nil {
		return err
	}
	items := make([]userView, len(us))
	for i, u := range us {
		items[i] = viewUser(u)
	}
	return c.JSON(fiber.Map{"items": items})
}
