package validate

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Text checks a free-text value of f under the error name name (f.Name,
// or an indexed name such as unions[2]) and returns it cleaned.
func (f Field) Text(name, s string) (string, *FieldError) {
	if name == "" {
		name = f.Name
	}
	return CleanText(name, s, f.Max, f.Required, f.Multiline)
}

// CleanText validates one free-text value: valid UTF-8, at most max
// characters after trimming, and no control characters. Only multiline
// text may hold line breaks and tabs, and its CRLF (what a browser's
// textarea sends) is stored as LF; a lone CR is refused everywhere, since
// calendar and CSV readers that split on CR would see a forged line.
// One-line text (titles, names, notes on figures) has no tab and no line
// or paragraph separator either.
func CleanText(name, s string, max int, required, multiline bool) (string, *FieldError) {
	if !utf8.ValidString(s) {
		return "", fieldErr(name, CodeBadUTF8, "must be valid UTF-8")
	}
	if multiline {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	s = strings.TrimSpace(s)
	if required && s == "" {
		return s, fieldErr(name, CodeRequired, "is required")
	}
	if utf8.RuneCountInString(s) > max {
		return s, fieldErr(name, CodeTooLong, fmt.Sprintf("must be at most %d characters", max))
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			if multiline {
				return s, fieldErr(name, CodeControlChar, "must not contain control characters (line breaks and tabs are allowed)")
			}
			return s, fieldErr(name, CodeControlChar, "must be one line without control characters (no tabs or line breaks)")
		}
	}
	return s, nil
}

// URL checks an http(s) address of at most max characters.
func URL(name, raw string, max int) *FieldError {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return fieldErr(name, CodeRequired, "is required")
	}
	if utf8.RuneCountInString(raw) > max {
		return fieldErr(name, CodeTooLong, fmt.Sprintf("must be at most %d characters", max))
	}
	for _, r := range raw {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return fieldErr(name, CodeBadURL, "must be an http(s) URL without spaces or control characters")
		}
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fieldErr(name, CodeBadURL, "must be an http(s) URL")
	}
	return nil
}

// Choice checks s against a closed list; an empty s is an error only when
// required. The message lists the choices, since an API client has no
// select to read them from.
func Choice(name, s string, allowed []string, required bool) *FieldError {
	if s == "" {
		if required {
			return fieldErr(name, CodeRequired, "is required (one of "+strings.Join(allowed, ", ")+")")
		}
		return nil
	}
	for _, a := range allowed {
		if a == s {
			return nil
		}
	}
	return fieldErr(name, CodeBadChoice, "must be one of "+strings.Join(allowed, ", "))
}

// Range checks that a number set by the client lies in [lo, hi]; nil (not
// given) passes.
func Range(name string, p *float64, lo, hi float64) *FieldError {
	if p == nil {
		return nil
	}
	if math.IsNaN(*p) || *p < lo || *p > hi {
		return fieldErr(name, CodeOutOfRange, fmt.Sprintf("must be between %g and %g", lo, hi))
	}
	return nil
}

// Years a date may fall in: wide enough for history and plans, narrow
// enough that a typo (20255) is caught.
const (
	minYear = 1900
	maxYear = 2200
)

// Date parses a calendar date (2025-07-25); example is the date the
// message shows. A bounded date must fall between 1900 and 2200.
func Date(name, s, example string, bounded bool) (time.Time, *FieldError) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || bounded && (t.Year() < minYear || t.Year() > maxYear) {
		return time.Time{}, fieldErr(name, CodeBadDate, "must be a date like "+example)
	}
	return t, nil
}

// When parses a record's start or end: a date (2025-07-25, all day) or an
// RFC 3339 date-time, where a date-time without an offset is read in loc
// (London). Instants come back in UTC.
func When(name, s string, loc *time.Location) (t time.Time, allDay bool, fe *FieldError) {
	s = strings.TrimSpace(s)
	year := func(t time.Time, allDay bool) (time.Time, bool, *FieldError) {
		if t.Year() < minYear || t.Year() > maxYear {
			return t, allDay, fieldErr(name, CodeOutOfRange, "must be a year between 1900 and 2200")
		}
		if !allDay {
			t = t.UTC()
		}
		return t, allDay, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return year(t, true)
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return year(t, false)
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return year(t, false)
		}
	}
	return time.Time{}, false, fieldErr(name, CodeBadDate, "must be a date (2025-07-25) or date-time (2025-07-25T07:00:00+01:00)")
}
