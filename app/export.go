package app

import (
	"strconv"
	"strings"
	"time"

	"github.com/strikeline/strikeline/models"
)

// exportRecord is one record as every download writes it. The downloads
// take a plain list of these, so what the list holds (published versions,
// withdrawn rounds) is decided in one place, filteredRecords, and the
// writers only format.
type exportRecord struct {
	*models.Event
	// Withdrawn marks a record kept in a download only to say it was
	// withdrawn: the calendar writes it STATUS:CANCELLED, the feed as an
	// entry with Note.
	Withdrawn bool
	// Note is the public correction or withdrawal note, if any.
	Note string
}

// colType is how a column's values are typed in each format.
type colType int

const (
	colText colType = iota // user text: neutralised in CSV
	colCode                // our own vocabulary (kinds, staff groups): never a formula
	colInt                 // a whole number: a number cell in XLSX
	colDate                // a calendar date: YYYY-MM-DD in CSV, a date cell in XLSX
	colTime                // an instant: RFC 3339 with the London offset in CSV, a London date-time cell in XLSX
	colURL                 // a link we build
)

// exportColumn is one column of the CSV and XLSX downloads. value returns
// "" (or nil) for an empty cell, a string, an int64 or a time.Time,
// matching the column's type.
type exportColumn struct {
	Name  string
	Type  colType
	Width float64 // XLSX column width; 0 for the default
	value func(s *Server, r *exportRecord) any
}

// exportColumns is the one column table of the CSV and XLSX downloads;
// append new fields here and both formats carry them. Dates come in one
// form per column: start and end are the London calendar days (the last
// day for end), start_time and end_time the instants of timed records
// (empty for all-day ones). docs/formats.md lists the columns.
var exportColumns = []exportColumn{
	{Name: "id", Type: colInt, value: func(_ *Server, r *exportRecord) any { return r.ID }},
	{Name: "kind", Type: colCode, Width: 18, value: func(_ *Server, r *exportRecord) any { return string(r.Kind) }},
	{Name: "title", Type: colText, Width: 60, value: func(_ *Server, r *exportRecord) any { return r.Title }},
	{Name: "start", Type: colDate, Width: 12, value: func(_ *Server, r *exportRecord) any { return londonDay(r.StartAt, r.AllDay) }},
	{Name: "end", Type: colDate, Width: 12, value: func(_ *Server, r *exportRecord) any {
		if r.EndAt == nil {
			return nil
		}
		return londonDay(*r.EndAt, r.AllDay)
	}},
	{Name: "start_time", Type: colTime, Width: 19, value: func(_ *Server, r *exportRecord) any {
		if r.AllDay {
			return nil
		}
		return r.StartAt
	}},
	{Name: "end_time", Type: colTime, Width: 19, value: func(_ *Server, r *exportRecord) any {
		if r.AllDay || r.EndAt == nil {
			return nil
		}
		return *r.EndAt
	}},
	{Name: "staff_group", Type: colCode, Width: 18, value: func(_ *Server, r *exportRecord) any { return r.StaffGroup }},
	{Name: "unions", Type: colText, Width: 16, value: func(_ *Server, r *exportRecord) any { return strings.Join(r.Unions, "; ") }},
	{Name: "dispute_id", Type: colInt, value: func(_ *Server, r *exportRecord) any {
		if r.DisputeID == nil {
			return nil
		}
		return *r.DisputeID
	}},
	{Name: "summary", Type: colText, Width: 80, value: func(_ *Server, r *exportRecord) any { return r.Summary }},
	{Name: "sources", Type: colText, Width: 40, value: func(_ *Server, r *exportRecord) any {
		urls := make([]string, len(r.Sources))
		for i, src := range r.Sources {
			urls[i] = src.URL
		}
		return strings.Join(urls, " ")
	}},
	{Name: "permalink", Type: colURL, Width: 36, value: func(s *Server, r *exportRecord) any { return s.cfg.BaseURL + eventURL(r.ID) }},
	{Name: "version", Type: colInt, value: func(_ *Server, r *exportRecord) any { return int64(r.Version) }},
	{Name: "updated_at", Type: colTime, Width: 19, value: func(_ *Server, r *exportRecord) any { return r.UpdatedAt }},
}

// londonDay is the calendar day a record's date falls on: all-day dates
// are stored as UTC midnights, timed ones are read in London.
func londonDay(t time.Time, allDay bool) time.Time {
	if allDay {
		t = t.UTC()
	} else {
		t = t.In(models.London)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// csvCell is a value as CSV text: dates as YYYY-MM-DD, instants as RFC 3339
// with the London offset, user text neutralised.
func csvCell(c exportColumn, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case int64:
		return strconv.FormatInt(x, 10)
	case time.Time:
		if c.Type == colDate {
			return x.Format(time.DateOnly)
		}
		return x.In(models.London).Format(time.RFC3339)
	case string:
		if c.Type == colText {
			return neutralise(x)
		}
		return x
	}
	return ""
}

// formulaStart reports whether a spreadsheet could read s as a formula:
// after optional blanks, it starts with = + - @ (or a tab, CR or LF that
// some importers drop).
func formulaStart(s string) bool {
	t := strings.TrimLeft(s, " ")
	return t != "" && strings.ContainsRune("=+-@\t\r\n", rune(t[0]))
}

// cellBreaks are where a spreadsheet may start a new cell inside a field:
// the separators programs offer for CSV (comma, semicolon, tab, bar) and
// line breaks. A reader that picks another separator than ours, or that
// does not honour quotes around line breaks, splits a field there.
const cellBreaks = ",;\t|\r\n"

// neutralise stops a spreadsheet from reading user text as a formula
// (OWASP's advice, applied wherever a cell can start): a quote goes in
// front of = + - @ at the start of the text and after any cell break
// (blanks between are skipped), and in front of a leading tab, CR or LF.
// So "x;=1+1" opened with ";" as separator gives the cells "x" and
// "'=1+1", both text. The CSV writer also quotes every text field.
func neutralise(s string) string {
	if s == "" {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 1)
	if strings.IndexByte("\t\r\n", s[0]) >= 0 {
		b.WriteByte('\'')
	}
	atStart := true
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if atStart && ch != ' ' {
			if strings.IndexByte("=+-@", ch) >= 0 {
				b.WriteByte('\'')
			}
			atStart = false
		}
		b.WriteByte(ch)
		if strings.IndexByte(cellBreaks, ch) >= 0 {
			atStart = true
		}
	}
	return b.String()
}

// appendCSVField writes one RFC 4180 field, quoted when quote is set or it
// holds a separator, a quote, a line break or leading or trailing blanks.
func appendCSVField(b []byte, s string, quote bool) []byte {
	if !quote && (s == "" || !strings.ContainsAny(s, cellBreaks+`"`) && s[0] != ' ' && s[len(s)-1] != ' ') {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}

// appendCSVRecord writes one CSV line ending in CRLF (RFC 4180); the
// fields whose quote is set are always quoted (user text, so a reader
// splitting on another separator still sees one field).
func appendCSVRecord(b []byte, fields []string, quote []bool) []byte {
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCSVField(b, f, quote != nil && quote[i] && f != "")
	}
	return append(b, '\r', '\n')
}
