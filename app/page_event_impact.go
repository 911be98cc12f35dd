package app

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"strings"
	"time"

	"github.com/strikeline/strikeline/app/svgchart"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/analysis"
	"github.com/strikeline/strikeline/reports/holidays"
	"github.com/strikeline/strikeline/reports/impact"
)

// impactSection is what the event page shows of the measured effect: the
// headline first, then the charts, each with its words and a table.
type impactSection struct {
	Headline string
	// Slice says what was measured and where, e.g. "Attended appointments,
	// England".
	Slice   string
	Note    string
	Charts  []chartBlock
	Effects []effectRow
	// DaysAll is true when the chart shows every calendar day (?days=all);
	// the default is working days only.
	DaysAll    bool
	ToggleURL  string
	ToggleText string
	APIURL     string
}

// chartBlock is one chart with everything that makes it readable without
// the picture: a caption, a legend, the result in words and a table.
type chartBlock struct {
	ID      string
	Heading string
	SVG     template.HTML
	Words   []string
	Legend  []legendItem
	Markers []markerNote
	Table   dataTable
}

type legendItem struct{ Class, Label string }

// markerNote explains a numbered marker on a chart.
type markerNote struct {
	Label, Text, URL string
}

type dataTable struct {
	Summary string
	Caption string
	Head    []string
	Rows    [][]string
}

// effectRow is one metric's effect in the "every measure" table.
type effectRow struct {
	Measure, Effect, Interval, Days string
}

// eventImpact analyses e with its default slice and lays the result out
// for the page. A failing source costs the section, not the page.
func (s *Server) eventImpact(ctx context.Context, e *models.Event, daysAll bool) impactSection {
	sec := impactSection{DaysAll: daysAll, APIURL: fmt.Sprintf("/api/v1/events/%d/impact", e.ID)}
	sec.ToggleURL, sec.ToggleText = "?days=all#impact", "Show every calendar day"
	if daysAll {
		sec.ToggleURL, sec.ToggleText = "?#impact", "Show working days only"
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	res, err := analysis.ForEvent(ctx, s.store, s.activity, e.ID, analysis.Request{})
	if err != nil {
		s.log.Warn("event impact unavailable", "event", e.ID, "err", err)
		sec.Note = "The measured effect could not be computed just now."
		return sec
	}
	if res.Spec.Method == analysis.MethodNone {
		return sec
	}
	v := res.View()
	area := analysis.AreaNames(v.Areas)
	primary := -1
	for i, m := range res.Metrics {
		if m.Err == nil || m.Baseline != nil || m.ITS != nil {
			primary = i
			break
		}
	}
	if primary < 0 {
		sec.Note = "No appointment data imported for this period yet."
		return sec
	}
	mr, mv := res.Metrics[primary], v.Metrics[primary]
	measure := analysis.ShortLabel(mr.Metric.Label)
	sec.Slice = measure + ", " + area
	switch {
	case mv.ITS != nil:
		sec.Headline = analysis.ITSSentence(measure, area, *mv.ITS, mv.Unit, v.Parameters.Confidence)
		sec.Charts = append(sec.Charts, itsChart(mr, measure, area))
	case mv.Baseline != nil:
		if h, ok := analysis.HeadlineOf(v, mv, measure); ok {
			sec.Headline = h.Sentence()
		} else {
			sec.Note = "Not enough comparable days to estimate what was expected: " + mv.Error
		}
		sec.Charts = append(sec.Charts, baselineChart(res, mr, measure, area, daysAll))
	default:
		sec.Note = "Not analysed: " + mv.Error
	}
	if mr.SPC != nil {
		sec.Charts = append(sec.Charts, s.spcChart(ctx, res, mr, measure, area))
	}
	for i, m := range v.Metrics {
		sec.Effects = append(sec.Effects, effectOf(m, res.Metrics[i]))
	}
	return sec
}

// windowsOf lists the shaded windows of a result. Today there is the
// event's own window; announcement and recovery windows join it here.
func windowsOf(res *analysis.Result) []svgchart.Window {
	label := "Strike"
	if res.Spec.Method == analysis.MethodITS {
		label = "After the change"
	} else if res.Spec.Kind != models.KindStrikeRound {
		label = "Event"
	}
	class := "window-action"
	if res.Spec.Method == analysis.MethodITS {
		class = "window-post"
	}
	return []svgchart.Window{{From: res.Spec.Window.From, To: res.Spec.Window.To, Label: label, Class: class}}
}

// chartDays lists the x categories from..to: working days only (the
// default: weekends and bank holidays would swamp the effect), or every
// day.
func chartDays(from, to time.Time, all bool) []time.Time {
	var out []time.Time
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if all || isWorkingDay(d) {
			out = append(out, d)
		}
	}
	return out
}

