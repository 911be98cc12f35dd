package models

import (
	"errors"
	"slices"
	"strings"

	"github.com/strikeline/strikeline/models/validate"
)

// ValidationError lists field problems; the API answers it with 422.
// Fields is each field's message and Codes its machine code
// (validate.Code…) where the check that failed gave one.
type ValidationError struct {
	Fields map[string]string
	Codes  map[string]string
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for k, v := range e.Fields {
		parts = append(parts, k+": "+v)
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// add records msg for field with no code (validate.CodeInvalid).
func (e *ValidationError) add(field, msg string) { e.Add(field, "", msg) }

// Add records a problem with its code; the first one for a field wins.
func (e *ValidationError) Add(field, code, msg string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if _, ok := e.Fields[field]; ok {
		return
	}
	e.Fields[field] = msg
	if code != "" {
		if e.Codes == nil {
			e.Codes = map[string]string{}
		}
		e.Codes[field] = code
	}
}

// put records a FieldError from validate (nil: nothing to record).
func (e *ValidationError) put(fe *validate.FieldError) {
	if fe != nil {
		e.Add(fe.Field, fe.Code, fe.Message)
	}
}

// Code is field's machine code: validate.CodeInvalid when the check gave
// none, "" when the field has no problem.
func (e *ValidationError) Code(field string) string {
	if _, ok := e.Fields[field]; !ok {
		return ""
	}
	if c := e.Codes[field]; c != "" {
		return c
	}
	return validate.CodeInvalid
}

// FieldErrors lists the problems sorted by field, each with its code.
func (e *ValidationError) FieldErrors() []validate.FieldError {
	out := make([]validate.FieldError, 0, len(e.Fields))
	for f, m := range e.Fields {
		out = append(out, validate.FieldError{Field: f, Code: e.Code(f), Message: m})
	}
	slices.SortFunc(out, func(a, b validate.FieldError) int { return strings.Compare(a.Field, b.Field) })
	return out
}

// AsValidationError turns validate's FieldErrors into a ValidationError
// (other errors come back as they are).
func AsValidationError(err error) error {
	var l validate.FieldErrors
	if !errors.As(err, &l) {
		return err
	}
	v := &ValidationError{}
	for i := range l {
		v.put(&l[i])
	}
	return v.orNil()
}

func (e *ValidationError) orNil() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// ErrMalformed marks input that is not well-formed JSON (400, not 422).
var ErrMalformed = validate.ErrMalformed
