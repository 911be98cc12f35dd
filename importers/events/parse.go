// Package events reads timeline records for bulk import: CSV, XLSX and
// JSON in the layout of Strikeline's own downloads (Columns, shared with
// the downloads), and CSV or XLSX made from the TimelineJS spreadsheet
// template. It only parses: each row becomes a models.ImportRow, and the
// store matches, validates and writes them in one transaction.
package events

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/strikeline/strikeline/models"
)

// Layouts a file can have.
const (
	LayoutStrikeline = "strikeline"
	LayoutTimelineJS = "timelinejs"
)

// MaxFileBytes bounds what one import reads into memory.
const MaxFileBytes = 16 << 20

// MaxRows bounds the records of one file.
const MaxRows = 20000

// File is a parsed import file.
type File struct {
	Name   string
	Format string // csv, xlsx, json
	Layout string
	// Encoding of a CSV: "UTF-8", "UTF-8 with BOM" or "Windows-1252".
	Encoding string
	// Unit is what Line counts: "line" for CSV and XLSX (the header is line
	// 1), "item" for JSON.
	Unit string
	Rows []Row
	// Skipped are rows that are not records (a TimelineJS title slide or
	// era), with why.
	Skipped []Problem
	// Ignored lists columns the import did not use, and why.
	Ignored []string
}

// Row is one record of a file.
type Row struct {
	Line  int
	cells map[string]string // Strikeline column -> cell
	// from maps a Strikeline column to the file's own column(s) it was made
	// from, for reports on TimelineJS files.
	from map[string]string
}

// Problem is a bad cell or row: line, column, value and reason.
type Problem struct {
	Line   int
	Column string
	Value  string
	Reason string
}

// ErrFormat is a file that cannot be read at all (not a row problem);
// every such error is a *FormatError.
var ErrFormat = errors.New("unreadable import file")

// FormatError says why a file cannot be read at all, in words for the
// person who sent it (Reason); it is ErrFormat.
type FormatError struct{ Reason string }

func (e *FormatError) Error() string        { return ErrFormat.Error() + ": " + e.Reason }
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

func formatError(format string, args ...any) error {
	return &FormatError{Reason: fmt.Sprintf(format, args...)}
}

// Parse reads one file; name's extension picks the format (.csv, .xlsx,
// .json), falling back to sniffing the content.
func Parse(name string, r io.Reader) (*File, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > MaxFileBytes {
		return nil, formatError("%s is larger than %d MB", name, MaxFileBytes>>20)
	}
	f := &File{Name: name, Unit: "line"}
	var table [][]string
	switch format(name, data) {
	case "json":
		f.Format, f.Layout, f.Unit = "json", LayoutStrikeline, "item"
		if err := f.readJSON(data); err != nil {
			return nil, err
		}
		return f, nil
	case "xlsx":
		f.Format = "xlsx"
		table, err = readXLSX(data)
	default:
		f.Format = "csv"
		table, f.Encoding, err = readCSV(data)
	}
	if err != nil {
		return nil, formatError("%s: %v", name, err)
	}
	if err := f.readTable(table); err != nil {
		return nil, err
	}
	return f, nil
}

func format(name string, data []byte) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return "json"
	case ".xlsx":
		return "xlsx"
	case ".csv", ".txt":
		return "csv"
	}
	switch t := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf"); {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return "xlsx"
	case len(t) > 0 && (t[0] == '{' || t[0] == '['):
		return "json"
	}
	return "csv"
}

// readCSV decodes UTF-8 (with or without the BOM Excel writes) or, when the
// bytes are not UTF-8, Windows-1252 (Excel's "CSV" on Windows), and reads a
// comma- or semicolon-separated table.
func readCSV(data []byte) ([][]string, string, error) {
	enc := "UTF-8"
	if b, ok := bytes.CutPrefix(data, []byte("\xef\xbb\xbf")); ok {
		data, enc = b, "UTF-8 with BOM"
	}
	if !utf8.Valid(data) {
		d, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return nil, "", err
		}
		data, enc = d, "Windows-1252"
	}
	first, _, _ := bufio.NewReader(bytes.NewReader(data)).ReadLine()
	cr := csv.NewReader(bytes.NewReader(data))
	if !bytes.Contains(first, []byte(",")) && bytes.Contains(first, []byte(";")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	var out [][]string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, "", err
		}
		if len(out) > MaxRows+1 {
			return nil, "", fmt.Errorf("more than %d rows", MaxRows)
		}
		out = append(out, rec)
	}
	return out, enc, nil
}

