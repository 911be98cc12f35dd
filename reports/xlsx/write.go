package xlsx

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Sheet names of the fixed sheets.
const (
	SheetSummary    = "Summary"
	SheetTimeline   = "Timeline"
	SheetData       = "Data"
	SheetMethod     = "Method"
	SheetSources    = "Sources"
	SheetDictionary = "Data dictionary"
)

// Write writes r as an .xlsx workbook to w. The Data sheet is streamed from
// r.Data.Rows; excelize still assembles the zip at the end, spilling large
// streamed sheets to temporary files, so memory stays bounded by the event
// sheets rather than the size of the series.
func Write(w io.Writer, r *Report) (err error) {
	if r == nil {
		return errors.New("xlsx: nil report")
	}
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("xlsx: close workbook: %w", cerr)
		}
	}()
	st, err := newStyles(f)
	if err != nil {
		return err
	}

	// Plan every event sheet first: the Summary refers to their totals and
	// comes first in the workbook.
	var names sheetNamer
	names.name(SheetSummary, "")
	for _, s := range []string{SheetTimeline, SheetData, SheetMethod, SheetSources, SheetDictionary} {
		names.name(s, "")
	}
	plans := make([]*eventPlan, len(r.Events))
	for i := range r.Events {
		ev := &r.Events[i]
		p, err := planEvent(ev, names.name(fmt.Sprintf("E%d", ev.ID), ev.Title), r.Method.alpha())
		if err != nil {
			return fmt.Errorf("xlsx: event %d (%s): %w", ev.ID, ev.Metric, err)
		}
		plans[i] = p
	}

	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return fmt.Errorf("xlsx: rename first sheet: %w", err)
	}
	order := []string{}
	for _, p := range plans {
		order = append(order, p.sheet)
	}
	order = append(order, SheetTimeline, SheetData, SheetMethod, SheetSources, SheetDictionary)
	for _, s := range order {
		if _, err := f.NewSheet(s); err != nil {
			return fmt.Errorf("xlsx: add sheet %q: %w", s, err)
		}
	}

	if err := writeSummary(f, st, r, plans); err != nil {
		return err
	}
	usedNames := map[string]bool{}
	for i, p := range plans {
		if err := writeEvent(f, st, &r.Events[i], p, r.Method.alpha(), usedNames); err != nil {
			return fmt.Errorf("xlsx: event sheet %q: %w", p.sheet, err)
		}
	}
	if err := writeTimeline(f, st, r.Timeline); err != nil {
		return err
	}
	if err := writeData(f, st, r.Data); err != nil {
		return err
	}
	if err := writeMethod(f, st, r); err != nil {
		return err
	}
	if err := writeSources(f, st, r); err != nil {
		return err
	}
	if err := writeDictionary(f, st, r.Dictionary); err != nil {
		return err
	}

	created := r.GeneratedAt
	if created.IsZero() {
		created = time.Now()
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:          Neutralise(r.Title),
		Subject:        "Impact of industrial action on GP appointments",
		Creator:        "Strikeline",
		LastModifiedBy: "Strikeline",
		Created:        created.UTC().Format(time.RFC3339),
		Modified:       created.UTC().Format(time.RFC3339),
		Version:        r.Version,
	}); err != nil {
		return fmt.Errorf("xlsx: document properties: %w", err)
	}
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: write workbook: %w", err)
	}
	return nil
}

// FileName returns the download name for r, such as
// strikeline-impact-junior-doctors-strike-2023-01-05.xlsx: a lower-case
// ASCII slug of the title and the generation date.
func FileName(r *Report) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(r.Title) {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(c)
			dash = false
		} else {
			dash = true
		}
		if b.Len() >= 48 {
			break
		}
	}
	slug := strings.Trim(b.String(), "-")
	if slug == "" {
		slug = "report"
	}
	d := r.GeneratedAt
	if d.IsZero() {
		d = time.Now()
	}
	return fmt.Sprintf("strikeline-impact-%s-%s.xlsx", slug, d.Format(time.DateOnly))
}

func (m Method) alpha() float64 {
	if m.Alpha <= 0 || m.Alpha >= 1 {
		return 0.05
	}
	return m.Alpha
}

// civil drops the time of day so that dates written to cells are whole
// serial numbers whatever time zone the caller used.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// cell is shorthand for a styled stream cell.
func cell(style int, v any) excelize.Cell { return excelize.Cell{StyleID: style, Value: v} }

// formula is a stream cell carrying both a formula and its cached value.
func formula(style int, f string, cached any) excelize.Cell {
	return excelize.Cell{StyleID: style, Formula: f, Value: cached}
}

// text is a stream cell holding neutralised user text.
func text(style int, s string) excelize.Cell { return cell(style, Neutralise(s)) }

// dateCell writes a date, or nothing for the zero time.
func dateCell(style int, t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return cell(style, civil(t))
}

// stream opens sheet's stream writer with column widths set. Printing is
// set up first (landscape A4, one page wide) because the stream writer
// copies the sheet properties when it opens.
func stream(f *excelize.File, sheet string, widths ...float64) (*excelize.StreamWriter, error) {
	return streamPage(f, sheet, 0, widths...)
}

// streamPage is stream with the page also fitted to tall pages high (0:
// as many as it takes).
func streamPage(f *excelize.File, sheet string, tall int, widths ...float64) (*excelize.StreamWriter, error) {
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return nil, fmt.Errorf("xlsx: sheet properties of %q: %w", sheet, err)
	}
	orient, size, wide := "landscape", 9, 1
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Orientation: &orient, Size: &size, FitToWidth: &wide, FitToHeight: &tall,
	}); err != nil {
		return nil, fmt.Errorf("xlsx: page layout of %q: %w", sheet, err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, fmt.Errorf("xlsx: open stream for %q: %w", sheet, err)
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, fmt.Errorf("xlsx: width of %q column %d: %w", sheet, i+1, err)
		}
	}
	return sw, nil
}

// freeze keeps rows above row (1-based) in view.
func freeze(sw *excelize.StreamWriter, row int) error {
	return sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: row - 1, TopLeftCell: fmt.Sprintf("A%d", row), ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: fmt.Sprintf("A%d", row), ActiveCell: fmt.Sprintf("A%d", row), Pane: "bottomLeft"}},
	})
}

// link registers a hyperlink on sheet at axis and returns the cell to
// stream there. Only http(s) targets are linked; the display text is
// always neutralised user text. It must be called before the sheet's
// stream writer is opened.
func link(f *excelize.File, st *styles, sheet, axis, display, target string) (excelize.Cell, error) {
	u, ok := httpURL(target)
	if display == "" {
		display = target
	}
	if !ok {
		return text(st.text, display), nil
	}
	if err := f.SetCellHyperLink(sheet, axis, u, "External"); err != nil {
		return excelize.Cell{}, fmt.Errorf("xlsx: hyperlink in %s!%s: %w", sheet, axis, err)
	}
	return text(st.link, display), nil
}

func axis(col, row int) string {
	a, _ := excelize.CoordinatesToCellName(col, row)
	return a
}

func colName(col int) string {
	n, _ := excelize.ColumnNumberToName(col)
	return n
}
