package app

import "github.com/gofiber/fiber/v2"

// postLogout ends the session in the database and clears the cookie.
func (s *Server) postLogout(c *fiber.Ctx) error {
	if plain := c.Cookies(sessionCookie); plain != "" {
		if err := s.store.DeleteSession(c.UserContext(), plain); err != nil {
			return err
		}
	}
	s.clearCookie(c, sessionCookie)
	return c.Redirect("/", fiber.StatusSeeOther)
}