func isWorkingDay(d time.Time) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday && !holidays.IsBankHoliday(d)
}

// calendarMarks marks weekends and bank holidays: shaded days on an
// every-day chart; on a working-day chart bank holidays (the only gaps a
// reader would not expect) become markers.
func calendarMarks(from, to time.Time, all bool) ([]svgchart.Shade, []svgchart.Marker, []markerNote) {
	var shades []svgchart.Shade
	var marks []svgchart.Marker
	var notes []markerNote
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		bh := holidays.IsBankHoliday(d)
		switch {
		case all && bh:
			shades = append(shades, svgchart.Shade{Day: d, Class: "holiday", Label: "Bank holiday, " + d.Format("Mon 2 Jan 2006")})
		case all && !isWorkingDay(d):
			shades = append(shades, svgchart.Shade{Day: d, Class: "weekend", Label: "Weekend, " + d.Format("Mon 2 Jan 2006")})
		case !all && bh:
			text := "Bank holiday " + d.Format("Mon 2 Jan 2006") + ": practices closed, left out of the chart"
			marks = append(marks, svgchart.Marker{Day: d, Label: "BH", Title: text, Class: "marker holiday"})
			notes = append(notes, markerNote{Label: "BH", Text: text})
		}
	}
	return shades, marks, notes
}

func points(days []impact.BaselineDay, f func(impact.BaselineDay) (float64, bool)) []svgchart.DayValue {
	var out []svgchart.DayValue
	for _, d := range days {
		if v, ok := f(d); ok {
			out = append(out, svgchart.DayValue{Day: d.Day, Value: v})
		}
	}
	return out
}

