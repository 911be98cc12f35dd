package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"math"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

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
	// CoverageWarning says the GP coverage of baseline and window differ
	// by more than a point (analysis.CompareCoverage).
	CoverageWarning string
	// Slice says what was measured and where, e.g. "Attended appointments,
	// England".
	Slice string
	// LeftOut says which days the baselines left out and why (bank
	// holidays, Christmas to New Year, other events' windows), with the
	// engine's notes on thinner or widened baselines.
	LeftOut []string
	// WindowLeftOut says, per window, which of its own days its figure
	// leaves out (bank holidays, Christmas to New Year): a recovery that
	// runs into Christmas is measured on its ordinary days.
	WindowLeftOut []string
	Note          string
	Charts        []chartBlock
	Effects       []effectRow
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

// impactView is the event's impact for its default slice with the per-day
// detail the charts need: the one place the page asks the engine.
func (s *Server) impactView(ctx context.Context, id int64) (analysis.View, error) {
	// Stored: computed once per event version, slice and data state.
	return analysis.Stored(ctx, s.store, s.activity, id, impactRequest)
}

// impactRequest is what the event page and its embed card ask for: the
// default slice with per-day detail.
var impactRequest = analysis.Request{Detail: true}

// renderedImpact is the event page's impact section as rendered once and
// stored beside the stored answer: the page prints it as it is. Head and
// Tail are the section's HTML before and after NHS England's figures,
// which come from the record's version (a reader may see the published
// one, a planner the working copy) and so are not stored with it.
type renderedImpact struct {
	Headline        string        `json:"headline,omitempty"`
	CoverageWarning string        `json:"coverage_warning,omitempty"`
	Note            string        `json:"note,omitempty"`
	Charts          bool          `json:"charts,omitempty"`
	Head            template.HTML `json:"-"`
	Tail            template.HTML `json:"-"`
	HeadLen         int           `json:"head_len,omitempty"`
}

// encode writes the short fields as one line of JSON followed by the HTML
// as it is: read on every view, the HTML is then sliced out, not decoded
// from a JSON string.
func (r renderedImpact) encode() ([]byte, error) {
	r.HeadLen = len(r.Head)
	line, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encoding the impact section: %w", err)
	}
	return append(append(append(line, '\n'), r.Head...), r.Tail...), nil
}

func decodeRendered(b []byte) (renderedImpact, error) {
	var r renderedImpact
	line, html, ok := bytes.Cut(b, []byte{'\n'})
	if !ok {
		return r, errors.New("a stored impact section without its HTML")
	}
	if err := json.Unmarshal(line, &r); err != nil {
		return r, fmt.Errorf("decoding a stored impact section: %w", err)
	}
	if r.HeadLen < 0 || r.HeadLen > len(html) {
		return r, errors.New("a stored impact section of the wrong length")
	}
	r.Head, r.Tail = template.HTML(html[:r.HeadLen]), template.HTML(html[r.HeadLen:])
	return r, nil
}

// impactRenderingVersion names the Go code that lays the section out
// (this file and app/svgchart). Change it when a change there changes
// what the section shows: renderings stored before are then superseded.
const impactRenderingVersion = "p4"

// buildRevision is the commit the binary was built from, when known: a
// new build does not reuse another's renderings.
var buildRevision = func() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	return rev + map[string]string{"true": "+"}[modified]
}()

// storedImpact is the event page's impact section for e, rendered once and
// stored under storedKey, so a view reads one stored row. A failing source
// costs the section, not the page.
func (s *Server) storedImpact(c *fiber.Ctx, e *models.Event, daysAll bool, register int) renderedImpact {
	ctx, cancel := context.WithTimeout(c.UserContext(), 10*time.Second)
	defer cancel()
	name := "event-page/working-days"
	if daysAll {
		name = "event-page/all-days"
	}
	key, err := s.storedKey(c, register)
	var body []byte
	ok := false
	if err == nil {
		body, ok, err = s.store.ImpactResult(ctx, e.ID, 0, name, key)
	}
	if err == nil && !ok {
		body, err = s.renderImpact(ctx, e.ID, daysAll)
		if err == nil {
			// Version 0: a rendering is keyed by the state, not by the
			// event's version; a new state supersedes the old rendering.
			err = s.store.PutImpactResult(ctx, models.ImpactResult{EventID: e.ID, SliceKey: name, DataState: key, Body: string(body)})
		}
	}
	var out renderedImpact
	if err == nil {
		out, err = decodeRendered(body)
	}
	if err != nil {
		s.log.Warn("event impact unavailable", "event", e.ID, "err", err)
		return renderedImpact{Note: "The measured effect could not be computed just now."}
	}
	return out
}