// readXLSX reads the first sheet. Untrusted workbooks: the unzip limits
// are kept small.
func readXLSX(data []byte) ([][]string, error) {
	x, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 32 << 20})
	if err != nil {
		return nil, err
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("the workbook has no sheet")
	}
	rows, err := x.Rows(sheets[0])
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			return nil, err
		}
		if len(out) > MaxRows+1 {
			return nil, fmt.Errorf("more than %d rows", MaxRows)
		}
		out = append(out, cols)
	}
	return out, rows.Error()
}

// cellBreaks are where a spreadsheet may start a new cell inside a field;
// a download quotes = + - @ after any of them, not only at the start.
const cellBreaks = ",;\t|\r\n"

// unneutralise undoes the quote a download puts before text a spreadsheet
// would read as a formula: before a leading tab, CR or LF, and before
// = + - @ at the start of the cell or after a cell break (blanks between).
func unneutralise(s string) string {
	if !strings.Contains(s, "'") {
		return s
	}
	var b strings.Builder
	i := 0
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte("\t\r\n", s[1]) >= 0 {
		i = 1
	}
	atStart := true
	for ; i < len(s); i++ {
		ch := s[i]
		if atStart && ch != ' ' {
			atStart = false
			if ch == '\'' && i+1 < len(s) && strings.IndexByte("=+-@", s[i+1]) >= 0 {
				continue
			}
		}
		b.WriteByte(ch)
		if strings.IndexByte(cellBreaks, ch) >= 0 {
			atStart = true
		}
	}
	return b.String()
}

func clean(s string) string { return strings.TrimSpace(unneutralise(s)) }

// TimelineJS spreadsheet template columns (timeline.knightlab.com).
var tljsColumns = []string{"year", "month", "day", "time", "end year", "end month", "end day", "end time", "display date",
	"headline", "text", "media", "media credit", "media caption", "media thumbnail", "type", "group", "background"}

func (f *File) readTable(table [][]string) error {
	// Blank rows above the header (a title line) are skipped.
	h := 0
	for h < len(table) && isBlank(table[h]) {
		h++
	}
	if h == len(table) {
		return formatError("%s has no header row", f.Name)
	}
	header := make([]string, len(table[h]))
	index := map[string]int{}
	for i, c := range table[h] {
		header[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(c, "\ufeff")))
		if _, dup := index[header[i]]; !dup && header[i] != "" {
			index[header[i]] = i
		}
	}
	_, hasYear := index["year"]
	_, hasHeadline := index["headline"]
	if hasYear && hasHeadline {
		f.Layout = LayoutTimelineJS
	} else {
		f.Layout = LayoutStrikeline
		var missing []string
		for _, need := range []string{"kind", "title", "start", "sources"} {
			if _, ok := index[need]; !ok {
				missing = append(missing, need)
			}
		}
		if len(missing) > 0 {
			return formatError("%s: the header (line %d) lacks the column(s) %s; Strikeline files need at least kind, title, start and sources, and TimelineJS sheets Year and Headline", f.Name, h+1, strings.Join(missing, ", "))
		}
	}
	f.Ignored = f.ignoredColumns(table[h])
	for i := h + 1; i < len(table); i++ {
		if isBlank(table[i]) {
			continue
		}
		cell := func(name string) (string, bool) {
			j, ok := index[name]
			if !ok {
				return "", false
			}
			if j >= len(table[i]) {
				return "", true
			}
			return clean(table[i][j]), true
		}
		row := Row{Line: i + 1, cells: map[string]string{}, from: map[string]string{}}
		for _, c := range Columns {
			if v, ok := cell(c.Name); ok && c.Set != nil {
				row.cells[c.Name] = v
			}
		}
		// Downloads that give the London day in start/end and the instant
		// of a timed record in start_time/end_time: the instant wins.
		for _, p := range [][2]string{{"start_time", "start"}, {"end_time", "end"}} {
			if v, _ := cell(p[0]); v != "" {
				row.cells[p[1]], row.from[p[1]] = v, p[0]
			}
		}
		if f.Layout == LayoutTimelineJS {
			if skip := f.timelineJS(&row, cell); skip != "" {
				f.Skipped = append(f.Skipped, Problem{Line: row.Line, Reason: skip})
				continue
			}
		}
		f.Rows = append(f.Rows, row)
	}
	return nil
}