// baselineChart draws observed against expected with the 95% prediction
// band over the event window and the two weeks either side, after four
// weeks of ordinary days.
func baselineChart(res *analysis.Result, mr analysis.MetricResult, measure, area string, all bool) chartBlock {
	w := res.Spec.Window
	from, to := w.From.AddDate(0, 0, -28), w.To.AddDate(0, 0, impact.NetEffectMargin)
	days := chartDays(from, to, all)
	ratio := mr.Metric.IsRatio()
	var obs []svgchart.DayValue
	for _, p := range mr.Series {
		if !p.Day.Before(from) && !p.Day.After(to) {
			obs = append(obs, svgchart.DayValue{Day: p.Day, Value: p.Value})
		}
	}
	// The net-effect comparison covers the window ± 2 weeks, so expected
	// values run either side of the event too.
	bdays := mr.Baseline.Days
	if mr.Net != nil {
		bdays = mr.Net.Days
	}
	expected := func(d impact.BaselineDay) (float64, bool) { return d.Expected.Value, d.HasExpected && !d.BankHoliday }
	lower := func(d impact.BaselineDay) (float64, bool) { return d.Expected.Lower, d.HasExpected && !d.BankHoliday }
	upper := func(d impact.BaselineDay) (float64, bool) { return d.Expected.Upper, d.HasExpected && !d.BankHoliday }
	shades, marks, notes := calendarMarks(from, to, all)
	id := "chart-baseline"
	c := svgchart.Chart{ID: id, Percent: ratio, Days: days,
		Title: fmt.Sprintf("%s in %s: observed and expected, %s to %s", measure, area, from.Format("2 Jan 2006"), to.Format("2 Jan 2006")),
		Desc: "Observed daily figures against the weekday-matched expectation with its 95% prediction band; the shaded window is the event. " +
			"The table below the chart gives the same figures.",
		YLabel:  yLabelOf(mr.Metric),
		Bands:   []svgchart.Band{{Name: "95% prediction band", Lower: points(bdays, lower), Upper: points(bdays, upper)}},
		Lines:   []svgchart.Line{{Name: "Expected", Class: "expected", Dashed: true, Points: points(bdays, expected)}, {Name: "Observed", Class: "observed", Points: obs}},
		Windows: windowsOf(res), Shades: shades, Markers: marks,
		ZeroBased: all && !ratio, MarkGaps: !all,
	}
	b := chartBlock{ID: id, Heading: "Observed and expected, day by day", SVG: template.HTML(svgchart.Both(c)), Markers: notes,
		Legend: []legendItem{{"observed", "Observed"}, {"expected", "Expected (same weekday, 6 earlier weeks)"}, {"band", "95% prediction band"}, {"window-action", "Strike days"}}}
	if all {
		b.Legend = append(b.Legend, legendItem{"weekend", "Weekend"}, legendItem{"holiday", "Bank holiday"})
	} else {
		b.Legend = append(b.Legend, legendItem{"gap", "Weekend left out"})
		if len(notes) > 0 {
			b.Legend = append(b.Legend, legendItem{"marker holiday", "BH: bank holiday left out"})
		}
	}
	b.Words = append(b.Words, "Expected is the mean of the same weekday in the six weeks before, leaving out bank holidays and other events' days; "+
		"the band is where 95% of ordinary days would fall.")
	b.Table = dataTable{Summary: "The figures of each strike day as a table", Caption: "Strike days: observed, expected and the difference",
		Head: []string{"Date", "Observed", "Expected", "95% interval", "Difference", "Difference (%)"}}
	for _, d := range mr.Baseline.Days {
		row := []string{d.Day.Format("Mon 2 Jan 2006"), "–", "–", "–", "–", "–"}
		if d.HasObserved {
			row[1] = fmtValue(d.Observed, ratio)
		}
		if d.HasExpected {
			row[2] = fmtValue(d.Expected.Value, ratio)
			row[3] = fmtValue(d.Expected.Lower, ratio) + " to " + fmtValue(d.Expected.Upper, ratio)
			if d.HasObserved {
				row[4], row[5] = fmtSigned(d.Difference.Value, ratio), signedPct(d.Relative.Value)
			}
		}
		if !d.Included && d.Note != "" {
			row[5] = d.Note
		}
		b.Table.Rows = append(b.Table.Rows, row)
	}
	if mr.Baseline.DaysIncluded > 0 {
		cu := mr.Baseline.Cumulative
		b.Table.Rows = append(b.Table.Rows, []string{"Window (" + analysis.Plural(mr.Baseline.DaysIncluded, "day", "days") + ")",
			fmtValue(cu.Actual, ratio), fmtValue(cu.Expected.Value, ratio), fmtValue(cu.Expected.Lower, ratio) + " to " + fmtValue(cu.Expected.Upper, ratio),
			fmtSigned(cu.Absolute.Value, ratio), signedPct(cu.Relative.Value)})
	}
	return b
}

