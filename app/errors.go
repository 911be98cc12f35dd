package app

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// Error is an error with a status code and a message safe to show to the
// client; the cause is logged, never sent.
type Error struct {
	Status int
	Msg    string
	Fields map[string]string
	// Codes is each field's machine code (models/validate's Code…), for a
	// 422 from the store's validation.
	Codes map[string]string
	Cause error
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return e.Msg + ": " + e.Cause.Error()
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Cause }

// httpError builds an Error.
func httpError(status int, msg string) *Error { return &Error{Status: status, Msg: msg} }

// unavailable is the 503 for a store error where the answer depends on
// the database (authentication): a failing database must not look like a
// wrong credential, which would log browser users out.
func unavailable(err error) *Error {
	return &Error{Status: fiber.StatusServiceUnavailable, Msg: "the database is unavailable; try again shortly", Cause: err}
}

// classify maps any error to the status and safe message the client sees.
func classify(err error) *Error {
	var ae *Error
	var ve *models.ValidationError
	var fe *fiber.Error
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &ve):
		codes := map[string]string{}
		for f := range ve.Fields {
			codes[f] = ve.Code(f)
		}
		return &Error{Status: fiber.StatusUnprocessableEntity, Msg: "validation failed", Fields: ve.Fields, Codes: codes}
	case errors.Is(err, models.ErrNotFound):
		return &Error{Status: fiber.StatusNotFound, Msg: "not found"}
	case errors.Is(err, models.ErrMalformed):
		return &Error{Status: fiber.StatusBadRequest, Msg: safeMalformed(err)}
	case errors.Is(err, models.ErrStale):
		return &Error{Status: fiber.StatusPreconditionFailed, Msg: models.ErrStale.Error()}
	case errors.Is(err, models.ErrNothingToPublish), errors.Is(err, models.ErrNotPublished), errors.Is(err, models.ErrPublished):
		return &Error{Status: fiber.StatusConflict, Msg: err.Error()}
	case errors.Is(err, models.ErrConflict):
		return &Error{Status: fiber.StatusConflict, Msg: models.ErrConflict.Error()}
	case errors.Is(err, models.ErrDuplicate):
		return &Error{Status: fiber.StatusConflict, Msg: "already exists"}
	case errors.Is(err, models.ErrUnauthorized):
		return &Error{Status: fiber.StatusUnauthorized, Msg: "authentication required"}
	case errors.As(err, &fe):
		return &Error{Status: fe.Code, Msg: fe.Message}
	case models.IsUnavailable(err):
		return &Error{Status: fiber.StatusServiceUnavailable, Msg: "the database is unavailable; try again shortly", Cause: err}
	}
	return &Error{Status: fiber.StatusInternalServerError, Msg: "internal error", Cause: err}
}

// safeMalformed keeps the JSON decoder's position message (useful to the
// client, and free of server internals).
func safeMalformed(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, models.ErrMalformed.Error()); i >= 0 {
		return msg[i:]
	}
	return models.ErrMalformed.Error()
}

// errorHandler is the one place errors become responses: JSON under /api,
// a plain page elsewhere. 5xx causes are logged with the request id.
func errorHandler(log *slog.Logger, renderPage func(c *fiber.Ctx, e *Error) error) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		e := classify(err)
		if e.Status == fiber.StatusInternalServerError && errors.Is(c.UserContext().Err(), context.DeadlineExceeded) {
			// The request ran out of time (STRIKELINE_REQUEST_TIMEOUT) and
			// the cut-off work failed, however the driver words it: the
			// server is overloaded, not broken.
			e = &Error{Status: fiber.StatusServiceUnavailable, Msg: "the server is busy; try again shortly", Cause: err}
		}
		if e.Status >= 500 {
			log.Error("request failed", "status", e.Status, "method", c.Method(), "path", c.Path(),
				"request_id", c.Locals("requestid"), "err", err)
		}
		if e.Status == fiber.StatusServiceUnavailable && c.Response().Header.Peek(fiber.HeaderRetryAfter) == nil {
			c.Set(fiber.HeaderRetryAfter, "5")
		}
		if n := c.Request().Header.ContentLength(); n > 8<<10 || n == -1 {
			// The body may be unread (streamed, refused before reading):
			// the connection cannot carry another request.
			c.Response().SetConnectionClose()
		}
		if wantsJSON(c) || renderPage == nil {
			return c.Status(e.Status).JSON(errorBody{Error: e.Msg, Fields: e.Fields, Codes: e.Codes})
		}
		return renderPage(c, e)
	}
}

// errorBody is an error answer under /api (the Error schema): error first,
// so a client reading the start of the body sees what went wrong.
type errorBody struct {
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields,omitempty"`
	Codes  map[string]string `json:"codes,omitempty"`
}

func wantsJSON(c *fiber.Ctx) bool {
	return strings.HasPrefix(c.Path(), "/api/") || strings.Contains(c.Get(fiber.HeaderAccept), fiber.MIMEApplicationJSON)
}
