package xlsx

import (
	"cmp"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// The Summary is one landscape page a board can read: what happened in
// words, a small table of the effects, one chart and the method in a line.
// Its columns are sized so that A:K fill the width of an A4 landscape
// page; everything is inside the print area and the page is set to fit
// one page wide and one tall.
const (
	summaryCols = 11 // A:K
	// summaryLineChars is about how many characters of 11-point text fit
	// across the merged A:K on one line.
	summaryLineChars = 150
	// summaryChartH is the Summary chart's height in pixels, tall enough
	// to read once the page is printed; its width is that of A:K
	// (summaryChartW).
	summaryChartH = 420
	// defaultRowPx is a default row's height in pixels (15 points).
	defaultRowPx = 20
)

var summaryWidths = []float64{6, 30, 40, 23, 6, 9, 9, 9, 12, 12, 11}

// summaryChartW is the width of A:K in pixels as the chart's anchor is
// worked out (8 pixels a character of column width), less the chart's
// offset, so the chart spans the table and ends inside the print area.
func summaryChartW() uint {
	px := 0
	for _, w := range summaryWidths {
		px += int(w*8 + 0.5)
	}
	return uint(px - 12)
}

// defaultMethodLine states the method in one line when the caller gives
// none.
const defaultMethodLine = "expected = the same weekday in the 6 weeks before (bank holidays, Christmas–New Year, other events left out), " +
	"95% prediction intervals; regulatory changes: interrupted time series."

// writeSummary writes the Summary sheet. Its figures are formulas that
// point at the event sheets' totals, so editing a day there updates them.
func writeSummary(f *excelize.File, st *styles, r *Report, plans []*eventPlan) error {
	const sh = SheetSummary
	ci := pctLabel(r.Method.alpha())

	var sentences []string
	for _, ev := range r.Events {
		if strings.TrimSpace(ev.Sentence) != "" {
			sentences = append(sentences, ev.Sentence)
		}
	}
	// Row plan: title, subtitle, blank, "What happened", sentences, blank,
	// table header and rows, blank, method, pointer, blank, chart.
	rowSentences := 5
	rowTable := rowSentences + len(sentences) + 1
	if len(sentences) == 0 {
		rowTable = rowSentences + 2
	}
	firstData := rowTable + 1
	lastData := firstData + len(r.Events) - 1
	leftOut := leftOutLines(r.Events)
	rowLeftOut := lastData + 2
	rowMethod := lastData + 2
	if len(leftOut) > 0 {
		rowMethod = rowLeftOut + len(leftOut) + 2
	}
	rowChart := rowMethod + 3
	chartRows := int(math.Ceil(float64(summaryChartH)/defaultRowPx)) + 3
	lastRow := rowChart + chartRows

	// Hyperlinks and the chart are registered before the stream opens.
	// Each event's link is on its id, not its title: LibreOffice does not
	// wrap a cell that carries a hyperlink, so a long linked title would
	// be cut off at the column's edge when printed.
	for i, p := range plans {
		if err := f.SetCellHyperLink(sh, axis(1, firstData+i), fmt.Sprintf("'%s'!A1", p.sheet), "Location"); err != nil {
			return fmt.Errorf("xlsx: summary link to %q: %w", p.sheet, err)
		}
	}
	for _, l := range []struct {
		row   int
		sheet string
	}{{rowMethod + 1, SheetMethod}} {
		if err := f.SetCellHyperLink(sh, axis(1, l.row), fmt.Sprintf("'%s'!A1", l.sheet), "Location"); err != nil {
			return fmt.Errorf("xlsx: summary link to %s: %w", l.sheet, err)
		}
	}
	// The chart's anchor cells are worked out from the column widths when
	// it is added, before the stream writes them: without these it would
	// end a column or two past K and be cut off by the print area.
	for i, w := range summaryWidths {
		if err := f.SetColWidth(sh, colName(i+1), colName(i+1), w); err != nil {
			return fmt.Errorf("xlsx: summary column width: %w", err)
		}
	}
	if err := addSummaryChart(f, r, plans, firstData, lastData, rowChart); err != nil {
		return fmt.Errorf("xlsx: summary chart: %w", err)
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", Scope: sh,
		RefersTo: fmt.Sprintf("'%s'!$A$1:$%s$%d", sh, colName(summaryCols), lastRow)}); err != nil {
		return fmt.Errorf("xlsx: summary print area: %w", err)
	}

	sw, err := streamPage(f, sh, 1, summaryWidths...)
	if err != nil {
		return err
	}
	merge := func(row int) error { return sw.MergeCell(axis(1, row), axis(summaryCols, row)) }
	title := r.Title
	if title == "" {
		title = "Strikeline impact report"
	}
	if err := sw.SetRow("A1", []any{text(st.title, title)}, excelize.RowOpts{Height: 24}); err != nil {
		return fmt.Errorf("xlsx: summary title: %w", err)
	}
	sub := fmt.Sprintf("Generated %s by Strikeline %s.", r.GeneratedAt.UTC().Format("2 Jan 2006 15:04 MST"), r.Version)
	if asOf := dataAsOf(r.Events); !asOf.IsZero() {
		sub += " GP appointment data to " + asOf.Format("2 Jan 2006") + "."
	}
	if err := sw.SetRow("A2", []any{text(st.subtitle, sub)}); err != nil {
		return fmt.Errorf("xlsx: summary subtitle: %w", err)
	}
	if err := sw.SetRow("A4", []any{cell(st.section, "What happened")}, excelize.RowOpts{Height: 20}); err != nil {
		return fmt.Errorf("xlsx: summary heading: %w", err)
	}
	for i, s := range sentences {
		row := rowSentences + i
		lines := utf8.RuneCountInString(s)/summaryLineChars + 1
		if err := sw.SetRow(axis(1, row), []any{text(st.sentence, s)}, excelize.RowOpts{Height: 17*float64(lines) + 4}); err != nil {
			return fmt.Errorf("xlsx: summary sentence %d: %w", i+1, err)
		}
		if err := merge(row); err != nil {
			return fmt.Errorf("xlsx: summary merge: %w", err)
		}
	}
	if len(sentences) == 0 {
		if err := sw.SetRow(axis(1, rowSentences), []any{text(st.text, "No event in this report has a measured effect yet.")}); err != nil {
			return fmt.Errorf("xlsx: summary sentence: %w", err)
		}
	}

	head := []any{"Event", "Title", "Measure and area", "Window", "Days", "Effect", "Lower " + ci, "Upper " + ci, "Observed", "Expected", "Data to"}
	for i := range head {
		head[i] = cell(st.header, head[i])
	}
	if err := sw.SetRow(axis(1, rowTable), head, excelize.RowOpts{Height: 30}); err != nil {
		return fmt.Errorf("xlsx: summary header: %w", err)
	}
	for i := range r.Events {
		ev, p := &r.Events[i], plans[i]
		num := st.sumCount
		if ev.Ratio {
			num = st.sumPct
		}
		label := cmp.Or(ev.Measure, ev.MetricLabel, ev.Metric)
		// The defining formula of a rate is on the event sheet and in the
		// dictionary; the Summary names it.
		if i := strings.Index(label, " ("); i > 0 {
			label = label[:i]
		}
		if ev.Scope != "" {
			label += ", " + ev.Scope
		}
		row := []any{cell(st.sumIntLink, ev.ID), text(st.wrap, ev.Title), text(st.wrap, label), text(st.wrap, rangeText(ev.WindowStart, ev.WindowEnd)),
			cell(st.sumCentre, p.counted)}
		if p.hasWindow && p.totExp != 0 {
			T := func(col int) string { return ref(p.sheet, colName(col), p.totalRow) }
			diff := p.totObs - p.totExp
			row = append(row,
				formula(st.sumPctBold, T(colPct), diff/p.totExp),
				cell(st.sumPct, ev.Total.RelLower),
				cell(st.sumPct, ev.Total.RelUpper),
				formula(num, T(colObserved), p.totObs),
				formula(num, T(colExpected), p.totExp))
		} else {
			row = append(row, nil, nil, nil, nil, nil)
		}
		row = append(row, dateCell(st.sumDate, lastObserved(ev)))
		// Long titles and slices wrap; the row grows to show them.
		lines := max(wrapLines(ev.Title, summaryWidths[1]), wrapLines(label, summaryWidths[2]))
		if err := sw.SetRow(axis(1, firstData+i), row, excelize.RowOpts{Height: 15*float64(lines) + 3}); err != nil {
			return fmt.Errorf("xlsx: summary row %d: %w", firstData+i, err)
		}
	}
	if len(leftOut) > 0 {
		if err := sw.SetRow(axis(1, rowLeftOut), []any{text(st.section, "Days left out of the baselines")}, excelize.RowOpts{Height: 18}); err != nil {
			return fmt.Errorf("xlsx: summary left-out heading: %w", err)
		}
		for i, l := range leftOut {
			row := rowLeftOut + 1 + i
			lines := utf8.RuneCountInString(l)/summaryLineChars + 1
			if err := sw.SetRow(axis(1, row), []any{text(st.sentence, l)}, excelize.RowOpts{Height: 15*float64(lines) + 3}); err != nil {
				return fmt.Errorf("xlsx: summary left-out %d: %w", i+1, err)
			}
			if err := merge(row); err != nil {
				return fmt.Errorf("xlsx: summary merge: %w", err)
			}
		}
	}
	methodLine := r.Method.Summary
	if methodLine == "" {
		methodLine = defaultMethodLine
	}
	if err := sw.SetRow(axis(1, rowMethod), []any{text(st.text, "Method: "+methodLine)}); err != nil {
		return fmt.Errorf("xlsx: summary method: %w", err)
	}
	if err := sw.SetRow(axis(1, rowMethod+1), []any{text(st.link, "Details and formulas: Method sheet. Where every figure comes from: Sources sheet. Day by day: each event's sheet.")}); err != nil {
		return fmt.Errorf("xlsx: summary sources: %w", err)
	}
	for _, row := range []int{rowMethod, rowMethod + 1} {
		if err := merge(row); err != nil {
			return fmt.Errorf("xlsx: summary merge: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: flush summary: %w", err)
	}
	return nil
}

// wrapLines is about how many lines s takes in a wrapped column of width
// w (proportional text fits about 1.15 characters a unit of width).
func wrapLines(s string, w float64) int {
	per := max(int(w*1.15), 1)
	return max((utf8.RuneCountInString(s)+per-1)/per, 1)
}

// leftOutLines says, once per event, which days its baselines left out
// and why: a bank holiday or the Christmas–New Year weeks are not ordinary
// days, and another event's days carry that event's effect.
func leftOutLines(evs []EventImpact) []string {
	var out []string
	seen := map[string]bool{}
	for i := range evs {
		ev := &evs[i]
		key := strconv.FormatInt(ev.ID, 10) + "\x00" + ev.LeftOut + "\x00" + ev.WindowLeftOut
		if (ev.LeftOut == "" && ev.WindowLeftOut == "") || seen[key] {
			continue
		}
		seen[key] = true
		var parts []string
		if ev.LeftOut != "" {
			parts = append(parts, ev.LeftOut)
		}
		if ev.WindowLeftOut != "" {
			parts = append(parts, "not counted in the window total: "+ev.WindowLeftOut)
		}
		out = append(out, ev.Title+": "+strings.Join(parts, "; ")+".")
	}
	if len(out) > 0 {
		out = append([]string{"Not ordinary days, so not used to set what was expected: bank holidays and the Christmas–New Year weeks (practices closed or quiet), " +
			"and other events' days (they carry those events' effects). Bank holidays and Christmas–New Year days inside a window are not counted in its total either."}, out...)
	}
	return out
}

// addSummaryChart puts the one chart on the Summary: with a single row,
// observed against expected from its event sheet; with several, each
// row's effect with its interval.
func addSummaryChart(f *excelize.File, r *Report, plans []*eventPlan, first, last, row int) error {
	if len(plans) == 0 {
		return nil
	}
	dim := excelize.ChartDimension{Width: summaryChartW(), Height: summaryChartH}
	format := excelize.GraphicOptions{OffsetX: 4, OffsetY: 2}
	if len(plans) == 1 {
		if !plans[0].hasWindow {
			return nil
		}
		chart, lines := observedExpected(&r.Events[0], plans[0], r.Method.alpha())
		chart.Dimension, chart.Format = dim, format
		return f.AddChart(SheetSummary, axis(1, row), chart, lines)
	}
	// Several rows: a dot for each effect and dashes at the ends of its
	// interval (markers only, no lines), on an axis that includes zero.
	sh := SheetSummary
	// Rows of one event differ by measure; rows of several by title.
	catCol := "C"
	for _, ev := range r.Events[1:] {
		if ev.ID != r.Events[0].ID {
			catCol = "B"
		}
	}
	cats := rangeRef(sh, catCol, first, last)
	lo, hi := 0.0, 0.0
	for _, ev := range r.Events {
		lo = math.Min(lo, math.Min(ev.Total.RelLower, ev.Total.Pct))
		hi = math.Max(hi, math.Max(ev.Total.RelUpper, ev.Total.Pct))
	}
	pad := math.Max((hi-lo)*0.1, 0.01)
	lo, hi = math.Floor((lo-pad)*50)/50, math.Ceil((hi+pad)*50)/50
	font := excelize.Font{Size: 9, Color: "404040"}
	series := func(col string, colour, symbol string, size int) excelize.ChartSeries {
		fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}}
		return excelize.ChartSeries{Name: ref(sh, col, first-1), Categories: cats, Values: rangeRef(sh, col, first, last),
			Line:   excelize.LineOptions{Type: excelize.LineNone},
			Marker: excelize.ChartMarker{Symbol: symbol, Size: size, Fill: fill, Border: excelize.LineOptions{Width: 0.75}}}
	}
	chart := &excelize.Chart{
		Type:   excelize.Line,
		Series: []excelize.ChartSeries{series("G", colourInterval, "dash", 12), series("H", colourInterval, "dash", 12), series("F", colourObserved, "circle", 9)},
		Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Effect of each event against expected, with its " + pctLabel(r.Method.alpha()) + " interval",
			Font: &excelize.Font{Size: 11, Bold: true}}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		XAxis:     excelize.ChartAxis{Font: excelize.Font{Size: 10, Color: "262626"}, TickLabelPosition: excelize.ChartTickLabelLow},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}, Font: font, Minimum: &lo, Maximum: &hi},
		Dimension: dim,
		Format:    format,
	}
	return f.AddChart(sh, axis(1, row), chart)
}

