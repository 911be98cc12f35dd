package xlsx

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// Chart colours: a dark line for what happened, orange for what was
// expected, grey for its interval, and the window band in the row fill.
const (
	colourObserved = "1F3864"
	colourExpected = "ED7D31"
	colourInterval = "A5A5A5"
)

// observedExpected builds the observed-versus-expected chart of an event
// sheet: the window band as columns, with the lines combined over it.
// Categories are the sheet's real date cells, so the axis reads as dates
// in every spreadsheet; the Summary shows the same chart.
func observedExpected(ev *EventImpact, p *eventPlan, alpha float64) (*excelize.Chart, *excelize.Chart) {
	sh := p.sheet
	cats := rangeRef(sh, colName(colDate), firstDayRow, p.lastRow)
	// excelize colours a line from the series Fill. Expected and its
	// interval get markers: a one-day window is a single point, which a
	// line alone would not show.
	series := func(col int, colour string, width float64, dash excelize.LineDashType, marker string) excelize.ChartSeries {
		fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}}
		return excelize.ChartSeries{
			Name:       ref(sh, colName(col), headerRow),
			Categories: cats,
			Values:     rangeRef(sh, colName(col), firstDayRow, p.lastRow),
			Fill:       fill,
			Line:       excelize.LineOptions{Width: width, Dash: dash},
			Marker:     excelize.ChartMarker{Symbol: marker, Size: 5, Fill: fill, Border: excelize.LineOptions{Width: 0.75}},
		}
	}
	label := ev.MetricLabel
	if label == "" {
		label = ev.Metric
	}
	numFmt := fmtCount
	if ev.Ratio {
		numFmt = "0%"
	}
	xAxis := excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: fmtDate, SourceLinked: true}, TickLabelSkip: 7, Font: excelize.Font{Size: 8, Color: "404040"}, Alignment: excelize.Alignment{TextRotation: -45}}
	yAxis := excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: numFmt}, Font: excelize.Font{Size: 8, Color: "404040"}}
	gap := uint(0)
	lines := &excelize.Chart{
		Type: excelize.Line,
		Series: []excelize.ChartSeries{
			series(colObserved, colourObserved, 1.75, 0, "none"),
			series(colExpected, colourExpected, 1.75, 0, "circle"),
			series(colLower, colourInterval, 1, excelize.LineDashDash, "dash"),
			series(colUpper, colourInterval, 1, excelize.LineDashDash, "dash"),
		},
		ShowBlanksAs: "gap",
		XAxis:        xAxis,
		YAxis:        yAxis,
	}
	chart := &excelize.Chart{
		Type: excelize.Col,
		Series: []excelize.ChartSeries{{
			Name:       ref(sh, colName(colBand), headerRow),
			Categories: cats,
			Values:     rangeRef(sh, colName(colBand), firstDayRow, p.lastRow),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{windowFill}},
		}},
		GapWidth:     &gap,
		Title:        excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: fmt.Sprintf("%s: observed vs expected (%s interval)", Neutralise(label), pctLabel(alpha)), Font: &excelize.Font{Size: 11, Bold: true}}}},
		Legend:       excelize.ChartLegend{Position: "bottom"},
		XAxis:        xAxis,
		YAxis:        yAxis,
		Dimension:    excelize.ChartDimension{Width: 780, Height: 340},
		Format:       excelize.GraphicOptions{OffsetX: 10, OffsetY: 4},
		ShowBlanksAs: "gap",
	}
	return chart, lines
}

// addEventCharts adds the observed-versus-expected chart and, when there
// is mode data, the activity-by-mode chart.
func addEventCharts(f *excelize.File, ev *EventImpact, p *eventPlan, alpha float64) error {
	sh := p.sheet
	chart, lines := observedExpected(ev, p, alpha)
	xAxis := chart.XAxis
	anchor := axis(colBand+2, 1) // O1, right of the table
	if err := f.AddChart(sh, anchor, chart, lines); err != nil {
		return fmt.Errorf("observed vs expected chart: %w", err)
	}
	if len(ev.ByMode) == 0 {
		return nil
	}
	last := firstDayRow + len(ev.ByMode) - 1
	modeCats := rangeRef(sh, colName(colModes), firstDayRow, last)
	modes := &excelize.Chart{
		Type:      excelize.ColStacked,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Activity by mode", Font: &excelize.Font{Size: 11, Bold: true}}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		XAxis:     xAxis,
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: fmtCount}, Font: excelize.Font{Size: 8, Color: "404040"}},
		Dimension: excelize.ChartDimension{Width: 780, Height: 340},
		Format:    excelize.GraphicOptions{OffsetX: 10, OffsetY: 4},
	}
	modeGap := uint(30)
	modes.GapWidth = &modeGap
	palette := []string{"1F3864", "4472C4", "ED7D31", "A5A5A5", "FFC000", "70AD47", "9E480E", "264478"}
	for m := range ev.Modes {
		col := colModes + 1 + m
		modes.Series = append(modes.Series, excelize.ChartSeries{
			Name:       ref(sh, colName(col), headerRow),
			Categories: modeCats,
			Values:     rangeRef(sh, colName(col), firstDayRow, last),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{palette[m%len(palette)]}},
		})
	}
	if err := f.AddChart(sh, axis(colBand+2, 20), modes); err != nil {
		return fmt.Errorf("activity by mode chart: %w", err)
	}
	return nil
}
