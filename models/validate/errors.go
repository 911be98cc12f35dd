// Package validate holds the rules an event document is checked against:
// the one field table the JSON API, the CSV import and the HTML form share
// (name, label, kinds, limit, required, one line or many), the checks on a
// single value (text, dates, URLs, choices, numbers), strict JSON decoding,
// and FieldError, a problem with a machine code a form can act on. It knows
// nothing of the store; models applies these rules kind by kind.
package validate

import (
	"errors"
	"strings"
)

// Codes name what is wrong with a field, for clients and forms that choose
// their own words; the message stays the API's explanation.
const (
	CodeRequired     = "required"      // empty, and the field must be set
	CodeTooLong      = "too_long"      // more characters than the field holds
	CodeTooMany      = "too_many"      // more entries than the list holds
	CodeControlChar  = "control_char"  // a control character, or a line break in one-line text
	CodeBadUTF8      = "bad_utf8"      // not valid UTF-8
	CodeBadDate      = "bad_date"      // not a date (or date-time) in an accepted form
	CodeBadURL       = "bad_url"       // not an http(s) URL
	CodeBadChoice    = "bad_choice"    // not one of the field's closed list
	CodeBadType      = "bad_type"      // the JSON value has the wrong type
	CodeOutOfRange   = "out_of_range"  // a number or year outside its bounds
	CodeUnknownField = "unknown_field" // a JSON member the document does not have
	CodeWrongKind    = "wrong_kind"    // a field of another kind of record
	CodeInvalid      = "invalid"       // any other rule (a pay year's form, end after start)
)

// AllCodes lists every code, in the order the OpenAPI document gives them
// (a test there keeps the two equal).
var AllCodes = []string{CodeRequired, CodeTooLong, CodeTooMany, CodeControlChar, CodeBadUTF8, CodeBadDate, CodeBadURL,
	CodeBadChoice, CodeBadType, CodeOutOfRange, CodeUnknownField, CodeWrongKind, CodeInvalid}

// FieldError is one problem with one field. Field is the document's name
// for it (title, unions[2], sources[0].url).
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// FieldErrors is a list of problems returned as one error.
type FieldErrors []FieldError

func (l FieldErrors) Error() string {
	parts := make([]string, len(l))
	for i := range l {
		parts[i] = l[i].Error()
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// ErrMalformed marks input that is not well-formed JSON (a 400, not a 422).
var ErrMalformed = errors.New("malformed JSON")

func fieldErr(field, code, msg string) *FieldError {
	return &FieldError{Field: field, Code: code, Message: msg}
}
