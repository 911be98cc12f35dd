package analysis

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/holidays"
	"github.com/strikeline/strikeline/reports/impact"
	"github.com/strikeline/strikeline/reports/xlsx"
)

// WorkbookRequest chooses what an impact workbook covers: explicit events,
// a dispute's events, or every event in a date range. Areas and Metrics
// narrow each event as in Request.
type WorkbookRequest struct {
	EventIDs  []int64
	DisputeID *int64
	From, To  *time.Time
	Areas     []string
	Metrics   []string
	// Slice and AllAppointments replace each event's slice as in Request.
	Slice           models.ActivitySlice
	AllAppointments bool
	// BaseURL prefixes permalinks (/events/ID).
	BaseURL string
	Version string
	// Sources are the import runs behind the data, for the Method sheet.
	Sources []xlsx.DataSource
	Now     time.Time
}

// ITSShortWindowDays is the short-term window an ITS event's sheet shows
// with the weekday baseline: the first two weeks after the change. The
// step change itself is reported from the ITS fit in the Summary.
const ITSShortWindowDays = 14

// maxWorkbookEvents caps one workbook; every event is a sheet and a chart.
const maxWorkbookEvents = 60

var modeFilters = []struct {
	label string
	codes []string
}{
	{"Face-to-face", []string{impact.ModeFaceToFace}},
	{"Telephone", []string{impact.ModeTelephone}},
	{"Video/online", impact.VideoOnlineCodes},
	{"Home visit", []string{impact.ModeHomeVisit}},
}

// BuildWorkbook analyses the requested events and assembles the workbook's
// content. Events without an impact window are listed in the timeline only.
func BuildWorkbook(ctx context.Context, events Events, src Source, req WorkbookRequest) (*xlsx.Report, error) {
	selected, err := selectEvents(ctx, events, req)
	if err != nil {
		return nil, err
	}
	if len(selected) == 0 {
		return nil, noEvents(req)
	}
	others, err := windowedEvents(ctx, events)
	if err != nil {
		return nil, err
	}
	now := req.Now
	if now.IsZero() {
		now = time.Now().UTC()
	}
	rep := &xlsx.Report{GeneratedAt: now, Version: req.Version}
	var data []xlsx.DataRow
	var first, last time.Time
	var baselineText string
	measured := 0 // events with a method, whether or not data was found
	for i := range selected {
		e := &selected[i]
		spec, err := Link(e, others)
		if err != nil {
			return nil, err
		}
		if err := spec.narrow(Request{Metrics: req.Metrics, Areas: req.Areas, Slice: req.Slice, AllAppointments: req.AllAppointments}); err != nil {
			return nil, err
		}
		if spec.Method == MethodNone {
			continue
		}
		measured++
		full, err := Run(ctx, src, spec, Options{})
		if err != nil {
			return nil, err
		}
		short := spec
		if spec.Method == MethodITS {
			short.Method = MethodBaseline
			short.Window = impact.Range(spec.Window.From, spec.Window.From.AddDate(0, 0, ITSShortWindowDays-1))
		}
		res, err := Run(ctx, src, short, Options{})
		if err != nil {
			return nil, err
		}
		said := false
		for mi, mr := range res.Metrics {
			if mr.Baseline == nil || mr.Baseline.DaysIncluded == 0 {
				continue
			}
			ei, rows, err := eventSheet(ctx, src, e, short, mr, full.Metrics[mi], req.BaseURL)
			if err != nil {
				return nil, err
			}
			if !said {
				// One sentence per event, from its first (default) metric,
				// in the words the event page uses.
				ei.Sentence, said = eventSentence(full, mi, res, mr), true
			}
			rep.Events = append(rep.Events, ei)
			data = append(data, rows...)
			baselineText = mr.Baseline.Method
			if first.IsZero() || ei.Days[0].Date.Before(first) {
				first = ei.Days[0].Date
			}
			if d := ei.Days[len(ei.Days)-1].Date; d.After(last) {
				last = d
			}
		}
	}
	if len(rep.Events) == 0 && measured == 0 {
		return nil, fmt.Errorf("%w: none of the %d selected events has an impact window to measure (milestones and pay settlements have none unless a planner sets one)", ErrNoData, len(selected))
	}
	if len(rep.Events) == 0 {
		return nil, fmt.Errorf("%w: none of the %d selected events has activity data to analyse (import the GPAD files that cover them)", ErrNoData, measured)
	}
	rep.From, rep.To = first, last
	if req.From != nil {
		rep.From = *req.From
	}
	if req.To != nil {
		rep.To = *req.To
	}
	rep.Title = workbookTitle(req, selected)
	rep.Method = xlsx.Method{Name: "Weekday-matched baseline (DOMAIN §4.1), XmR SPC (§4.3), interrupted time series for step changes (§4.2)",
		BaselineWeeks: impact.DefaultBaselineWeeks, MaxWeeks: impact.DefaultMaxWeeks, Alpha: 1 - impact.Confidence,
		SPC:     "XmR of weekly means of working days; limits from the 12 weeks before the event; moving-range screening off (matches the MDC Excel tool)",
		Formula: baselineText + " Regulatory changes: the event sheet shows the first two weeks against the weekday baseline; the step change comes from the ITS fit (Newey–West standard errors), reported in the Summary's signal column."}
	rep.BankHolidays = holidays.Between(rep.From, rep.To)
	rep.Sources = req.Sources
	rep.Timeline, err = timelineRows(ctx, events, rep.From, rep.To, req.BaseURL)
	if err != nil {
		return nil, err
	}
	sortRows(data)
	rep.Data = xlsx.DataSeries{Rows: rowsOf(data)}
	rep.Dictionary = dictionary()
	return rep, nil
}