// storedKey names the state a stored rendering (the event page's impact
// section, the rounds comparison) is made at: the cache state (every edit
// of a record and every import changes it, so everything the stored
// answers' own keys are made of), the register version (the published
// records they name; -1 reads it), the engine, this code and the
// templates. A rendering is made again when any of them changes, from
// stored answers that are recomputed only if their own, exact keys
// changed (analysis.Stored).
func (s *Server) storedKey(c *fiber.Ctx, register int) (string, error) {
	ctx := c.UserContext()
	st, ok := c.Locals(localCacheState).(models.CacheState)
	if !ok {
		// Signed in: the cache middleware did not read the state.
		var err error
		if st, err = s.store.CacheState(ctx); err != nil {
			return "", err
		}
	}
	if register < 0 {
		reg, err := s.store.RegisterState(ctx)
		if err != nil {
			return "", err
		}
		register = reg.Version
	}
	return fmt.Sprintf("%s/%s/%s/%s/%s/r%d/%s", analysis.EngineVersion, impactRenderingVersion, s.views.digest, s.version, buildRevision, register, st.Tag), nil
}

// renderImpact renders the impact section of event id from its stored
// answer.
func (s *Server) renderImpact(ctx context.Context, id int64, daysAll bool) ([]byte, error) {
	v, err := s.impactView(ctx, id)
	if err != nil {
		return nil, err
	}
	sec := s.layoutImpact(ctx, id, v, daysAll)
	out := renderedImpact{Headline: sec.Headline, CoverageWarning: sec.CoverageWarning, Note: sec.Note, Charts: len(sec.Charts) > 0}
	if out.Charts {
		if out.Head, err = s.views.fragment("event", "impactHead", sec); err != nil {
			return nil, err
		}
		if out.Tail, err = s.views.fragment("event", "impactTail", sec); err != nil {
			return nil, err
		}
	}
	return out.encode()
}

// eventImpact analyses e with its default slice and lays the result out
// (the embed card; the page stores its rendering, storedImpact). It
// renders from the API's View, so the page says exactly what
// GET /api/v1/events/:id/impact says. A failing source costs the section,
// not the page.
func (s *Server) eventImpact(ctx context.Context, e *models.Event, daysAll bool) impactSection {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	v, err := s.impactView(ctx, e.ID)
	if err != nil {
		s.log.Warn("event impact unavailable", "event", e.ID, "err", err)
		sec := newImpactSection(e.ID, daysAll)
		sec.Note = "The measured effect could not be computed just now."
		return sec
	}
	return s.layoutImpact(ctx, e.ID, v, daysAll)
}

func newImpactSection(id int64, daysAll bool) impactSection {
	sec := impactSection{DaysAll: daysAll, APIURL: fmt.Sprintf("/api/v1/events/%d/impact", id)}
	sec.ToggleURL, sec.ToggleText = "?days=all#impact", "Show every calendar day"
	if daysAll {
		sec.ToggleURL, sec.ToggleText = "?#impact", "Show working days only"
	}
	return sec
}

// layoutImpact lays out the impact answer v of event id for the page.
func (s *Server) layoutImpact(ctx context.Context, id int64, v analysis.View, daysAll bool) impactSection {
	sec := newImpactSection(id, daysAll)
	if v.Method == analysis.MethodNone {
		return sec
	}
	area := analysis.AreaNames(v.Areas)
	if v.Coverage != nil && v.Coverage.Differs {
		sec.CoverageWarning = v.Coverage.Warning
	}
	primary := -1
	for i, m := range v.Metrics {
		if m.Baseline != nil || m.ITS != nil || m.SPC != nil {
			primary = i
			break
		}
	}
	if primary < 0 {
		sec.Note = "No appointment data imported for this period yet."
		return sec
	}
	mv := v.Metrics[primary]
	measure := v.Measure(mv)
	sec.Slice = measure + ", " + area
	for _, l := range analysis.LeftOut(mv.Excluded) {
		// The overlap note names the other events and their dates.
		if mv.OverlapNote == "" || !strings.HasPrefix(l, impact.ReasonOtherEvent) {
			sec.LeftOut = append(sec.LeftOut, l)
		}
	}
	for _, n := range []string{mv.OverlapNote, mv.WidenedNote} {
		if n != "" {
			sec.LeftOut = append(sec.LeftOut, n)
		}
	}
	sec.WindowLeftOut = analysis.WindowsLeftOut(mv.Windows)
	switch {
	case mv.ITS != nil:
		sec.Headline = analysis.ITSSentence(measure, area, *mv.ITS, mv.Unit, v.Parameters.Confidence)
		sec.Charts = append(sec.Charts, itsChart(mv, measure, area))
	case mv.Baseline != nil:
		if h, ok := analysis.HeadlineOf(v, mv, measure); ok {
			sec.Headline = h.Sentence()
		} else {
			sec.Note = notMeasuredText(v, mv)
		}
		sec.Charts = append(sec.Charts, baselineChart(v, mv, measure, area, daysAll))
	default:
		sec.Note = notMeasuredText(v, mv)
	}
	if mv.SPC != nil && len(mv.SPC.Points) > 0 {
		sec.Charts = append(sec.Charts, s.spcChart(ctx, v, mv, measure, area))
	}
	for _, m := range v.Metrics {
		sec.Effects = append(sec.Effects, effectOf(v, m))
	}
	return sec
}