func (f *File) ignoredColumns(header []string) []string {
	var out []string
	for _, c := range header {
		name := strings.ToLower(strings.TrimSpace(c))
		switch {
		case name == "":
		case f.Layout == LayoutTimelineJS && contains(tljsColumns, name):
			switch name {
			case "display date", "media thumbnail", "background":
				out = append(out, c+" (TimelineJS display only; Strikeline has no such field)")
			}
		case readOnly[name], name == "start_time", name == "end_time":
		default:
			if _, ok := columnByName(name); ok {
				continue // used, or one of our read-only columns (id, permalink, updated_at)
			}
			out = append(out, c+" (not a Strikeline column)")
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func isBlank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// timelineJS maps the template's columns onto Strikeline columns; a
// Strikeline column in the same sheet (kind, milestone_type, …) wins. It
// returns why a row is not a record, if it is not.
func (f *File) timelineJS(row *Row, cell func(string) (string, bool)) string {
	get := func(n string) string { v, _ := cell(n); return v }
	switch strings.ToLower(get("type")) {
	case "title":
		return "TimelineJS title slide: not a record"
	case "era":
		return "TimelineJS era: not a record"
	}
	set := func(col, value, from string) {
		if _, own := row.cells[col]; own && row.cells[col] != "" {
			return
		}
		row.cells[col], row.from[col] = value, from
	}
	set("start", tljsWhen(get("year"), get("month"), get("day"), get("time")), "Year/Month/Day/Time")
	if get("end year") != "" || get("end month") != "" || get("end day") != "" {
		set("end", tljsWhen(get("end year"), get("end month"), get("end day"), get("end time")), "End Year/End Month/End Day/End Time")
	}
	set("title", get("headline"), "Headline")
	if t := get("text"); t != "" {
		set("summary", strings.TrimSpace(html.UnescapeString(tagRE.ReplaceAllString(t, " "))), "Text")
	}
	if m := get("media"); m != "" {
		src := []string{m, get("media caption"), get("media credit")}
		set("sources", joinRows([][]string{src}), "Media/Media Caption/Media Credit")
	} else {
		set("sources", "", "Media")
	}
	set("kind", kindOf(get("group")), "Group")
	return ""
}

// tljsWhen joins the template's date parts into a Strikeline start or end;
// parts that do not make a full date are passed through so the row is
// reported with them.
func tljsWhen(y, m, d, t string) string {
	yi, e1 := strconv.Atoi(y)
	mi, e2 := strconv.Atoi(m)
	di, e3 := strconv.Atoi(d)
	if e1 != nil || e2 != nil || e3 != nil {
		return strings.Trim(y+"-"+m+"-"+d+" "+t, "- ")
	}
	date := fmt.Sprintf("%04d-%02d-%02d", yi, mi, di)
	if t == "" {
		return date
	}
	for _, l := range []string{"15:04", "15:04:05", "3:04 PM", "3:04PM", "3:04 pm", "3:04pm", "3 PM", "3PM"} {
		if tt, err := time.Parse(l, strings.ToUpper(t)); err == nil {
			return date + "T" + tt.Format("15:04:05")
		}
	}
	return date + " " + t
}

// kindOf reads a TimelineJS Group as a record kind: its code
// (strike_round) or label ("Strike round", as our TimelineJS download
// writes it). Anything else is passed through and reported.
func kindOf(group string) string {
	g := strings.ToLower(strings.TrimSpace(group))
	for _, k := range models.Kinds {
		if g == string(k) || g == strings.ToLower(k.Label()) || g == strings.ToLower(k.Label())+"s" {
			return string(k)
		}
	}
	return group
}

// readJSON reads our JSON download ({"items": [...]}) or a bare array of
// records; keys are the column names.
func (f *File) readJSON(data []byte) error {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var items []map[string]json.RawMessage
	var wrapped struct {
		Items []map[string]json.RawMessage `json:"items"`
	}
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '[' {
		if err := json.Unmarshal(data, &items); err != nil {
			return formatError("%s: not a JSON array of records: %v", f.Name, err)
		}
	} else {
		if err := json.Unmarshal(data, &wrapped); err != nil {
			return formatError("%s: not JSON: %v", f.Name, err)
		}
		if wrapped.Items == nil {
			return formatError("%s: a JSON import is an array of records or an object with \"items\"", f.Name)
		}
		items = wrapped.Items
	}
	if len(items) > MaxRows {
		return formatError("%s: more than %d records", f.Name, MaxRows)
	}
	unknown := map[string]bool{}
	for i, it := range items {
		row := Row{Line: i + 1, cells: map[string]string{}, from: map[string]string{}}
		for k, raw := range it {
			c, ok := columnByName(k)
			if !ok || c.Set == nil {
				if !ok && !readOnly[k] {
					unknown[k] = true
				}
				continue
			}
			row.cells[k] = jsonCell(raw)
		}
		f.Rows = append(f.Rows, row)
	}
	for k := range unknown {
		f.Ignored = append(f.Ignored, k+" (not a Strikeline field)")
	}
	sort.Strings(f.Ignored)
	return nil
}

// jsonCell turns a JSON value into the cell text Set reads: strings as
// they are, lists and objects as JSON, numbers as written.
func jsonCell(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	if string(raw) == "null" {
		return ""
	}
	return string(raw)
}

// ImportRows turns the file's rows into store rows. Cell errors surface
// from Apply as validation errors on the row, named by document field.
func (f *File) ImportRows() []models.ImportRow {
	out := make([]models.ImportRow, len(f.Rows))
	for i := range f.Rows {
		row := &f.Rows[i]
		out[i] = models.ImportRow{Line: row.Line, Key: row.cells["key"], DisputeKey: row.cells["dispute_key"], Apply: row.apply}
	}
	return out
}

func (row *Row) apply(base models.EventDoc) (models.EventDoc, error) {
	r := Record{EventDoc: base}
	v := &models.ValidationError{}
	for _, c := range Columns {
		cell, ok := row.cells[c.Name]
		if !ok || c.Set == nil {
			continue
		}
		if err := c.Set(&r, cell); err != nil {
			if v.Fields == nil {
				v.Fields = map[string]string{}
			}
			v.Fields[c.Name] = err.Error()
		}
	}
	if len(v.Fields) > 0 {
		return r.EventDoc, v
	}
	return r.EventDoc, nil
}

// Describe turns a store problem on a row (a document field) into the
// file's terms: the column (or TimelineJS columns) and the cell's value.
func (f *File) Describe(line int, p models.ImportProblem) Problem {
	col := p.Field
	if i := strings.IndexAny(col, "[."); i > 0 {
		col = col[:i]
	}
	if col == "dispute_id" {
		if _, ok := f.row(line).cells["dispute_key"]; ok && f.row(line).cells["dispute_key"] != "" {
			col = "dispute_key"
		}
	}
	row := f.row(line)
	out := Problem{Line: line, Column: col, Reason: p.Reason}
	if row != nil {
		out.Value = row.cells[col]
		if from, ok := row.from[col]; ok {
			out.Column = from
		}
	}
	if p.Field != col && !strings.HasPrefix(p.Reason, p.Field) {
		out.Reason = p.Field + ": " + p.Reason
	}
	if p.Field == "kind" {
		out.Reason = "unknown kind; " + p.Reason
	}
	return out
}

func (f *File) row(line int) *Row {
	for i := range f.Rows {
		if f.Rows[i].Line == line {
			return &f.Rows[i]
		}
	}
	return nil
}