// ErrNoEvents means a report's request selected no events at all: the
// period or dispute holds none.
var ErrNoEvents = errors.New("there are no events")

// noEvents says what holds no events: the period, the dispute or both.
func noEvents(req WorkbookRequest) error {
	where := ""
	if req.DisputeID != nil {
		where = fmt.Sprintf(" in dispute %d", *req.DisputeID)
	}
	switch {
	case req.From != nil && req.To != nil:
		where += fmt.Sprintf(" in the period %s to %s", req.From.Format(time.DateOnly), req.To.Format(time.DateOnly))
	case req.From != nil:
		where += " in the period from " + req.From.Format(time.DateOnly)
	case req.To != nil:
		where += " in the period up to " + req.To.Format(time.DateOnly)
	}
	return fmt.Errorf("%w%s", ErrNoEvents, where)
}

func selectEvents(ctx context.Context, events Events, req WorkbookRequest) ([]models.Event, error) {
	var out []models.Event
	switch {
	case len(req.EventIDs) > 0:
		for _, id := range req.EventIDs {
			e, err := events.GetEvent(ctx, id)
			if err != nil {
				return nil, fmt.Errorf("event %d: %w", id, err)
			}
			out = append(out, *e)
		}
	case req.DisputeID != nil || req.From != nil || req.To != nil:
		f := models.EventFilter{DisputeID: req.DisputeID, From: req.From, To: req.To, Limit: 1000,
			Kinds: []models.Kind{models.KindStrikeRound, models.KindRegulatoryChange, models.KindMilestone, models.KindPaySettlement}}
		list, _, err := events.ListEvents(ctx, f)
		if err != nil {
			return nil, err
		}
		out = list
	default:
		return nil, &models.ValidationError{Fields: map[string]string{"event": "choose events, a dispute, or a date range"}}
	}
	if len(out) > maxWorkbookEvents {
		return nil, &models.ValidationError{Fields: map[string]string{"event": fmt.Sprintf("at most %d events per workbook; narrow the range", maxWorkbookEvents)}}
	}
	return out, nil
}

