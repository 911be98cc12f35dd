package app

import (
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Request bodies are streamed (fiber.Config.StreamRequestBody): the server
// reads the headers and at most a few kilobytes of body before a handler
// runs, so nothing is buffered until a handler asks for it. limitBody then
// holds every route but the two upload routes to the small JSON/form cap
// (STRIKELINE_MAX_JSON_KB), so an anonymous client cannot make the server
// hold a large body; the upload routes take large bodies only after
// authentication (uploadLimit), and the multipart reader spools the file
// part to a temporary file rather than memory.

// uploadRoutes are the POST paths allowed bodies up to STRIKELINE_MAX_UPLOAD_MB,
// as routing matches them (case-insensitive, trailing slash optional).
var uploadRoutes = map[string]bool{"/imports": true, "/api/v1/imports": true}

func isUploadRoute(c *fiber.Ctx) bool {
	if c.Method() != fiber.MethodPost {
		return false
	}
	p := strings.ToLower(c.Path())
	if len(p) > 1 {
		p = strings.TrimRight(p, "/")
	}
	return uploadRoutes[p]
}

// limitBody refuses bodies over the small cap on every route but the
// upload routes, before any of the body is buffered: by Content-Length when
// it is given, by reading at most cap+1 bytes of a chunked body otherwise.
func (s *Server) limitBody(c *fiber.Ctx) error {
	if isUploadRoute(c) {
		return c.Next()
	}
	max := s.cfg.MaxJSONKB << 10
	req := c.Request()
	switch n := req.Header.ContentLength(); {
	case n > max:
		return tooLarge(c, max)
	case n == -1 && req.IsBodyStream():
		// Chunked: the length is known only by reading.
		b, err := io.ReadAll(io.LimitReader(req.BodyStream(), int64(max)+1))
		if err != nil {
			return httpError(fiber.StatusBadRequest, "the request body could not be read")
		}
		if len(b) > max {
			return tooLarge(c, max)
		}
		req.SetBody(b)
		req.Header.SetContentLength(len(b))
	}
	return c.Next()
}

// uploadLimit holds an upload route to STRIKELINE_MAX_UPLOAD_MB. It runs
// after the route's authentication, so an anonymous client is refused
// before a byte of its body is read.
func (s *Server) uploadLimit(c *fiber.Ctx) error {
	max := s.cfg.MaxUploadMB << 20
	switch n := c.Request().Header.ContentLength(); {
	case n > max:
		return tooLarge(c, max)
	case n < 0:
		// Chunked: refused rather than read without a known end; browsers
		// and curl -F always send the length of a form upload.
		c.Response().SetConnectionClose()
		return httpError(fiber.StatusLengthRequired, "send uploads with a Content-Length header")
	}
	return c.Next()
}

// tooLarge answers 413 and closes the connection: the rest of the body is
// never read, so the connection cannot carry another request.
func tooLarge(c *fiber.Ctx, max int) error {
	c.Response().SetConnectionClose()
	return httpError(fiber.StatusRequestEntityTooLarge, "request body too large (the limit is "+byteSize(max)+")")
}

func byteSize(n int) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return itoa(int64(n>>20)) + " MB"
	}
	return itoa(int64(n>>10)) + " KB"
}