// itsChart draws the interrupted time series around the change as weekly
// means of working days (daily values swing with the weekday far more
// than the step): observed, the fitted model and the counterfactual.
func itsChart(mr analysis.MetricResult, measure, area string) chartBlock {
	r := mr.ITS
	from := monday(r.InterventionDay).AddDate(0, 0, -7*26)
	type acc struct{ o, f, c, nc, n float64 }
	var weeks []time.Time
	sums := map[time.Time]*acc{}
	for _, d := range r.Days {
		if d.Day.Before(from) {
			continue
		}
		w := monday(d.Day)
		a, ok := sums[w]
		if !ok {
			a = &acc{}
			sums[w] = a
			weeks = append(weeks, w)
		}
		a.o, a.f, a.n = a.o+d.Observed, a.f+d.Fitted, a.n+1
		if !d.Day.Before(r.InterventionDay) {
			a.c, a.nc = a.c+d.Counterfactual, a.nc+1
		}
	}
	ratio := mr.Metric.IsRatio()
	var obs, fit, cf []svgchart.DayValue
	table := dataTable{Summary: "Weekly means as a table", Caption: "Weekly means of working days: observed, fitted and counterfactual",
		Head: []string{"Week of", "Observed", "Fitted", "Counterfactual"}}
	for _, w := range weeks {
		a := sums[w]
		obs = append(obs, svgchart.DayValue{Day: w, Value: a.o / a.n})
		fit = append(fit, svgchart.DayValue{Day: w, Value: a.f / a.n})
		cfs := "–"
		if a.nc > 0 {
			cf = append(cf, svgchart.DayValue{Day: w, Value: a.c / a.nc})
			cfs = fmtValue(a.c/a.nc, ratio)
		}
		table.Rows = append(table.Rows, []string{w.Format("2 Jan 2006"), fmtValue(a.o/a.n, ratio), fmtValue(a.f/a.n, ratio), cfs})
	}
	last := monday(r.InterventionDay)
	if len(weeks) > 0 {
		last = weeks[len(weeks)-1]
	}
	id := "chart-its"
	c := svgchart.Chart{ID: id, Percent: ratio, Days: weeks,
		Title:  fmt.Sprintf("%s in %s around the change on %s: observed, fitted and counterfactual, weekly means", measure, area, r.InterventionDay.Format("2 Jan 2006")),
		Desc:   "Weekly means of working days. The fitted line is the interrupted time series; the counterfactual is the same model without the change. The table below gives the same figures.",
		YLabel: yLabelOf(mr.Metric) + " (weekly mean)",
		Lines: []svgchart.Line{{Name: "Observed", Class: "observed-thin", Points: obs}, {Name: "Counterfactual (no change)", Class: "counterfactual", Dashed: true, Points: cf},
			{Name: "Fitted", Class: "fitted", Points: fit}},
		Windows: []svgchart.Window{{From: monday(r.InterventionDay), To: last.AddDate(0, 0, 6), Label: "After the change", Class: "window-post"}},
	}
	b := chartBlock{ID: id, Heading: "Before and after the change", SVG: template.HTML(svgchart.Both(c)), Table: table,
		Legend: []legendItem{{"observed-thin", "Observed"}, {"fitted", "Fitted model"}, {"counterfactual", "Counterfactual: no change"}, {"window-post", "After the change"}}}
	l, sl := r.Level, r.Slope
	b.Words = []string{
		fmt.Sprintf("Level change (the step when the change came in): %s a day (95%% interval %s to %s).", fmtSigned(l.Estimate, ratio), fmtSigned(l.Lower, ratio), fmtSigned(l.Upper, ratio)),
		fmt.Sprintf("Slope change (how the trend bent afterwards): %s a day per week (95%% interval %s to %s).", fmtSigned(sl.Estimate*7, ratio), fmtSigned(sl.Lower*7, ratio), fmtSigned(sl.Upper*7, ratio)),
		fmt.Sprintf("Model: %s working days, Newey–West standard errors with %d lags%s.", analysis.Thousands(float64(r.N)), r.MaxLags, map[bool]string{true: ", with an annual cycle", false: ""}[r.Seasonal]),
	}
	return b
}

