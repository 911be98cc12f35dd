package xlsx

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/strikeline/strikeline/reports/impact"
)

// Layout of an event sheet: a title block, the header in row headerRow and
// one row per day below it, then a totals row after a blank row.
const (
	headerRow   = 4
	firstDayRow = headerRow + 1
)

// Event sheet columns.
const (
	colDate = iota + 1
	colObserved
	colWindow
	colN
	colExpected
	colSD
	colLower
	colUpper
	colDiff
	colPct
	colBaseline
	colNote
	colBand
	eventCols = colBand
)

// Mode data starts to the right of the charts.
const colModes = 28 // AB

// windowMark is the Window column's value on included days; the totals'
// SUMIF keys on it.
const windowMark = "event"

// dayCalc is one included day's figures as its formulas compute them.
type dayCalc struct {
	n                                    int
	cells                                []string // observed cells of the baseline days
	mean, sd, t, lower, upper, diff, pct float64
}

// eventPlan is an event sheet worked out before anything is written.
type eventPlan struct {
	sheet     string
	lastRow   int // last day row
	totalRow  int
	calc      map[int]*dayCalc // by day index
	totObs    float64
	counted   int // window days with formulas
	totExp    float64
	totDen    float64 // Σ denominator over counted days (ratio metrics)
	band      float64 // height of the window band in the chart
	hasWindow bool
}

// planEvent assigns rows, resolves baseline dates to cells and computes the
// cached value of every formula the sheet will hold, checking them against
// the engine's figures.
func planEvent(ev *EventImpact, sheet string, alpha float64) (*eventPlan, error) {
	p := &eventPlan{sheet: sheet, calc: map[int]*dayCalc{}}
	if len(ev.Days) == 0 {
		return nil, errors.New("no days")
	}
	rowOf := map[time.Time]int{}
	for i, d := range ev.Days {
		day := civil(d.Date)
		if i > 0 && !day.After(civil(ev.Days[i-1].Date)) {
			return nil, fmt.Errorf("days not strictly ascending at %s", day.Format(time.DateOnly))
		}
		rowOf[day] = i
	}
	if ev.Ratio && len(ev.ByMode) > 0 {
		return nil, errors.New("a ratio sheet has no mode table (its columns hold the denominator)")
	}
	if len(ev.ByMode) > len(ev.Days) {
		return nil, fmt.Errorf("%d mode rows for %d days: the mode table shares the day rows", len(ev.ByMode), len(ev.Days))
	}
	for _, md := range ev.ByMode {
		if len(md.Counts) != len(ev.Modes) {
			return nil, fmt.Errorf("%s: %d mode counts for %d modes", md.Date.Format(time.DateOnly), len(md.Counts), len(ev.Modes))
		}
	}
	p.lastRow = firstDayRow + len(ev.Days) - 1
	p.totalRow = p.lastRow + 2
	for i, d := range ev.Days {
		p.band = math.Max(p.band, d.Observed)
		if d.InWindow {
			p.hasWindow = true
		}
		if !d.InWindow || !d.Included {
			continue
		}
		if !d.HasObserved {
			return nil, fmt.Errorf("%s: included day without an observation", d.Date.Format(time.DateOnly))
		}
		c := &dayCalc{}
		var xs []float64
		for _, b := range d.BaselineDates {
			j, ok := rowOf[civil(b)]
			if !ok || !ev.Days[j].HasObserved {
				return nil, fmt.Errorf("%s: baseline day %s is not an observed day of the sheet",
					d.Date.Format(time.DateOnly), b.Format(time.DateOnly))
			}
			c.cells = append(c.cells, axis(colObserved, firstDayRow+j))
			xs = append(xs, ev.Days[j].Observed)
		}
		c.n = len(xs)
		if c.n < 2 {
			return nil, fmt.Errorf("%s: %d baseline days, need at least 2 for an interval", d.Date.Format(time.DateOnly), c.n)
		}
		// The engine's formula, from the sheet's own cells; the cells'
		// live Excel formulas are the independent check.
		iv := impact.PredictionInterval(xs, 1-alpha)
		c.mean, c.sd, c.t = iv.Mean, iv.SD, iv.T
		c.lower, c.upper = iv.Lower(), iv.Upper()
		c.diff = d.Observed - c.mean
		if c.mean != 0 {
			c.pct = c.diff / c.mean
		}
		for _, chk := range []struct {
			what       string
			sheet, eng float64
		}{{"expected", c.mean, d.Expected}, {"lower", c.lower, d.Lower}, {"upper", c.upper, d.Upper}} {
			if !agree(chk.sheet, chk.eng) {
				return nil, fmt.Errorf("%s: %s %v from the baseline cells differs from the engine's %v",
					d.Date.Format(time.DateOnly), chk.what, chk.sheet, chk.eng)
			}
		}
		p.calc[i] = c
		w := 1.0
		if ev.Ratio {
			if d.Denominator <= 0 {
				return nil, fmt.Errorf("%s: ratio day without a denominator", d.Date.Format(time.DateOnly))
			}
			w = d.Denominator
		}
		p.totObs += w * d.Observed
		p.totExp += w * c.mean
		p.totDen += w
		p.counted++
		p.band = math.Max(p.band, c.upper)
	}
	if ev.Ratio && p.counted > 0 {
		// A rate summed over days means nothing, and a mean of daily rates
		// weights a quiet Saturday like a Monday: the window rate is
		// Σnumerator / Σdenominator, as the engine reports it.
		p.totObs /= p.totDen
		p.totExp /= p.totDen
	}
	if !agree(p.totObs, ev.Total.Observed) || !agree(p.totExp, ev.Total.Expected) {
		return nil, fmt.Errorf("window totals %v/%v from the included days differ from the engine's %v/%v",
			p.totObs, p.totExp, ev.Total.Observed, ev.Total.Expected)
	}
	// Round the band up so it clears the lines without dwarfing them.
	p.band = niceCeil(p.band * 1.04)
	return p, nil
}

