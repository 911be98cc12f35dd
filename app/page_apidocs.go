package app

import "github.com/gofiber/fiber/v2"

// apiDocs is /api/docs: the OpenAPI document rendered by Swagger UI,
// bundled in /static/apidocs (no CDN; docs/api pins its version).
func (s *Server) apiDocs(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "apidocs", s.base(c, "API documentation", "api"))
}
