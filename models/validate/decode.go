package validate

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Decode reads one JSON object into dst (a pointer to a struct) strictly:
// members dst has no field for are FieldErrors coded unknown_field (a
// misspelt member must not be silently dropped), a value of the wrong type
// is one coded bad_type, and input that is not one well-formed JSON value
// wraps ErrMalformed. Unknown members are found by walking the document
// against dst's type, not by reading the decoder's error text.
func Decode(body []byte, dst any) error {
	if !utf8.Valid(body) {
		return fmt.Errorf("%w: body is not valid UTF-8", ErrMalformed)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	// The decoder refuses unknown members itself, so a valid document
	// costs one pass; only a refused one is walked to learn which members
	// are unknown.
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		// The value is well-formed (the decoder checks the syntax of the
		// whole value before it fills dst).
		var unknown FieldErrors
		unknownMembers(reflect.TypeOf(dst), body, "", &unknown)
		if len(unknown) > 0 {
			return unknown
		}
		var ute *json.UnmarshalTypeError
		if !errors.As(err, &ute) {
			return fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		name := ute.Field
		if name == "" {
			name = "body"
		}
		return FieldErrors{{Field: name, Code: CodeBadType, Message: "must be a " + jsonType(ute.Type)}}
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: trailing data after the JSON object", ErrMalformed)
	}
	return nil
}

// jsonType names a Go type the way a JSON client thinks of it.
func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "list"
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	}
	return "valid value"
}

var unmarshalers = []reflect.Type{reflect.TypeFor[json.Unmarshaler](), reflect.TypeFor[encoding.TextUnmarshaler]()}

// unknownMembers adds a FieldError for every member of raw that type t has
// no field for, recursing into nested objects and lists of them. Types
// that decode themselves (time.Time) are taken as they are.
func unknownMembers(t reflect.Type, raw []byte, path string, out *FieldErrors) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for _, u := range unmarshalers {
		if reflect.PointerTo(t).Implements(u) {
			return
		}
	}
	switch t.Kind() {
	case reflect.Struct:
		var members map[string]json.RawMessage
		if json.Unmarshal(raw, &members) != nil {
			return // null, or not an object: the decoder has judged it
		}
		fields := jsonFields(t)
		names := make([]string, 0, len(members))
		for k := range members {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			ft, ok := matchField(fields, k)
			if !ok {
				*out = append(*out, FieldError{Field: path + k, Code: CodeUnknownField, Message: "unknown field"})
				continue
			}
			unknownMembers(ft, members[k], path+k+".", out)
		}
	case reflect.Slice, reflect.Array:
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return
		}
		parent := strings.TrimSuffix(path, ".")
		for i, item := range items {
			unknownMembers(t.Elem(), item, parent+"["+strconv.Itoa(i)+"].", out)
		}
	}
}

var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

// jsonFields maps the JSON names of t's fields to their types, with the
// fields of embedded structs promoted, as encoding/json does.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := buildFields(t)
	fieldCache.Store(t, m)
	return m
}

func buildFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				for k, v := range jsonFields(et) {
					if _, ok := out[k]; !ok {
						out[k] = v
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// matchField finds the field for a member: the exact name, else one equal
// ignoring case, which encoding/json also accepts.
func matchField(fields map[string]reflect.Type, member string) (reflect.Type, bool) {
	if t, ok := fields[member]; ok {
		return t, true
	}
	for name, t := range fields {
		if strings.EqualFold(name, member) {
			return t, true
		}
	}
	return nil, false
}