// notMeasuredText says in words why metric m of v has no figure: never
// the engine's error text.
func notMeasuredText(v analysis.View, m analysis.MetricView) string {
	n := analysis.NotMeasured{Code: analysis.NotMeasuredOther}
	if m.NotMeasured != nil {
		n = *m.NotMeasured
	}
	return n.Sentence(v.Kind)
}

// windowsOf lists the shaded windows of a result: the event's own window
// and, for strike rounds, the engine's before and recovery windows.
func windowsOf(v analysis.View) []svgchart.Window {
	label, class := "Strike", "window-action"
	switch {
	case v.Method == analysis.MethodITS:
		label, class = "After the change", "window-post"
	case v.Kind != string(models.KindStrikeRound):
		label = "Event"
	}
	out := []svgchart.Window{{From: day(v.Window.From), To: day(v.Window.To), Label: label, Class: class}}
	// The engine's windows before and after the action (the same for
	// every metric), shaded around it.
	for _, m := range v.Metrics {
		if len(m.Windows) == 0 {
			continue
		}
		for _, w := range m.Windows {
			switch w.Name {
			case analysis.PhaseBefore:
				out = append(out, svgchart.Window{From: day(w.From), To: day(w.To), Label: "Before", Class: "window-announce"})
			case analysis.PhaseAfter:
				out = append(out, svgchart.Window{From: day(w.From), To: day(w.To), Label: "Recovery", Class: "window-recovery"})
			}
		}
		break
	}
	return out
}

