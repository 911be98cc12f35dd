package xlsx

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// writeTimeline writes every event of the range as a filterable table.
func writeTimeline(f *excelize.File, st *styles, rows []TimelineRow) error {
	const sh = SheetTimeline
	cells := make([]excelize.Cell, len(rows))
	for i, t := range rows {
		c, err := link(f, st, sh, axis(8, i+2), t.URL, t.URL)
		if err != nil {
			return err
		}
		cells[i] = c
	}
	sw, err := stream(f, sh, 9, 12, 44, 13, 13, 18, 20, 40, 60)
	if err != nil {
		return err
	}
	if err := freeze(sw, 2); err != nil {
		return fmt.Errorf("xlsx: timeline freeze: %w", err)
	}
	head := []any{"ID", "Kind", "Title", "Start", "End", "Union", "Staff group", "URL", "Sources"}
	for i := range head {
		head[i] = cell(st.header, head[i])
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{Height: 20}); err != nil {
		return fmt.Errorf("xlsx: timeline header: %w", err)
	}
	for i, t := range rows {
		var src []string
		for _, s := range t.Sources {
			switch {
			case s.Title != "" && s.URL != "":
				src = append(src, s.Title+" <"+s.URL+">")
			default:
				src = append(src, s.Title+s.URL)
			}
		}
		row := []any{cell(st.int, t.ID), text(st.text, t.Kind), text(st.text, t.Title),
			dateCell(st.date, t.Start), dateCell(st.date, t.End), text(st.text, t.Union), text(st.text, t.StaffGroup),
			cells[i], text(st.text, strings.Join(src, "; "))}
		if err := sw.SetRow(axis(1, i+2), row); err != nil {
			return fmt.Errorf("xlsx: timeline row %d: %w", i+2, err)
		}
	}
	if len(rows) > 0 {
		if err := sw.AddTable(&excelize.Table{Range: fmt.Sprintf("A1:I%d", len(rows)+1), Name: "TimelineTable", StyleName: "TableStyleLight9"}); err != nil {
			return fmt.Errorf("xlsx: timeline table: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: flush timeline: %w", err)
	}
	return nil
}

// maxDataRows is how many data rows fit below the header of one sheet. A
// variable so a test can lower it.
var maxDataRows = excelize.TotalRows - 1

// writeData streams the underlying series. It holds one row at a time.
func writeData(f *excelize.File, st *styles, d DataSeries) error {
	const sh = SheetData
	sw, err := stream(f, sh, 13, 22, 22, 26, 22, 14)
	if err != nil {
		return err
	}
	if err := freeze(sw, 2); err != nil {
		return fmt.Errorf("xlsx: data freeze: %w", err)
	}
	head := []any{"Date", "Dataset", "Area", "Metric", "Category", "Value"}
	for i := range head {
		head[i] = cell(st.header, head[i])
	}
	if err := sw.SetRow("A1", head); err != nil {
		return fmt.Errorf("xlsx: data header: %w", err)
	}
	n := 1
	if d.Rows != nil {
		// One slice and one set of cells reused for every row: SetRow
		// serialises immediately and keeps no reference.
		vals := make([]any, 6)
		var dt, ds, ar, me, ca, va excelize.Cell
		dt.StyleID = st.date
		for row, err := range d.Rows {
			if err != nil {
				return fmt.Errorf("xlsx: data row %d: %w", n, err)
			}
			n++
			if n-1 > maxDataRows {
				return fmt.Errorf("xlsx: data series has more than %d rows, the most a sheet holds", maxDataRows)
			}
			dt.Value = civil(row.Date)
			ds.Value, ar.Value, me.Value, ca.Value = Neutralise(row.Dataset), Neutralise(row.Area), Neutralise(row.Metric), Neutralise(row.Category)
			// Counts get thousands separators; rates and shares keep every
			// digit.
			va.Value, va.StyleID = row.Value, st.general
			if row.Value == math.Trunc(row.Value) {
				va.StyleID = st.count
			}
			vals[0], vals[1], vals[2], vals[3], vals[4], vals[5] = dt, ds, ar, me, ca, va
			if err := sw.SetRow("A"+itoa(n), vals); err != nil {
				return fmt.Errorf("xlsx: data row %d: %w", n, err)
			}
		}
	}
	// The series is for analysts, not for paper: the print range is the
	// header alone, so printing the workbook does not print every day.
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", Scope: sh, RefersTo: "'" + sh + "'!$A$1:$F$1"}); err != nil {
		return fmt.Errorf("xlsx: data print area: %w", err)
	}
	if n > 1 {
		if err := sw.AddTable(&excelize.Table{Range: fmt.Sprintf("A1:F%d", n), Name: "DataTable", StyleName: "TableStyleLight1"}); err != nil {
			return fmt.Errorf("xlsx: data table: %w", err)
		}
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "Data_Values", RefersTo: rangeRef(sh, "F", 2, n)}); err != nil {
			return fmt.Errorf("xlsx: defined name Data_Values: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: flush data: %w", err)
	}
	return nil
}