// eventSheet turns one metric's baseline result into the writer's event
// sheet: consecutive days from the earliest baseline day to two weeks
// after the window.
func eventSheet(ctx context.Context, src Source, e *models.Event, spec Spec, mr, full MetricResult, baseURL string) (xlsx.EventImpact, []xlsx.DataRow, error) {
	b := mr.Baseline
	from := b.Window.From
	for _, d := range b.Days {
		for _, bd := range d.BaselineDays {
			if bd.Before(from) {
				from = bd
			}
		}
	}
	to := b.Window.To.AddDate(0, 0, impact.NetEffectMargin)
	obs := map[time.Time]float64{}
	for _, p := range mr.Series {
		if !math.IsNaN(p.Value) {
			obs[impact.Civil(p.Day)] = p.Value
		}
	}
	byDay := map[time.Time]impact.BaselineDay{}
	for _, d := range b.Days {
		byDay[impact.Civil(d.Day)] = d
	}
	scope := strings.Join(spec.Areas, ", ")
	if scope == England {
		scope = "England"
	}
	ei := xlsx.EventImpact{ID: e.ID, Kind: string(e.Kind), Title: e.Title, Scope: scope, Metric: mr.Metric.Key,
		MetricLabel: mr.Metric.Label, Measure: MeasureOf(mr.Metric.Key, mr.Metric.Label, spec.Slice), Ratio: mr.Metric.IsRatio(), URL: permalink(baseURL, e.ID),
		WindowStart: b.Window.From, WindowEnd: b.Window.To}
	for _, s := range e.Sources {
		ei.Sources = append(ei.Sources, xlsx.Link{Title: firstNonEmpty(s.Title, s.Publisher, s.URL), URL: s.URL})
	}
	den := map[time.Time]float64{}
	for _, p := range mr.Denominator {
		den[impact.Civil(p.Day)] = p.Value
	}
	var rows []xlsx.DataRow
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		v, has := obs[d]
		di := xlsx.DayImpact{Date: d, Observed: v, HasObserved: has, InWindow: b.Window.Contains(d), Denominator: den[d]}
		if bd, ok := byDay[d]; ok {
			di.Included, di.Note = bd.Included, bd.Note
			if bd.Included {
				di.BaselineDates = bd.BaselineDays
				di.Expected, di.Lower, di.Upper = bd.Expected.Value, bd.Expected.Lower, bd.Expected.Upper
			}
		}
		ei.Days = append(ei.Days, di)
		if has {
			rows = append(rows, xlsx.DataRow{Date: d, Dataset: string(mr.Metric.Numerator.Dataset), Area: scope, Metric: mr.Metric.Key, Value: v})
		}
	}
	// For a ratio the engine's Cumulative row is already the window rate
	// Σnum/Σden; the sheet rebuilds it from the denominators below.
	c := b.Cumulative
	ei.Total = xlsx.Totals{Observed: c.Actual, Expected: c.Expected.Value, Lower: c.Expected.Lower, Upper: c.Expected.Upper,
		Diff: c.Absolute.Value, Pct: c.Relative.Value, RelLower: c.Relative.Lower, RelUpper: c.Relative.Upper}
	ei.LeftOut = leftOut(b.Excluded)
	ei.WindowLeftOut = leftOut(b.WindowExcluded)
	ei.SPC = "Common Cause"
	if mr.SPC != nil {
		ei.SPC = mr.SPC.Signal
	}
	if full.ITS != nil {
		l := full.ITS.Level
		ei.SPC = fmt.Sprintf("%s; ITS level change %s (95%% CI %s to %s), mean relative change %+.1f%%", ei.SPC,
			fmtNum(l.Estimate, ei.Ratio), fmtNum(l.Lower, ei.Ratio), fmtNum(l.Upper, ei.Ratio), full.ITS.MeanRelativeChange*100)
	}
	if !ei.Ratio && mr.Metric.Numerator.Dataset == impact.Appointments {
		for _, m := range modeFilters {
			ei.Modes = append(ei.Modes, m.label)
		}
		modeCounts := make([]map[time.Time]float64, len(modeFilters))
		for i, m := range modeFilters {
			f := impact.Filter{Dataset: impact.Appointments, Mode: m.codes}
			sum, err := sumAreas(ctx, src, spec.Areas, from, to, f)
			if err != nil {
				return ei, nil, err
			}
			modeCounts[i] = sum
			for d, v := range sum {
				rows = append(rows, xlsx.DataRow{Date: d, Dataset: string(impact.Appointments), Area: scope, Metric: "appointments_by_mode", Category: m.label, Value: v})
			}
		}
		for _, di := range ei.Days {
			md := xlsx.ModeDay{Date: di.Date}
			for i := range modeFilters {
				md.Counts = append(md.Counts, modeCounts[i][di.Date])
			}
			ei.ByMode = append(ei.ByMode, md)
		}
	}
	return ei, rows, nil
}

// leftOut lists the days the baselines skipped by reason, in the words of
// LeftOut: "bank holiday: 25–26 Dec 2023; Christmas to New Year …".
func leftOut(days []impact.ExcludedDay) string {
	views := make([]ExcludedDayView, len(days))
	for i, d := range days {
		views[i] = ExcludedDayView{Date: date(d.Day), Reason: d.Reason}
	}
	return strings.Join(LeftOut(views), "; ")
}

