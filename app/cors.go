package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// publicDownloads are the read-only exports other sites load from the
// browser (TimelineJS on a newsroom page, a calendar or feed reader in a web
// app); with the anonymous API they are the only cross-origin reads.
var publicDownloads = map[string]bool{
	"/timeline-js.json": true, "/timeline.csv": true, "/timeline.json": true, "/timeline.xlsx": true,
	"/strikes.ics": true, "/feed.atom": true,
}

// corsReadable reports whether path is a public read that any origin may
// fetch: the downloads and the JSON API.
func corsReadable(path string) bool {
	return publicDownloads[path] || strings.HasPrefix(path, "/api/v1/") || path == "/api/v1"
}

// cors lets any origin read the public data: Access-Control-Allow-Origin *
// on anonymous GET and HEAD of corsReadable paths, and their preflights
// answered. It never allows credentials: a request that carries a session
// cookie or an Authorization header gets no CORS headers, so a browser
// never hands another site a signed-in answer, and writes get none, so a
// cross-origin form or script cannot use the API. Listed in docs/formats.md.
func (s *Server) cors(c *fiber.Ctx) error {
	if !corsReadable(c.Path()) {
		return c.Next()
	}
	switch c.Method() {
	case fiber.MethodOptions:
		// A preflight: only for a plain read. Anything else gets a bare 204,
		// which the browser takes as "not allowed".
		if c.Get(fiber.HeaderOrigin) == "" || c.Get(fiber.HeaderAccessControlRequestMethod) == "" {
			return c.Next()
		}
		switch c.Get(fiber.HeaderAccessControlRequestMethod) {
		case fiber.MethodGet, fiber.MethodHead:
			c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
			c.Set(fiber.HeaderAccessControlAllowMethods, "GET, HEAD")
			// Only headers a public read needs: no Authorization, so a
			// preflighted signed-in call is refused by the browser.
			c.Set(fiber.HeaderAccessControlAllowHeaders, "Accept, Accept-Language, If-None-Match, If-Modified-Since")
			c.Set(fiber.HeaderAccessControlMaxAge, "86400")
		}
		return c.SendStatus(fiber.StatusNoContent)
	case fiber.MethodGet, fiber.MethodHead:
		if c.Get(fiber.HeaderAuthorization) != "" || c.Cookies(sessionCookie) != "" {
			return c.Next()
		}
		c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
		c.Set(fiber.HeaderAccessControlExposeHeaders, "Content-Disposition, ETag")
	}
	return c.Next()
}