// writeMethod states how the figures were made and where the data came
// from, so a reader can reproduce them.
func writeMethod(f *excelize.File, st *styles, r *Report) error {
	const sh = SheetMethod
	sw, err := stream(f, sh, 38, 54, 12, 18, 68)
	if err != nil {
		return err
	}
	rn := 0
	put := func(opts []excelize.RowOpts, vals ...any) error {
		rn++
		return sw.SetRow(axis(1, rn), vals, opts...)
	}
	m := r.Method
	alpha := m.alpha()
	rows := []struct {
		k string
		v any
	}{
		{"Report", text(st.wrap, r.Title)},
		{"Method", text(st.wrap, m.Name)},
		{"Formula", text(st.wrap, m.Formula)},
		{"Baseline weeks (N)", cell(st.kvInt, m.BaselineWeeks)},
		{"Maximum weeks back", cell(st.kvInt, m.MaxWeeks)},
		{"Alpha", cell(st.kvAlpha, alpha)},
		{"Interval coverage", cell(st.kvPct, 1-alpha)},
		{"Day interval formula", cell(st.wrap, fmt.Sprintf("expected ± T.INV.2T(%g, N−1) · STDEV.S(baseline) · √(1 + 1/N); expected = AVERAGE(baseline)", alpha))},
		{"SPC", text(st.wrap, m.SPC)},
		{"Report range", cell(st.text, rangeText(r.From, r.To))},
		{"Generated at (UTC)", timeCell(st.kvDateTime, r.GeneratedAt)},
		{"Strikeline version", text(st.text, r.Version)},
	}
	if err := put([]excelize.RowOpts{{Height: 22}}, cell(st.title, "Method")); err != nil {
		return fmt.Errorf("xlsx: method title: %w", err)
	}
	for _, kvp := range rows {
		// Merged cells do not grow to fit wrapped text, so size the row:
		// about 180 characters fit across B:E.
		height := 15.0
		if c, ok := kvp.v.(excelize.Cell); ok {
			if s, ok := c.Value.(string); ok && utf8.RuneCountInString(s) > 180 {
				height = 15 * float64(utf8.RuneCountInString(s)/180+1)
			}
		}
		if err := put([]excelize.RowOpts{{Height: height}}, cell(st.key, kvp.k), kvp.v); err != nil {
			return fmt.Errorf("xlsx: method row %q: %w", kvp.k, err)
		}
		if err := sw.MergeCell(axis(2, rn), axis(5, rn)); err != nil {
			return fmt.Errorf("xlsx: method merge: %w", err)
		}
	}
	rn++
	if err := put(nil, cell(st.title, "Bank holidays excluded")); err != nil {
		return fmt.Errorf("xlsx: method holidays: %w", err)
	}
	if len(r.BankHolidays) == 0 {
		if err := put(nil, cell(st.text, "none in range")); err != nil {
			return fmt.Errorf("xlsx: method holidays: %w", err)
		}
	}
	for _, d := range r.BankHolidays {
		if err := put(nil, cell(st.date, civil(d)), cell(st.text, civil(d).Format("Monday"))); err != nil {
			return fmt.Errorf("xlsx: method holiday: %w", err)
		}
	}
	rn++
	if err := put(nil, cell(st.title, "Data sources"), text(st.text, "Every imported file and every event's public sources are listed on the Sources sheet.")); err != nil {
		return fmt.Errorf("xlsx: method sources: %w", err)
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: flush method: %w", err)
	}
	return nil
}

// timeCell writes an instant in UTC to the second, or nothing for the zero
// time.
func timeCell(style int, t time.Time) any {
	if t.IsZero() {
		return nil
	}
	u := t.UTC().Truncate(time.Second)
	return cell(style, time.Date(u.Year(), u.Month(), u.Day(), u.Hour(), u.Minute(), u.Second(), 0, time.UTC))
}

func rangeText(from, to time.Time) string {
	if from.IsZero() || to.IsZero() {
		return ""
	}
	return civil(from).Format("02 Jan 2006") + " – " + civil(to).Format("02 Jan 2006")
}

// writeDictionary explains the fields of the workbook.
func writeDictionary(f *excelize.File, st *styles, entries []DictEntry) error {
	const sh = SheetDictionary
	sw, err := stream(f, sh, 24, 90, 16)
	if err != nil {
		return err
	}
	if err := freeze(sw, 2); err != nil {
		return fmt.Errorf("xlsx: dictionary freeze: %w", err)
	}
	if err := sw.SetRow("A1", []any{cell(st.header, "Field"), cell(st.header, "Meaning"), cell(st.header, "Unit")}); err != nil {
		return fmt.Errorf("xlsx: dictionary header: %w", err)
	}
	for i, e := range entries {
		// Streamed rows are not auto-fitted on opening, so give wrapped
		// meanings their height: about 105 characters fit in column B.
		lines := utf8.RuneCountInString(e.Meaning)/105 + 1
		if err := sw.SetRow(axis(1, i+2), []any{text(st.text, e.Field), text(st.wrap, e.Meaning), text(st.text, e.Unit)},
			excelize.RowOpts{Height: 15 * float64(lines)}); err != nil {
			return fmt.Errorf("xlsx: dictionary row %d: %w", i+2, err)
		}
	}
	if len(entries) > 0 {
		if err := sw.AddTable(&excelize.Table{Range: fmt.Sprintf("A1:C%d", len(entries)+1), Name: "DictionaryTable", StyleName: "TableStyleLight1"}); err != nil {
			return fmt.Errorf("xlsx: dictionary table: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: flush dictionary: %w", err)
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }
