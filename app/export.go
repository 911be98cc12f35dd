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

// colType is how a column's text is typed in a workbook, and whether the
// CSV must neutralise it.
type colType int

const (
	colText   colType = iota // user text (the default): neutralised in CSV, a string cell
	colCode                  // our own vocabulary or a URL we build: never a formula
	colInt                   // a whole number: a number cell
	colNumber                // a decimal number: a number cell
	colDate                  // YYYY-MM-DD: a date cell
	colTime                  // RFC 3339 with an offset: a London date-time cell
)

// exportColumn is one column of the CSV and XLSX downloads: its name and
// its cell as text, in the form the CSV carries (dates YYYY-MM-DD,
// instants RFC 3339 with the London offset, numbers in decimal).
type exportColumn struct {
	Name string
	Get  func(s *Server, r *exportRecord) string
}

// exportColumns is the one column table of the CSV and XLSX downloads;
// append new fields here (and their type to columnFormats) and both formats
// carry them. Dates come in one form per column: start and end are the
// London calendar days (the last day for end), start_time and end_time the
// instants of timed records (empty for all-day ones). docs/formats.md
// lists the columns.
var exportColumns = []exportColumn{
	{"id", func(_ *Server, r *exportRecord) string { return strconv.FormatInt(r.ID, 10) }},
	{"kind", func(_ *Server, r *exportRecord) string { return string(r.Kind) }},
	{"title", func(_ *Server, r *exportRecord) string { return r.Title }},
	{"start", func(_ *Server, r *exportRecord) string { return londonDay(r.StartAt, r.AllDay) }},
	{"end", func(_ *Server, r *exportRecord) string {
		if r.EndAt == nil {
			return ""
		}
		return londonDay(*r.EndAt, r.AllDay)
	}},
	{"start_time", func(_ *Server, r *exportRecord) string {
		if r.AllDay {
			return ""
		}
		return londonTime(r.StartAt)
	}},
	{"end_time", func(_ *Server, r *exportRecord) string {
		if r.AllDay || r.EndAt == nil {
			return ""
		}
		return londonTime(*r.EndAt)
	}},
	{"staff_group", func(_ *Server, r *exportRecord) string { return r.StaffGroup }},
	{"unions", func(_ *Server, r *exportRecord) string { return strings.Join(r.Unions, "; ") }},
	{"dispute_id", func(_ *Server, r *exportRecord) string {
		if r.DisputeID == nil {
			return ""
		}
		return strconv.FormatInt(*r.DisputeID, 10)
	}},
	{"summary", func(_ *Server, r *exportRecord) string { return r.Summary }},
	{"sources", func(_ *Server, r *exportRecord) string {
		urls := make([]string, len(r.Sources))
		for i, src := range r.Sources {
			urls[i] = src.URL
		}
		return strings.Join(urls, " ")
	}},
	{"permalink", func(s *Server, r *exportRecord) string { return s.cfg.BaseURL + eventURL(r.ID) }},
	{"version", func(_ *Server, r *exportRecord) string { return strconv.Itoa(r.Version) }},
	{"updated_at", func(_ *Server, r *exportRecord) string { return londonTime(r.UpdatedAt) }},
}

// columnFormat is how a column is typed and how wide it is in a workbook.
type columnFormat struct {
	Type  colType
	Width float64 // 0 for the default
}

// columnFormats are the columns that are not plain user text, by name, so
// the table of columns can grow without touching the writers: a column
// missing here is text.
var columnFormats = map[string]columnFormat{
	"id": {colInt, 0}, "kind": {colCode, 18}, "title": {colText, 60},
	"start": {colDate, 12}, "end": {colDate, 12}, "start_time": {colTime, 19}, "end_time": {colTime, 19},
	"staff_group": {colCode, 18}, "unions": {colText, 16}, "dispute_id": {colInt, 0}, "summary": {colText, 80},
	"sources": {colText, 40}, "permalink": {colCode, 36}, "version": {colInt, 0}, "updated_at": {colTime, 19},
}

// exportHeader is the header row of the downloads.
func exportHeader() []string {
	h := make([]string, len(exportColumns))
	for i, c := range exportColumns {
		h[i] = c.Name
	}
	return h
}

// exportCells is r in exportHeader order, as text, not yet neutralised.
func (s *Server) exportCells(r *exportRecord) []string {
	out := make([]string, len(exportColumns))
	for i, c := range exportColumns {
		out[i] = c.Get(s, r)
	}
	return out
}

// londonDay is the calendar day a record's date falls on: all-day dates
// are stored as UTC midnights, timed ones are read in London.
func londonDay(t time.Time, allDay bool) string {
	if allDay {
		return t.UTC().Format(time.DateOnly)
	}
	return t.In(models.London).Format(time.DateOnly)
}

// londonTime is an instant in RFC 3339 with the London offset.
func londonTime(t time.Time) string { return t.In(models.London).Format(time.RFC3339) }

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