// spcChart draws the XmR chart of weekly means with every logged event in
// range as a numbered marker, rebasing only at events a planner marked.
func (s *Server) spcChart(ctx context.Context, res *analysis.Result, mr analysis.MetricResult, measure, area string) chartBlock {
	ch := mr.SPC
	first, last := ch.Weeks[0], ch.Weeks[len(ch.Weeks)-1].AddDate(0, 0, 6)
	evs, _, err := s.store.ListEvents(ctx, models.EventFilter{From: &first, To: &last, Limit: 200})
	if err != nil {
		s.log.Warn("events for SPC markers unavailable", "event", res.Spec.EventID, "err", err)
	}
	var rebases []analysis.Rebase
	for _, e := range evs {
		if e.SPCRebase && e.ID != res.Spec.EventID {
			d, _ := e.Days()
			rebases = append(rebases, analysis.Rebase{Day: d, Title: e.Title})
		}
	}
	ch, used := analysis.Rebased(ch, rebases, res.Spec.Window.From, res.Options.SPC)
	ratio := mr.Metric.IsRatio()
	var days []time.Time
	var val, mean, upl, lpl []svgchart.DayValue
	var dots []svgchart.Dot
	for i, p := range ch.Result.Points {
		w := ch.Weeks[i]
		days = append(days, w)
		val = append(val, svgchart.DayValue{Day: w, Value: p.Value})
		mean = append(mean, svgchart.DayValue{Day: w, Value: p.Mean})
		upl = append(upl, svgchart.DayValue{Day: w, Value: p.UPL})
		lpl = append(lpl, svgchart.DayValue{Day: w, Value: p.LPL})
		if p.Rule != impact.RuleNone {
			class := "special-high"
			if p.RelativeToMean < 0 {
				class = "special-low"
			}
			dots = append(dots, svgchart.Dot{Day: w, Value: p.Value, Class: class, Title: fmt.Sprintf("Week of %s: %s (%s)", w.Format("2 Jan 2006"), fmtValue(p.Value, ratio), p.Label)})
		}
	}
	// Every logged event that starts in range (disputes are containers,
	// not events), on the week that holds it; events of one week share a
	// marker.
	var marks []svgchart.Marker
	var notes []markerNote
	selfRebase := false
	for _, e := range evs {
		d, _ := e.Days()
		if e.Kind == models.KindDispute || d.Before(first) || d.After(last) {
			continue
		}
		label := fmt.Sprint(len(notes) + 1)
		text := fmt.Sprintf("%s: %s (%s)", d.Format("2 Jan 2006"), e.Title, e.Kind.Label())
		class := "marker"
		if e.ID == res.Spec.EventID {
			text += ", this record"
			selfRebase = e.SPCRebase
		}
		for _, r := range used {
			if r.Title == e.Title && impact.Civil(r.Day).Equal(impact.Civil(d)) {
				class, text = "marker rebase", text+", limits recalculated from here"
			}
		}
		notes = append(notes, markerNote{Label: label, Text: text, URL: eventURL(e.ID)})
		w := monday(d)
		if n := len(marks); n > 0 && marks[n-1].Day.Equal(w) {
			marks[n-1].Label += "," + label
			marks[n-1].Title += "; " + text
			if class != "marker" {
				marks[n-1].Class = class
			}
			continue
		}
		marks = append(marks, svgchart.Marker{Day: w, Label: label, Title: text, Class: class})
	}
	id := "chart-spc"
	c := svgchart.Chart{ID: id, Percent: ratio, Days: days,
		Title:  fmt.Sprintf("%s in %s: weekly mean of working days, XmR control chart", measure, area),
		Desc:   "Weekly means with the centre line and process limits; coloured points are special causes; numbered lines are logged events, listed below the chart.",
		YLabel: yLabelOf(mr.Metric) + " (weekly mean)",
		Lines: []svgchart.Line{{Name: "Upper process limit", Class: "limit", Step: true, Dashed: true, Points: upl}, {Name: "Lower process limit", Class: "limit", Step: true, Dashed: true, Points: lpl},
			{Name: "Centre line (mean)", Class: "mean", Step: true, Points: mean}, {Name: "Weekly mean", Class: "observed", Points: val}},
		Dots: dots, Markers: marks,
	}
	b := chartBlock{ID: id, Heading: "Control chart (SPC)", SVG: template.HTML(svgchart.Both(c)), Markers: notes,
		Legend: []legendItem{{"observed", "Weekly mean"}, {"mean", "Centre line"}, {"limit", "Process limits"}, {"special-low", "Special cause, low"}, {"special-high", "Special cause, high"}, {"marker", "Logged event"}}}
	b.Words = append(b.Words, "Signal in the event's weeks: "+ch.Signal+".")
	switch {
	case len(used) == 0 && selfRebase:
		b.Words = append(b.Words, fmt.Sprintf("Limits come from the %s before the event. This record is marked as a rebase point: charts after it recalculate their limits from here, while its own chart keeps the limits from before it so that its effect shows.",
			analysis.Plural(ch.BaselineWeeks, "week", "weeks")))
	case len(used) == 0:
		b.Words = append(b.Words, fmt.Sprintf("Limits come from the %s before the event. They are recalculated only at a logged event a planner marks as a rebase point; none falls in this range.",
			analysis.Plural(ch.BaselineWeeks, "week", "weeks")))
	default:
		var why []string
		for _, r := range used {
			why = append(why, fmt.Sprintf("%s (%s)", r.Title, impact.Civil(r.Day).Format("2 Jan 2006")))
		}
		b.Words = append(b.Words, "Limits are recalculated from "+strings.Join(why, " and ")+
			": a planner marked it as a rebase point, a change after which the figure has a new normal.")
	}
	b.Table = dataTable{Summary: "Weekly means as a table", Caption: "Weekly means with the centre line, limits and signal",
		Head: []string{"Week of", "Weekly mean", "Centre line", "Lower limit", "Upper limit", "Signal"}}
	for i, p := range ch.Result.Points {
		b.Table.Rows = append(b.Table.Rows, []string{ch.Weeks[i].Format("2 Jan 2006"), fmtValue(p.Value, ratio), fmtValue(p.Mean, ratio),
			fmtValue(p.LPL, ratio), fmtValue(p.UPL, ratio), p.Label})
	}
	return b
}