// agree reports whether a and b agree to 1e-9 relative.
func agree(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))+1e-12
}

// niceCeil rounds x up to a multiple of a tenth of its leading power of
// ten (1.37 million becomes 1.4 million), so the band clears the lines without
// stretching the axis.
func niceCeil(x float64) float64 {
	if x <= 0 {
		return 1
	}
	step := math.Pow(10, math.Floor(math.Log10(x))) / 10
	return math.Ceil(x/step) * step
}

func pctLabel(alpha float64) string {
	return strconv.FormatFloat((1-alpha)*100, 'f', -1, 64) + "%"
}

// writeEvent writes one event sheet: registers its charts and defined
// names, then streams the rows.
func writeEvent(f *excelize.File, st *styles, ev *EventImpact, p *eventPlan, alpha float64, usedNames map[string]bool) error {
	sh := p.sheet
	if err := addEventCharts(f, ev, p, alpha); err != nil {
		return err
	}
	base := fmt.Sprintf("Event%d", ev.ID)
	for i := 2; usedNames[base]; i++ {
		base = fmt.Sprintf("Event%d_%d", ev.ID, i)
	}
	usedNames[base] = true
	for _, dn := range []struct{ suffix, col string }{{"Observed", "B"}, {"Expected", "E"}, {"Dates", "A"}} {
		if err := f.SetDefinedName(&excelize.DefinedName{
			Name:     base + "_" + dn.suffix,
			RefersTo: rangeRef(sh, dn.col, firstDayRow, p.lastRow),
			Comment:  fmt.Sprintf("%s per day, event %d", strings.ToLower(dn.suffix), ev.ID),
		}); err != nil {
			return fmt.Errorf("defined name %s_%s: %w", base, dn.suffix, err)
		}
	}
	if p.hasWindow {
		if err := f.SetDefinedName(&excelize.DefinedName{
			Name: base + "_Total", RefersTo: fmt.Sprintf("'%s'!$A$%d:$J$%d", sh, p.totalRow, p.totalRow),
		}); err != nil {
			return fmt.Errorf("defined name %s_Total: %w", base, err)
		}
	}

	widths := []float64{13, 12, 10, 5, 12, 10, 12, 12, 12, 11, 34, 30, 10}
	sw, err := stream(f, sh, widths...)
	if err != nil {
		return err
	}
	if ev.Ratio {
		if err := sw.SetColWidth(colModes, colModes, 14); err != nil {
			return fmt.Errorf("denominator width: %w", err)
		}
	}
	// The band column only feeds the chart's window shading.
	if err := sw.SetColVisible(colBand, colBand, false); err != nil {
		return fmt.Errorf("hide chart column: %w", err)
	}
	if len(ev.ByMode) > 0 {
		if err := sw.SetColWidth(colModes, colModes, 13); err != nil {
			return fmt.Errorf("mode date width: %w", err)
		}
		if err := sw.SetColWidth(colModes+1, colModes+len(ev.Modes), 14); err != nil {
			return fmt.Errorf("mode widths: %w", err)
		}
	}
	if err := freeze(sw, firstDayRow); err != nil {
		return fmt.Errorf("freeze: %w", err)
	}
	ci := pctLabel(alpha)
	num, wnum, tnum := st.count, st.wCount, st.tCount
	sdStyle, wsd := st.decimal, st.wDecimal
	if ev.Ratio {
		num, wnum, tnum, sdStyle, wsd = st.pct, st.wPct, st.tPct, st.pct, st.wPct
	}
	label := ev.MetricLabel
	if label == "" {
		label = ev.Metric
	}
	title := fmt.Sprintf("%s — %s", Neutralise(ev.Title), Neutralise(label))
	scope := ev.Scope
	if ev.Measure != "" {
		// The slice measured, e.g. "Attended appointments with a GP, England".
		scope = ev.Measure + ", " + ev.Scope
	}
	sub := fmt.Sprintf("Scope: %s · Window: %s – %s · Expected = mean of the same weekday in the baseline weeks; %s prediction interval = expected ± t·s·√(1+1/N)",
		scope, civil(ev.WindowStart).Format("02 Jan 2006"), civil(ev.WindowEnd).Format("02 Jan 2006"), ci)
	if err := sw.SetRow("A1", []any{cell(st.title, title)}, excelize.RowOpts{Height: 22}); err != nil {
		return fmt.Errorf("title row: %w", err)
	}
	if err := sw.SetRow("A2", []any{text(st.subtitle, sub)}); err != nil {
		return fmt.Errorf("subtitle row: %w", err)
	}
	if ev.SPC != "" {
		if err := sw.SetRow("A3", []any{text(st.subtitle, "SPC: "+ev.SPC)}); err != nil {
			return fmt.Errorf("SPC row: %w", err)
		}
	}
	head := []any{"Date", "Observed", "Window", "N", "Expected", "SD", "Lower " + ci, "Upper " + ci,
		"Difference", "% difference", "Baseline days", "Note", "Chart: window"}
	width := eventCols
	if ev.Ratio {
		// The denominator sits right of the charts, where count sheets keep
		// their mode table (ratio sheets have none).
		width = colModes
		head = append(head, make([]any, width-len(head))...)
		head[colModes-1] = "Denominator"
	}
	if len(ev.ByMode) > 0 {
		// The mode table shares the day rows (a stream writes each row
		// once), in columns right of the charts.
		width = colModes + len(ev.Modes)
		head = append(head, make([]any, width-len(head))...)
		head[colModes-1] = "Date"
		for m, name := range ev.Modes {
			head[colModes+m] = Neutralise(name)
		}
	}
	for i := range head {
		if head[i] != nil {
			head[i] = cell(st.header, head[i])
		}
	}
	if err := sw.SetRow(axis(1, headerRow), head, excelize.RowOpts{Height: 30}); err != nil {
		return fmt.Errorf("header row: %w", err)
	}

	row := make([]any, width)
	alphaS := strconv.FormatFloat(alpha, 'g', -1, 64)
	for i, d := range ev.Days {
		r := firstDayRow + i
		clear(row)
		sDate, sNum, sSD, sPct, sText := st.date, num, sdStyle, st.pct, st.text
		if d.InWindow {
			sDate, sNum, sSD, sPct, sText = st.wDate, wnum, wsd, st.wPct, st.wText
			for c := range eventCols {
				row[c] = cell(sText, nil) // fill the whole window row
			}
			row[colWindow-1] = cell(st.wCentre, "excluded")
			row[colBand-1] = cell(sNum, p.band)
		}
		row[colDate-1] = cell(sDate, civil(d.Date))
		if d.HasObserved {
			row[colObserved-1] = cell(sNum, d.Observed)
		}
		if d.Note != "" {
			row[colNote-1] = text(sText, d.Note)
		}
		if c, ok := p.calc[i]; ok {
			args := strings.Join(c.cells, ",")
			R := func(col int) string { return axis(col, r) }
			row[colWindow-1] = cell(st.wCentre, windowMark)
			row[colN-1] = formula(st.wCentre, "COUNT("+args+")", c.n)
			row[colExpected-1] = formula(sNum, "AVERAGE("+args+")", c.mean)
			row[colSD-1] = formula(sSD, "_xlfn.STDEV.S("+args+")", c.sd)
			margin := fmt.Sprintf("_xlfn.T.INV.2T(%s,%s-1)*%s*SQRT(1+1/%s)", alphaS, R(colN), R(colSD), R(colN))
			row[colLower-1] = formula(sNum, R(colExpected)+"-"+margin, c.lower)
			row[colUpper-1] = formula(sNum, R(colExpected)+"+"+margin, c.upper)
			row[colDiff-1] = formula(sNum, R(colObserved)+"-"+R(colExpected), c.diff)
			if c.mean != 0 {
				row[colPct-1] = formula(sPct, R(colDiff)+"/"+R(colExpected), c.pct)
			}
			var ds []string
			for _, b := range d.BaselineDates {
				ds = append(ds, civil(b).Format("02 Jan"))
			}
			row[colBaseline-1] = cell(sText, strings.Join(ds, ", "))
		}
		if ev.Ratio && d.Denominator > 0 {
			row[colModes-1] = cell(st.count, d.Denominator)
		}
		if i < len(ev.ByMode) {
			md := ev.ByMode[i]
			row[colModes-1] = cell(st.date, civil(md.Date))
			for m, v := range md.Counts {
				row[colModes+m] = cell(st.count, v)
			}
		}
		if err := sw.SetRow(axis(1, r), row); err != nil {
			return fmt.Errorf("row %d: %w", r, err)
		}
	}

	if p.hasWindow {
		rng := func(col int) string {
			return fmt.Sprintf("$%s$%d:$%s$%d", colName(col), firstDayRow, colName(col), p.lastRow)
		}
		T := func(col int) string { return axis(col, p.totalRow) }
		diff := p.totObs - p.totExp
		tot := make([]any, colPct)
		for c := range tot {
			tot[c] = cell(st.tLabel, nil)
		}
		tot[0] = cell(st.tLabel, "Window total")
		tot[colObserved-1] = formula(tnum, fmt.Sprintf(`SUMIF(%s,"%s",%s)`, rng(colWindow), windowMark, rng(colObserved)), p.totObs)
		tot[colExpected-1] = formula(tnum, "SUM("+rng(colExpected)+")", p.totExp)
		if ev.Ratio {
			// Σnumerator / Σdenominator: each day's rate times its
			// denominator is its numerator.
			win, den := fmt.Sprintf(`(%s="%s")`, rng(colWindow), windowMark), rng(colModes)
			tot[0] = cell(st.tLabel, "Window rate")
			tot[colObserved-1] = formula(tnum, fmt.Sprintf(`SUMPRODUCT(%s*%s*%s)/SUMIF(%s,"%s",%s)`,
				win, rng(colObserved), den, rng(colWindow), windowMark, den), p.totObs)
			tot[colExpected-1] = formula(tnum, fmt.Sprintf(`SUMPRODUCT(%s*%s*%s)/SUMIF(%s,"%s",%s)`,
				win, rng(colExpected), den, rng(colWindow), windowMark, den), p.totExp)
		}
		tot[colLower-1] = cell(tnum, ev.Total.Lower)
		tot[colUpper-1] = cell(tnum, ev.Total.Upper)
		tot[colDiff-1] = formula(tnum, T(colObserved)+"-"+T(colExpected), diff)
		if p.totExp != 0 {
			tot[colPct-1] = formula(st.tPct, T(colDiff)+"/"+T(colExpected), diff/p.totExp)
		}
		if err := sw.SetRow(axis(1, p.totalRow), tot); err != nil {
			return fmt.Errorf("totals row: %w", err)
		}
		note := "Window total: observed and expected summed over the counted window days. " +
			"Its interval is the engine's (per-day variances added, Welch–Satterthwaite degrees of freedom; see Method) and is a value, not a formula."
		if ev.Ratio {
			note = "Window rate: Σnumerator / Σdenominator over the counted window days (each day's rate × its denominator, summed, over the summed denominator in column " +
				colName(colModes) + "), never a sum or mean of daily rates. Its interval is the engine's and is a value, not a formula."
		}
		if err := sw.SetRow(axis(1, p.totalRow+1), []any{cell(st.subtitle, note)}); err != nil {
			return fmt.Errorf("totals note: %w", err)
		}
		row := p.totalRow + 2
		for _, n := range []struct{ head, days string }{
			{"Left out of the baselines: ", ev.LeftOut},
			{"Not counted in the window total: ", ev.WindowLeftOut},
		} {
			if n.days == "" {
				continue
			}
			if err := sw.SetRow(axis(1, row), []any{text(st.subtitle, n.head+n.days)}); err != nil {
				return fmt.Errorf("left-out note: %w", err)
			}
			row++
		}
	}

	if err := sw.Flush(); err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	return nil
}
