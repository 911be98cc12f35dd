package events

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/strikeline/strikeline/models"
)

// Record is one timeline record as a download row carries it: the public
// document plus the stable keys that let a file name records and disputes
// across databases, and the read-only link back to the record.
type Record struct {
	models.EventDoc
	Key        string
	DisputeKey string
	Permalink  string
}

// Column is one column of Strikeline's own CSV, XLSX and JSON layout. The
// downloads write Get and the importer reads with Set, from this one table,
// so the two cannot drift apart.
type Column struct {
	Name string
	Get  func(r *Record) string
	// Set parses a cell into r; nil marks a read-only column, which an
	// import ignores. An empty cell clears the field.
	Set func(r *Record, cell string) error
}

// Columns is the download and import layout, in download order: the
// twelve columns downloads had before imports existed come first, in their
// old order, so existing spreadsheets keep working.
var Columns = []Column{
	{"id", func(r *Record) string { return itoa64(r.ID) }, nil},
	{"kind", func(r *Record) string { return string(r.Kind) }, func(r *Record, s string) error { r.Kind = models.Kind(s); return nil }},
	{"title", func(r *Record) string { return r.Title }, func(r *Record, s string) error { r.Title = s; return nil }},
	// start and end are London calendar days, one form per column; a
	// timed record's instants are in start_time and end_time (read back
	// by the importer, where the instant wins).
	{"start", func(r *Record) string { return day(r.Start) }, func(r *Record, s string) error { return setWhen(&r.Start, s) }},
	{"end", func(r *Record) string { return day(r.End) }, func(r *Record, s string) error { return setWhen(&r.End, s) }},
	{"staff_group", func(r *Record) string { return r.StaffGroup }, func(r *Record, s string) error { r.StaffGroup = s; return nil }},
	{"unions", func(r *Record) string { return joinList(r.Unions) }, func(r *Record, s string) error { return setList(&r.Unions, s) }},
	{"dispute_id", func(r *Record) string { return itoaPtr(r.DisputeID) }, func(r *Record, s string) error { return setInt64(&r.DisputeID, s) }},
	{"summary", func(r *Record) string { return r.Summary }, func(r *Record, s string) error { r.Summary = s; return nil }},
	{"sources", func(r *Record) string { return formatSources(r.Sources) }, func(r *Record, s string) error { return parseSources(&r.Sources, s) }},
	{"permalink", func(r *Record) string { return r.Permalink }, nil},
	{"updated_at", func(r *Record) string {
		if r.UpdatedAt == nil {
			return ""
		}
		return r.UpdatedAt.UTC().Format(time.RFC3339)
	}, nil},
	{"key", func(r *Record) string { return r.Key }, func(r *Record, s string) error { r.Key = s; return nil }},
	{"dispute_key", func(r *Record) string { return r.DisputeKey }, func(r *Record, s string) error { r.DisputeKey = s; return nil }},
	{"nation", func(r *Record) string { return r.Nation }, func(r *Record, s string) error { r.Nation = s; return nil }},
	{"status", func(r *Record) string { return r.Status }, func(r *Record, s string) error { r.Status = s; return nil }},
	{"parties", func(r *Record) string { return joinList(r.Parties) }, func(r *Record, s string) error { return setList(&r.Parties, s) }},
	{"round_number", func(r *Record) string { return itoaIntPtr(r.RoundNumber) }, func(r *Record, s string) error { return setInt(&r.RoundNumber, s) }},
	{"action_type", func(r *Record) string { return r.ActionType }, func(r *Record, s string) error { r.ActionType = s; return nil }},
	{"scope", func(r *Record) string { return joinList(r.Scope) }, func(r *Record, s string) error { return setList(&r.Scope, s) }},
	{"figures", func(r *Record) string { return formatFigures(r.Figures) }, func(r *Record, s string) error { return parseFigures(&r.Figures, s) }},
	{"pay_year", func(r *Record) string { return r.PayYear }, func(r *Record, s string) error { r.PayYear = s; return nil }},
	{"headline_pct", func(r *Record) string { return ftoaPtr(r.HeadlinePct) }, func(r *Record, s string) error { return setFloat(&r.HeadlinePct, s) }},
	{"average_pct", func(r *Record) string { return ftoaPtr(r.AveragePct) }, func(r *Record, s string) error { return setFloat(&r.AveragePct, s) }},
	{"lump_sum", func(r *Record) string { return r.LumpSum }, func(r *Record, s string) error { r.LumpSum = s; return nil }},
	{"outcome", func(r *Record) string { return r.Outcome }, func(r *Record, s string) error { r.Outcome = s; return nil }},
	{"effective_date", func(r *Record) string { return r.EffectiveDate }, func(r *Record, s string) error { return setDate(&r.EffectiveDate, s) }},
	{"body", func(r *Record) string { return r.Body }, func(r *Record, s string) error { r.Body = s; return nil }},
	{"instrument", func(r *Record) string { return r.Instrument }, func(r *Record, s string) error { r.Instrument = s; return nil }},
	{"what_changes", func(r *Record) string { return r.WhatChanges }, func(r *Record, s string) error { r.WhatChanges = s; return nil }},
	{"affects", func(r *Record) string { return r.Affects }, func(r *Record, s string) error { r.Affects = s; return nil }},
	{"milestone_type", func(r *Record) string { return r.MilestoneType }, func(r *Record, s string) error { r.MilestoneType = s; return nil }},
	{"turnout_pct", func(r *Record) string { return ftoaPtr(r.TurnoutPct) }, func(r *Record, s string) error { return setFloat(&r.TurnoutPct, s) }},
	{"yes_pct", func(r *Record) string { return ftoaPtr(r.YesPct) }, func(r *Record, s string) error { return setFloat(&r.YesPct, s) }},
	{"impact_window_start", func(r *Record) string { return r.ImpactWindowStart }, func(r *Record, s string) error { return setDate(&r.ImpactWindowStart, s) }},
	{"impact_window_end", func(r *Record) string { return r.ImpactWindowEnd }, func(r *Record, s string) error { return setDate(&r.ImpactWindowEnd, s) }},
	{"impact_scope", func(r *Record) string { return joinList(r.ImpactScope) }, func(r *Record, s string) error { return setList(&r.ImpactScope, s) }},
	{"impact_metrics", func(r *Record) string { return joinList(r.ImpactMetrics) }, func(r *Record, s string) error { return setList(&r.ImpactMetrics, s) }},
	{"notes", func(r *Record) string { return r.Notes }, func(r *Record, s string) error { r.Notes = s; return nil }},
	// Read by the importer ahead of start and end (parse.go); read-only here.
	{"start_time", func(r *Record) string { return instant(r.Start) }, nil},
	{"end_time", func(r *Record) string { return instant(r.End) }, nil},
	{"version", func(r *Record) string { return itoaIntPtr(&r.Version) }, nil},
}