func fmtNum(v float64, ratio bool) string {
	if ratio {
		return fmt.Sprintf("%+.2f pp", v*100)
	}
	return fmt.Sprintf("%+.0f", v)
}

func timelineRows(ctx context.Context, events Events, from, to time.Time, baseURL string) ([]xlsx.TimelineRow, error) {
	toEnd := to.Add(24*time.Hour - time.Nanosecond)
	list, _, err := events.ListEvents(ctx, models.EventFilter{From: &from, To: &toEnd, Limit: 1000})
	if err != nil {
		return nil, err
	}
	var out []xlsx.TimelineRow
	for _, e := range list {
		first, last := e.Days()
		r := xlsx.TimelineRow{ID: e.ID, Kind: e.Kind.Label(), Title: e.Title, Start: first, End: last,
			Union: strings.Join(e.Unions, ", "), StaffGroup: models.StaffGroupLabel(e.StaffGroup), URL: permalink(baseURL, e.ID)}
		if !e.AllDay {
			r.Start = e.StartAt.In(models.London)
			if e.EndAt != nil {
				r.End = e.EndAt.In(models.London)
			}
		}
		for _, s := range e.Sources {
			r.Sources = append(r.Sources, xlsx.Link{Title: firstNonEmpty(s.Title, s.Publisher, s.URL), URL: s.URL})
		}
		out = append(out, r)
	}
	return out, nil
}

func rowsOf(rows []xlsx.DataRow) iter.Seq2[xlsx.DataRow, error] {
	return func(yield func(xlsx.DataRow, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	}
}

func dictionary() []xlsx.DictEntry {
	d := []xlsx.DictEntry{
		{Field: "Observed", Meaning: "The metric on the day, from the imported NHS data summed over the event's areas", Unit: "appointments or fraction"},
		{Field: "Expected", Meaning: "Mean of the same weekday in the 6 preceding valid weeks (bank holidays and other events' days skipped, at most 12 weeks back)", Unit: "as observed"},
		{Field: "Lower / Upper", Meaning: "95% prediction interval of the day: expected ± t(0.975, N−1)·s·√(1+1/N)", Unit: "as observed"},
		{Field: "Difference", Meaning: "Observed − expected", Unit: "as observed"},
		{Field: "% difference", Meaning: "Difference / expected", Unit: "fraction"},
		{Field: "SPC signal", Meaning: "NHS Making Data Count XmR rule that fired in the event's weeks (outside limits, trend, two of three, shift), or Common Cause", Unit: "text"},
	}
	for _, m := range impact.Metrics() {
		d = append(d, xlsx.DictEntry{Field: "Metric " + m.Key, Meaning: m.Label, Unit: m.Unit})
	}
	return d
}

func workbookTitle(req WorkbookRequest, events []models.Event) string {
	switch {
	case len(req.EventIDs) == 1 && len(events) == 1:
		return "Impact of " + events[0].Title
	case req.DisputeID != nil:
		return "Impact of dispute #" + strconv.FormatInt(*req.DisputeID, 10)
	}
	return "Strikeline impact report"
}

func permalink(base string, id int64) string {
	return strings.TrimRight(base, "/") + "/events/" + strconv.FormatInt(id, 10)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// eventSentence is the plain-English headline of metric mi of an event:
// the ITS step for a regulatory change, else the window effect (the same
// generator as the event page).
func eventSentence(full *Result, mi int, short *Result, mr MetricResult) string {
	v := short.View()
	measure := MeasureOf(mr.Metric.Key, mr.Metric.Label, short.Spec.Slice)
	if mi < len(full.Metrics) && full.Metrics[mi].ITS != nil {
		fv := full.View()
		return ITSSentence(measure, AreaNames(fv.Areas), *fv.Metrics[mi].ITS, fv.Metrics[mi].Unit, fv.Parameters.Confidence)
	}
	h, ok := HeadlineOf(v, v.Metrics[mi], measure)
	if !ok {
		return ""
	}
	return h.Sentence()
}

// sortRows puts the Data sheet in date order, then by dataset, area,
// metric and category, so a reader can scan it (mode counts arrive per
// event and in map order).
func sortRows(rows []xlsx.DataRow) {
	slices.SortStableFunc(rows, func(a, b xlsx.DataRow) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Dataset, b.Dataset), cmp.Compare(a.Area, b.Area),
			cmp.Compare(a.Metric, b.Metric), cmp.Compare(a.Category, b.Category))
	})
}
