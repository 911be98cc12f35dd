package app

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// testRequest sends req to app with no time limit and returns the
// response with its body read into memory. Every test helper sends
// through here, so every API answer a test sees is also checked against
// the OpenAPI document (checkAgainstOpenAPI).
func testRequest(t testing.TB, app *fiber.App, req *http.Request) *http.Response {
	t.Helper()
	return sendRequest(t, app, req, true)
}

// sendRequest is testRequest; checked false skips the OpenAPI check, for
// a test that adds a route of its own.
func sendRequest(t testing.TB, app *fiber.App, req *http.Request, checked bool) *http.Response {
	t.Helper()
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", req.Method, req.URL, err)
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	if checked {
		checkAgainstOpenAPI(t, req, reqBody, res, body)
	}
	return res
}