// day parses a View's date; the engine writes only valid ones.
func day(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
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

func points(days []analysis.BaselineDay, f func(analysis.BaselineDay) *float64) []svgchart.DayValue {
	var out []svgchart.DayValue
	for _, d := range days {
		if v := f(d); v != nil {
			out = append(out, svgchart.DayValue{Day: day(d.Date), Value: *v})
		}
	}
	return out
}

// baselineChart draws observed against expected with the 95% prediction
// band over the event window and the two weeks either side (the net-effect
// comparison, which has expected values there too).
func baselineChart(v analysis.View, mv analysis.MetricView, measure, area string, all bool) chartBlock {
	bdays := mv.Baseline.Days
	if mv.Net != nil && len(mv.Net.Days) > 0 {
		bdays = mv.Net.Days
	}
	from, to := day(v.Window.From), day(v.Window.To)
	if len(bdays) > 0 {
		from, to = day(bdays[0].Date), day(bdays[len(bdays)-1].Date)
	}
	days := chartDays(from, to, all)
	ratio := mv.Unit == impact.UnitRatio
	shades, marks, notes := calendarMarks(from, to, all)
	id := "chart-baseline"
	c := svgchart.Chart{ID: id, Percent: ratio, Days: days,
		Title: fmt.Sprintf("%s in %s: observed and expected, %s to %s", measure, area, from.Format("2 Jan 2006"), to.Format("2 Jan 2006")),
		Desc: "Observed daily figures against the weekday-matched expectation with its 95% prediction band; the shaded window is the event. " +
			"The table below the chart gives the same figures.",
		YLabel: yLabelOf(mv),
		Bands: []svgchart.Band{{Name: "95% prediction band",
			Lower: points(bdays, func(d analysis.BaselineDay) *float64 { return d.Lower }),
			Upper: points(bdays, func(d analysis.BaselineDay) *float64 { return d.Upper })}},
		Lines: []svgchart.Line{
			{Name: "Expected", Class: "expected", Dashed: true, Points: points(bdays, func(d analysis.BaselineDay) *float64 { return d.Expected })},
			{Name: "Observed", Class: "observed", Points: points(bdays, func(d analysis.BaselineDay) *float64 { return d.Observed })}},
		Windows: windowsOf(v), Shades: shades, Markers: marks,
		ZeroBased: all && !ratio, MarkGaps: !all,
	}
	b := chartBlock{ID: id, Heading: "Observed and expected, day by day", SVG: template.HTML(svgchart.Both(c)), Markers: notes,
		Legend: []legendItem{{"observed", "Observed"}, {"expected", "Expected (same weekday, 6 earlier weeks)"}, {"band", "95% prediction band"}, {"window-action", "Strike days"}}}
	for _, w := range c.Windows {
		switch w.Class {
		case "window-announce":
			b.Legend = append(b.Legend, legendItem{w.Class, "Before the action"})
		case "window-recovery":
			b.Legend = append(b.Legend, legendItem{w.Class, "Recovery"})
		}
	}
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
	opt := func(f *float64, w func(float64) string) string {
		if f == nil {
			return "–"
		}
		return w(*f)
	}
	val := func(f float64) string { return fmtValue(f, ratio) }
	for _, d := range mv.Baseline.Days {
		row := []string{day(d.Date).Format("Mon 2 Jan 2006"), opt(d.Observed, val), opt(d.Expected, val), "–",
			opt(d.Difference, func(f float64) string { return fmtSigned(f, ratio) }), opt(d.PctDiff, signedPct)}
		if d.Lower != nil && d.Upper != nil {
			row[3] = val(*d.Lower) + " to " + val(*d.Upper)
		}
		if !d.Included && d.Note != "" {
			row[5] = d.Note
		}
		b.Table.Rows = append(b.Table.Rows, row)
	}
	if n := mv.Baseline.DaysIncluded; n > 0 {
		cu := mv.Baseline.Cumulative
		b.Table.Rows = append(b.Table.Rows, []string{"Window (" + analysis.Plural(n, "day", "days") + ")",
			val(cu.Actual), val(cu.Expected.Value), val(cu.Expected.Lower) + " to " + val(cu.Expected.Upper),
			fmtSigned(cu.Absolute.Value, ratio), signedPct(cu.Relative.Value)})
	}
	return b
}

// itsChart draws the interrupted time series around the change as weekly
// means of working days (daily values swing with the weekday far more
// than the step): observed, the fitted model and the counterfactual.
func itsChart(mv analysis.MetricView, measure, area string) chartBlock {
	r := mv.ITS
	t0 := day(r.InterventionDay)
	from := monday(t0).AddDate(0, 0, -7*26)
	type acc struct{ o, f, c, nc, n float64 }
	var weeks []time.Time
	sums := map[time.Time]*acc{}
	for _, d := range r.Days {
		dd := day(d.Date)
		if dd.Before(from) {
			continue
		}
		w := monday(dd)
		a, ok := sums[w]
		if !ok {
			a = &acc{}
			sums[w] = a
			weeks = append(weeks, w)
		}
		a.o, a.f, a.n = a.o+d.Observed, a.f+d.Fitted, a.n+1
		if !dd.Before(t0) {
			a.c, a.nc = a.c+d.Counterfactual, a.nc+1
		}
	}
	ratio := mv.Unit == impact.UnitRatio
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
	last := monday(t0)
	if len(weeks) > 0 {
		last = weeks[len(weeks)-1]
	}
	id := "chart-its"
	c := svgchart.Chart{ID: id, Percent: ratio, Days: weeks,
		Title:  fmt.Sprintf("%s in %s around the change on %s: observed, fitted and counterfactual, weekly means", measure, area, t0.Format("2 Jan 2006")),
		Desc:   "Weekly means of working days. The fitted line is the interrupted time series; the counterfactual is the same model without the change. The table below gives the same figures.",
		YLabel: yLabelOf(mv) + " (weekly mean)",
		Lines: []svgchart.Line{{Name: "Observed", Class: "observed-thin", Points: obs}, {Name: "Counterfactual (no change)", Class: "counterfactual", Dashed: true, Points: cf},
			{Name: "Fitted", Class: "fitted", Points: fit}},
		Windows: []svgchart.Window{{From: monday(t0), To: last.AddDate(0, 0, 6), Label: "After the change", Class: "window-post"}},
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
func (s *Server) spcChart(ctx context.Context, v analysis.View, mv analysis.MetricView, measure, area string) chartBlock {
	ch := mv.SPC
	var days []time.Time
	for _, p := range ch.Points {
		days = append(days, day(p.Period))
	}
	// A period runs to the next one; the last is a week, or a month for
	// monthly data.
	first, last := days[0], days[len(days)-1].AddDate(0, 0, 6)
	if len(days) > 1 && days[1].Sub(days[0]) > 8*24*time.Hour {
		last = days[len(days)-1].AddDate(0, 1, -1)
	}
	evs, _, err := s.store.ListEvents(ctx, models.EventFilter{From: &first, To: &last, Limit: 200})
	if err != nil {
		s.log.Warn("events for SPC markers unavailable", "event", v.EventID, "err", err)
	}
	var rebases []analysis.Rebase
	for _, e := range evs {
		if e.SPCRebase && e.ID != v.EventID {
			d, _ := e.Days()
			rebases = append(rebases, analysis.Rebase{Day: d, Title: e.Title})
		}
	}
	ch, used := analysis.Rebased(ch, rebases, day(v.Window.From), v.Parameters.SPCScreening)
	ratio := mv.Unit == impact.UnitRatio
	var val, mean, upl, lpl []svgchart.DayValue
	var dots []svgchart.Dot
	for i, p := range ch.Points {
		w := days[i]
		val = append(val, svgchart.DayValue{Day: w, Value: p.Value})
		mean = append(mean, svgchart.DayValue{Day: w, Value: p.Mean})
		upl = append(upl, svgchart.DayValue{Day: w, Value: p.UPL})
		lpl = append(lpl, svgchart.DayValue{Day: w, Value: p.LPL})
		if p.Rule != string(impact.RuleNone) {
			class := "special-high"
			if p.Value < p.Mean {
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
		if e.ID == v.EventID {
			text += ", this record"
			selfRebase = e.SPCRebase
		}
		for _, r := range used {
			if r.Title == e.Title && impact.Civil(r.Day).Equal(impact.Civil(d)) {
				class, text = "marker rebase", text+", limits recalculated from here"
			}
		}
		notes = append(notes, markerNote{Label: label, Text: text, URL: eventURL(e.ID)})
		w := days[max(0, analysis.PeriodIndex(days, d))]
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
		YLabel: yLabelOf(mv) + " (weekly mean)",
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
			analysis.Plural(ch.BaselinePoint, "week", "weeks")))
	case len(used) == 0:
		b.Words = append(b.Words, fmt.Sprintf("Limits come from the %s before the event. They are recalculated only at a logged event a planner marks as a rebase point; none falls in this range.",
			analysis.Plural(ch.BaselinePoint, "week", "weeks")))
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
	for i, p := range ch.Points {
		b.Table.Rows = append(b.Table.Rows, []string{days[i].Format("2 Jan 2006"), fmtValue(p.Value, ratio), fmtValue(p.Mean, ratio),
			fmtValue(p.LPL, ratio), fmtValue(p.UPL, ratio), p.Label})
	}
	return b
}

// effectOf is one metric's row in the "every measure" table.
func effectOf(v analysis.View, m analysis.MetricView) effectRow {
	r := effectRow{Measure: analysis.ShortLabel(m.Label), Effect: "–", Interval: "–", Days: "–"}
	switch {
	case m.Baseline != nil && m.Baseline.DaysIncluded > 0:
		c := m.Baseline.Cumulative.Relative
		r.Effect, r.Interval = signedPct(c.Value), "95% interval "+signedPct(c.Lower)+" to "+signedPct(c.Upper)
		r.Days = analysis.Plural(m.Baseline.DaysIncluded, "day", "days")
	case m.ITS != nil:
		ratio := m.Unit == impact.UnitRatio
		r.Effect = signedPct(m.ITS.MeanRelativeChange) + " against the counterfactual"
		r.Interval = fmt.Sprintf("level change %s a day (95%% interval %s to %s)", fmtSigned(m.ITS.Level.Estimate, ratio),
			fmtSigned(m.ITS.Level.Lower, ratio), fmtSigned(m.ITS.Level.Upper, ratio))
		// All the modelled days: the headline counts the ones after the
		// change, and the two must not read as one number said twice.
		r.Days = analysis.Plural(m.ITS.N, "working day", "working days") + " modelled, before and after the change"
	case m.Error != "":
		// Said in the small line: the big figure is for numbers.
		r.Interval, r.Days = notMeasuredText(v, m), ""
	}
	return r
}

func yLabelOf(m analysis.MetricView) string {
	if m.Unit == impact.UnitRatio {
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