// dataAsOf is the last day with an observation in any event.
func dataAsOf(evs []EventImpact) time.Time {
	var out time.Time
	for i := range evs {
		if d := lastObserved(&evs[i]); d.After(out) {
			out = d
		}
	}
	return out
}

func lastObserved(ev *EventImpact) time.Time {
	for i := len(ev.Days) - 1; i >= 0; i-- {
		if ev.Days[i].HasObserved {
			return civil(ev.Days[i].Date)
		}
	}
	return time.Time{}
}

// writeSources lists where every figure comes from: the imported files
// (with checksums) and each event's public sources.
func writeSources(f *excelize.File, st *styles, r *Report) error {
	const sh = SheetSources
	type evSrc struct {
		id    int64
		title string
		src   Link
	}
	var rows []evSrc
	seen := map[int64]bool{}
	for _, ev := range r.Events {
		if seen[ev.ID] {
			continue
		}
		seen[ev.ID] = true
		for _, s := range ev.Sources {
			rows = append(rows, evSrc{ev.ID, ev.Title, s})
		}
	}
	fileHead := 3
	evHead := fileHead + len(r.Sources) + 3
	if len(r.Sources) == 0 {
		evHead = fileHead + 4
	}
	cells := make([]excelize.Cell, len(rows))
	for i, x := range rows {
		c, err := link(f, st, sh, axis(4, evHead+1+i), x.src.URL, x.src.URL)
		if err != nil {
			return err
		}
		cells[i] = c
	}
	sw, err := stream(f, sh, 40, 22, 12, 60, 68)
	if err != nil {
		return err
	}
	put := func(row int, opts []excelize.RowOpts, vals ...any) error {
		return sw.SetRow(axis(1, row), vals, opts...)
	}
	if err := put(1, []excelize.RowOpts{{Height: 22}}, cell(st.title, "Sources")); err != nil {
		return fmt.Errorf("xlsx: sources title: %w", err)
	}
	if err := put(2, nil, cell(st.section, "Imported data files")); err != nil {
		return fmt.Errorf("xlsx: sources heading: %w", err)
	}
	head := []any{"File", "Format", "Rows", "Imported at (UTC)", "SHA-256"}
	for i := range head {
		head[i] = cell(st.header, head[i])
	}
	if err := put(fileHead, []excelize.RowOpts{{Height: 20}}, head...); err != nil {
		return fmt.Errorf("xlsx: sources header: %w", err)
	}
	for i, s := range r.Sources {
		if err := put(fileHead+1+i, nil, text(st.text, s.FileName), text(st.text, s.Format), cell(st.count, s.Rows),
			timeCell(st.dateTime, s.ImportedAt), text(st.text, s.SHA256)); err != nil {
			return fmt.Errorf("xlsx: source %q: %w", s.FileName, err)
		}
	}
	if len(r.Sources) == 0 {
		if err := put(fileHead+1, nil, cell(st.text, "none listed")); err != nil {
			return fmt.Errorf("xlsx: sources: %w", err)
		}
	}
	if err := put(evHead-1, nil, cell(st.section, "Public sources of each event")); err != nil {
		return fmt.Errorf("xlsx: sources heading: %w", err)
	}
	head = []any{"Event", "Event ID", "", "Address (URL)", "Title"}
	for i := range head {
		head[i] = cell(st.header, head[i])
	}
	if err := put(evHead, []excelize.RowOpts{{Height: 20}}, head...); err != nil {
		return fmt.Errorf("xlsx: sources header: %w", err)
	}
	for i, x := range rows {
		if err := put(evHead+1+i, nil, text(st.text, x.title), cell(st.int, x.id), nil, cells[i], text(st.text, x.src.Title)); err != nil {
			return fmt.Errorf("xlsx: event source %d: %w", i+1, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: flush sources: %w", err)
	}
	return nil
}