// effectOf is one metric's row in the "every measure" table.
func effectOf(m analysis.MetricView, mr analysis.MetricResult) effectRow {
	r := effectRow{Measure: analysis.ShortLabel(m.Label), Effect: "–", Interval: "–", Days: "–"}
	switch {
	case m.Baseline != nil && m.Baseline.DaysIncluded > 0:
		c := m.Baseline.Cumulative.Relative
		r.Effect, r.Interval = signedPct(c.Value), "95% interval "+signedPct(c.Lower)+" to "+signedPct(c.Upper)
		r.Days = analysis.Plural(m.Baseline.DaysIncluded, "day", "days")
	case m.ITS != nil:
		ratio := mr.Metric.IsRatio()
		r.Effect = signedPct(m.ITS.MeanRelativeChange) + " against the counterfactual"
		r.Interval = fmt.Sprintf("level change %s a day (95%% interval %s to %s)", fmtSigned(m.ITS.Level.Estimate, ratio),
			fmtSigned(m.ITS.Level.Lower, ratio), fmtSigned(m.ITS.Level.Upper, ratio))
		r.Days = analysis.Plural(m.ITS.N, "working day", "working days") + " modelled"
	case m.Error != "":
		r.Effect = "not analysed: " + m.Error
	}
	return r
}

func yLabelOf(m impact.Metric) string {
	if m.IsRatio() {
		return analysis.ShortLabel(m.Label)
	}
	return strings.ToLower(analysis.ShortLabel(m.Label)[:1]) + analysis.ShortLabel(m.Label)[1:]
}

// fmtValue writes a count with thousands separators or a rate as a
// percentage.
func fmtValue(v float64, ratio bool) string {
	if ratio {
		return fmt.Sprintf("%.2f%%", v*100)
	}
	return analysis.Thousands(v)
}

// fmtSigned is fmtValue with a sign; rates move in percentage points.
func fmtSigned(v float64, ratio bool) string {
	if ratio {
		return fmt.Sprintf("%+.2f pp", v*100)
	}
	s := analysis.Thousands(v)
	if math.Round(v) > 0 {
		s = "+" + s
	}
	return strings.Replace(s, "-", "−", 1)
}

func signedPct(f float64) string {
	s := analysis.Percent(f)
	switch {
	case math.Round(f*1000) > 0:
		return "+" + s
	case math.Round(f*1000) < 0:
		return "−" + analysis.Percent(-f)
	}
	return s
}

func monday(t time.Time) time.Time {
	d := impact.Civil(t)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}