// day is the calendar day of a document date: a date as it is, the date
// part of a time (which the document writes in London time).
func day(when string) string {
	if len(when) > len(time.DateOnly) {
		return when[:len(time.DateOnly)]
	}
	return when
}

// instant is a document time (RFC 3339 with its offset), or "" for a date.
func instant(when string) string {
	if len(when) > len(time.DateOnly) {
		return when
	}
	return ""
}

// readOnly are names a file may carry (our downloads, the JSON API) that
// describe a stored record rather than its content; an import ignores them
// without comment.
var readOnly = map[string]bool{"url": true, "is_seed": true, "version": true, "created_by": true, "updated_by": true,
	"created_at": true, "deleted": true}

// Header is the first row of a CSV or XLSX download.
func Header() []string {
	h := make([]string, len(Columns))
	for i, c := range Columns {
		h[i] = c.Name
	}
	return h
}

// Cells is r in Header order, not yet neutralised for spreadsheets.
func Cells(r *Record) []string {
	out := make([]string, len(Columns))
	for i, c := range Columns {
		out[i] = c.Get(r)
	}
	return out
}

func columnByName(name string) (Column, bool) {
	for _, c := range Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// cellError is a cell that cannot be read; the importer reports it with
// the row's line, the column and the value.
type cellError struct{ reason string }

func (e *cellError) Error() string { return e.reason }

func itoa64(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

func itoaPtr(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

func itoaIntPtr(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

func ftoaPtr(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

func setInt64(dst **int64, s string) error {
	if s == "" {
		*dst = nil
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return &cellError{"must be a whole number"}
	}
	*dst = &n
	return nil
}

func setInt(dst **int, s string) error {
	if s == "" {
		*dst = nil
		return nil
	}
	f, err := strconv.ParseFloat(s, 64) // spreadsheets may write 12 as 12.0
	if err != nil || f != float64(int(f)) {
		return &cellError{"must be a whole number"}
	}
	n := int(f)
	*dst = &n
	return nil
}

func setFloat(dst **float64, s string) error {
	if s == "" {
		*dst = nil
		return nil
	}
	f, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil {
		return &cellError{"must be a number"}
	}
	*dst = &f
	return nil
}

// joinList writes a list as "a; b"; setList also reads a JSON array.
func joinList(l []string) string { return strings.Join(l, "; ") }

func setList(dst *[]string, s string) error {
	*dst = nil
	if strings.HasPrefix(s, "[") {
		if err := json.Unmarshal([]byte(s), dst); err != nil {
			return &cellError{"must be a list separated by semicolons, or a JSON array of strings"}
		}
		return nil
	}
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' }) {
		if p = strings.TrimSpace(p); p != "" {
			*dst = append(*dst, p)
		}
	}
	return nil
}

// Dates: our downloads write 2025-07-25 or RFC 3339; spreadsheets re-saving
// a file may turn them into these layouts, all read as London time.
var whenLayouts = []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "02/01/2006 15:04:05", "02/01/2006 15:04"}

func setWhen(dst *string, s string) error {
	*dst = ""
	if s == "" {
		return nil
	}
	for _, l := range []string{time.DateOnly, time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if _, err := time.Parse(l, s); err == nil {
			*dst = s
			return nil
		}
	}
	if t, err := time.Parse("02/01/2006", s); err == nil {
		*dst = t.Format(time.DateOnly)
		return nil
	}
	for _, l := range whenLayouts {
		if t, err := time.ParseInLocation(l, s, models.London); err == nil {
			*dst = t.Format(time.RFC3339)
			return nil
		}
	}
	return &cellError{"must be a date (2025-07-25 or 25/07/2025) or a date-time (2025-07-25T07:00:00+01:00)"}
}

func setDate(dst *string, s string) error {
	*dst = ""
	if s == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		*dst = s
		return nil
	}
	if t, err := time.Parse("02/01/2006", s); err == nil {
		*dst = t.Format(time.DateOnly)
		return nil
	}
	return &cellError{"must be a date like 2025-07-25"}
}

// Sources and figures: one per line, fields separated by " | ", which a
// person can read and edit in a spreadsheet. When a field itself holds a
// "|" or a line break the cell is a JSON array instead, so nothing is lost.
const sep = " | "

func formatSources(ss []models.Source) string {
	rows := make([][]string, len(ss))
	for i, s := range ss {
		rows[i] = []string{s.URL, s.Title, s.Publisher, s.PublishedOn}
	}
	return formatRows(rows, ss)
}

func parseSources(dst *[]models.Source, s string) error {
	*dst = nil
	return parseRows(s, dst, "sources", func(line string) error {
		if !strings.Contains(line, "|") {
			// A bare list of URLs (older downloads): one source each.
			for _, u := range strings.Fields(line) {
				*dst = append(*dst, models.Source{URL: u})
			}
			return nil
		}
		f := splitRow(line, 4)
		*dst = append(*dst, models.Source{URL: f[0], Title: f[1], Publisher: f[2], PublishedOn: f[3]})
		return nil
	})
}

func formatFigures(fs []models.Figure) string {
	rows := make([][]string, len(fs))
	for i, f := range fs {
		rows[i] = []string{f.Metric, strconv.FormatFloat(f.Value, 'f', -1, 64), f.SourceURL, f.Note}
	}
	return formatRows(rows, fs)
}

func parseFigures(dst *[]models.Figure, s string) error {
	*dst = nil
	return parseRows(s, dst, "figures", func(line string) error {
		f := splitRow(line, 4)
		v, err := strconv.ParseFloat(strings.ReplaceAll(f[1], ",", ""), 64)
		if err != nil {
			return &cellError{fmt.Sprintf("figure %q: the value must be a number (metric | value | source URL | note)", line)}
		}
		*dst = append(*dst, models.Figure{Metric: f[0], Value: v, SourceURL: f[2], Note: f[3]})
		return nil
	})
}

// formatRows writes rows one per line, or list as JSON when a field would
// not survive the line format.
func formatRows(rows [][]string, list any) string {
	if needsJSON(rows) {
		b, _ := json.Marshal(list)
		return string(b)
	}
	return joinRows(rows)
}

// parseRows reads a JSON array into dst, or hands each non-empty line to
// line.
func parseRows(s string, dst any, what string, line func(string) error) error {
	if strings.HasPrefix(s, "[") {
		if err := json.Unmarshal([]byte(s), dst); err != nil {
			return &cellError{"is not a valid JSON list of " + what}
		}
		return nil
	}
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		if err := line(l); err != nil {
			return err
		}
	}
	return nil
}

func needsJSON(rows [][]string) bool {
	for _, r := range rows {
		for _, f := range r {
			if strings.ContainsAny(f, "|\n\r") || f != strings.TrimSpace(f) {
				return true
			}
		}
	}
	return false
}

// joinRows drops trailing empty fields, so "url" stays a bare URL.
func joinRows(rows [][]string) string {
	lines := make([]string, len(rows))
	for i, r := range rows {
		n := len(r)
		for n > 1 && r[n-1] == "" {
			n--
		}
		lines[i] = strings.Join(r[:n], sep)
	}
	return strings.Join(lines, "\n")
}

func splitRow(line string, n int) []string {
	parts := strings.SplitN(line, "|", n)
	out := make([]string, n)
	for i := range parts {
		out[i] = strings.TrimSpace(parts[i])
	}
	return out
}
