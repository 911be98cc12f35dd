package app

import (
	"strings"

	"github.com/strikeline/strikeline/importers/events"
	"github.com/strikeline/strikeline/models"
)

// exportRecord is one record as every download writes it. The downloads
// take a plain list of these, so what the list holds (published versions,
// withdrawn rounds) is decided in one place, filteredRecords, and the
// writers only format; the CSV, XLSX and JSON downloads turn them into
// the column table's records (downloadRows).
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

// columnFormat is how a column is typed and how wide it is in a workbook.
type columnFormat struct {
	Type  colType
	Width float64 // 0 for the default
}

// columnFormats type and size the columns of importers/events.Columns by
// name, so the column table can grow without touching the writers: a
// column missing here is text. Dates come in one form per column: start
// and end are London calendar days, start_time, end_time and updated_at
// instants with an offset.
var columnFormats = map[string]columnFormat{
	"id": {colInt, 0}, "kind": {colCode, 18}, "title": {colText, 60},
	"start": {colDate, 12}, "end": {colDate, 12}, "start_time": {colTime, 19}, "end_time": {colTime, 19},
	"staff_group": {colCode, 18}, "unions": {colText, 16}, "dispute_id": {colInt, 0}, "summary": {colText, 80},
	"sources": {colText, 80}, "permalink": {colCode, 36}, "version": {colInt, 0}, "updated_at": {colTime, 19},
	"key": {colCode, 0}, "dispute_key": {colCode, 0}, "round_number": {colInt, 0},
	"headline_pct": {colNumber, 0}, "average_pct": {colNumber, 0}, "turnout_pct": {colNumber, 0}, "yes_pct": {colNumber, 0},
	"effective_date": {colDate, 12}, "impact_window_start": {colDate, 12}, "impact_window_end": {colDate, 12},
	"notes": {colText, 60}, "figures": {colText, 40},
}

// exportHeader is the header row of the CSV and XLSX downloads: the one
// column table, importers/events.Columns, which the event import also
// reads, so a download re-imports losslessly.
func exportHeader() []string { return events.Header() }

// exportCells is r in exportHeader order, as text in the CSV's form, not
// yet neutralised.
func exportCells(r *events.Record) []string { return events.Cells(r) }

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
		b = appendCSVField(b, f, i < len(quote) && quote[i] && f != "")
	}
	return append(b, '\r', '\n')
}
