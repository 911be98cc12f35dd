package analysis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/holidays"
	"github.com/strikeline/strikeline/reports/impact"
)

// RoundsRequest chooses what the rounds comparison measures: one metric
// (default attended appointments) and, optionally, one slice and areas for
// every event instead of each event's own.
type RoundsRequest struct {
	Metric          string
	Areas           []string
	Slice           models.ActivitySlice
	AllAppointments bool
	// BeforeCompute is passed on to each round's Request (see Request).
	BeforeCompute func() (release func(), err error)
}

// RoundRow is one strike round in the comparison. Value, Lower and Upper
// are the relative effect during the action (a fraction: −0.082 is 8.2%
// below expected) and its 95% interval; Net* the same over the whole span
// (before, during and recovery).
type RoundRow struct {
	EventID     int64    `json:"event_id"`
	Title       string   `json:"title"`
	Round       *int     `json:"round_number,omitempty"`
	From        string   `json:"from"`
	To          string   `json:"to"`
	WorkingDays int      `json:"working_days"`
	Unions      []string `json:"unions"`
	StaffGroup  string   `json:"staff_group"`
	Action      string   `json:"action_type,omitempty"`
	Slice       string   `json:"slice"`
	Observed    float64  `json:"observed"`
	Expected    float64  `json:"expected"`
	Value       float64  `json:"value"`
	Lower       float64  `json:"lower"`
	Upper       float64  `json:"upper"`
	NetValue    *float64 `json:"net_value,omitempty"`
	NetLower    *float64 `json:"net_lower,omitempty"`
	NetUpper    *float64 `json:"net_upper,omitempty"`
	// Published are NHS England's figures for the round (hospital
	// figures: appointments rescheduled, peak staff absent), by metric.
	Published []models.Figure `json:"published_figures"`
}

// ChangeRow is one regulatory change in the comparison: the level change
// of the interrupted time series with its 95% interval, in the metric's
// unit, and the mean relative change over the post period.
type ChangeRow struct {
	EventID            int64   `json:"event_id"`
	Title              string  `json:"title"`
	Date               string  `json:"date"`
	Slice              string  `json:"slice"`
	Level              float64 `json:"level_change"`
	LevelLower         float64 `json:"level_lower"`
	LevelUpper         float64 `json:"level_upper"`
	MeanRelativeChange float64 `json:"mean_relative_change"`
	Error              string  `json:"error,omitempty"`
	// NotMeasured says why the change was not measured, for a program
	// (a code and the dates) and, by its Sentence, for a reader.
	NotMeasured *NotMeasured `json:"not_measured,omitempty"`
}

// Rounds is the comparison: every strike round with imported activity for
// the metric, in date order, and every regulatory change.
type Rounds struct {
	Metric      string      `json:"metric"`
	MetricLabel string      `json:"metric_label"`
	Unit        string      `json:"unit"`
	Items       []RoundRow  `json:"items"`
	Changes     []ChangeRow `json:"regulatory_changes"`
}

// CompareRounds measures every strike round and regulatory change on one
// metric, reading stored results where they exist (see Stored).
func CompareRounds(ctx context.Context, rs ResultStore, src Source, req RoundsRequest) (*Rounds, error) {
	if req.Metric == "" {
		req.Metric = impact.MetricAttended
	}
	m, ok := impact.MetricByKey(req.Metric)
	if !ok {
		return nil, &models.ValidationError{Fields: map[string]string{"metric": "unknown metric " + req.Metric + "; one of " + strings.Join(models.ImpactMetricKeys, ", ")}}
	}
	out := &Rounds{Metric: m.Key, MetricLabel: m.Label, Unit: m.Unit, Items: []RoundRow{}, Changes: []ChangeRow{}}
	list, _, err := rs.ListEvents(ctx, models.EventFilter{Kinds: []models.Kind{models.KindStrikeRound, models.KindRegulatoryChange}, Limit: 1000})
	if err != nil {
		return nil, fmt.Errorf("analysis: listing events: %w", err)
	}
	others, err := windowedEvents(ctx, rs)
	if err != nil {
		return nil, err
	}
	ir := Request{Metrics: []string{m.Key}, Areas: req.Areas, Slice: req.Slice, AllAppointments: req.AllAppointments,
		BeforeCompute: req.BeforeCompute}
	// Every round's key first, from one read of the import states, then
	// every stored result in one query; only what is missing is computed.
	ranges, err := rs.ImportRanges(ctx)
	if err != nil {
		return nil, err
	}
	state := func(from, to time.Time) (int64, error) { return ranges.State(from, to), nil }
	specs := make([]Spec, len(list))
	keys := make([]models.ImpactKey, len(list))
	for i := range list {
		e := &list[i]
		spec, err := Link(e, others)
		if err == nil {
			err = spec.narrow(ir)
		}
		var sliceKey, dataState string
		if err == nil {
			sliceKey, dataState, err = resultKeyAt(spec, ir, state)
		}
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			return nil, err
		}
		if err != nil {
			return nil, fmt.Errorf("analysis: event %d: %w", e.ID, err)
		}
		specs[i], keys[i] = spec, models.ImpactKey{EventID: e.ID, EventVersion: e.Version, SliceKey: sliceKey, DataState: dataState}
	}
	stored, err := rs.ImpactResults(ctx, keys)
	if err != nil {
		return nil, err
	}
	for i := range list {
		e, k := &list[i], keys[i]
		var v View
		body, ok := stored[k]
		if !ok || json.Unmarshal(body, &v) != nil {
			// Not stored, or stored unreadable: storedKeyed computes it.
			if body, err = storedKeyed(ctx, rs, src, e, specs[i], ir, k.SliceKey, k.DataState); err != nil {
				return nil, fmt.Errorf("analysis: event %d: %w", e.ID, err)
			}
			v = View{}
			if err := json.Unmarshal(body, &v); err != nil {
				return nil, fmt.Errorf("analysis: event %d: decoding a stored result: %w", e.ID, err)
			}
		}
		if len(v.Metrics) == 0 {
			continue
		}
		mv := v.Metrics[0]
		switch e.Kind {
		case models.KindStrikeRound:
			if row, ok := roundRow(e, v, mv); ok {
				out.Items = append(out.Items, row)
			}
		case models.KindRegulatoryChange:
			if mv.ITS == nil && mv.Error == ErrNoData.Error() {
				continue
			}
			first, _ := e.Days()
			cr := ChangeRow{EventID: e.ID, Title: e.Title, Date: date(first), Slice: v.Slice.Description, Error: mv.Error, NotMeasured: mv.NotMeasured}
			if it := mv.ITS; it != nil {
				cr.Level, cr.LevelLower, cr.LevelUpper = it.Level.Estimate, it.Level.Lower, it.Level.Upper
				cr.MeanRelativeChange = it.MeanRelativeChange
			}
			out.Changes = append(out.Changes, cr)
		}
	}
	return out, nil
}

func roundRow(e *models.Event, v View, mv MetricView) (RoundRow, bool) {
	var during, net *WindowEffect
	for i := range mv.Windows {
		switch mv.Windows[i].Name {
		case PhaseDuring:
			during = &mv.Windows[i]
		case PhaseNet:
			net = &mv.Windows[i]
		}
	}
	if during == nil || during.Error != "" || during.Days == 0 {
		return RoundRow{}, false // no imported activity for this round
	}
	row := RoundRow{EventID: e.ID, Title: e.Title, Round: e.RoundNumber, From: during.From, To: during.To,
		Unions: e.Unions, StaffGroup: models.StaffGroupLabel(e.StaffGroup), Action: e.ActionType, Slice: v.Slice.Description,
		Observed: during.Observed, Expected: during.Expected, Value: during.Effect, Lower: during.Lower, Upper: during.Upper,
		Published: e.Figures}
	if row.Unions == nil {
		row.Unions = []string{}
	}
	if row.Published == nil {
		row.Published = []models.Figure{}
	}
	from, to := mustDay(during.From), mustDay(during.To)
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd >= 1 && wd <= 5 && !holidays.IsBankHoliday(d) {
			row.WorkingDays++
		}
	}
	if net != nil && net.Error == "" && net.Days > 0 {
		row.NetValue, row.NetLower, row.NetUpper = &net.Effect, &net.Lower, &net.Upper
	}
	return row, true
}

// RoundSortKeys are the columns the comparison sorts by.
var RoundSortKeys = []string{"date", "effect", "net", "working_days", "title"}

// Sort orders the rounds by key (one of RoundSortKeys; date by default),
// descending if desc. Ties keep date order.
func (r *Rounds) Sort(key string, desc bool) {
	less := map[string]func(a, b RoundRow) bool{
		"date":         func(a, b RoundRow) bool { return a.From < b.From },
		"effect":       func(a, b RoundRow) bool { return a.Value < b.Value },
		"net":          func(a, b RoundRow) bool { return netOf(a) < netOf(b) },
		"working_days": func(a, b RoundRow) bool { return a.WorkingDays < b.WorkingDays },
		"title":        func(a, b RoundRow) bool { return strings.ToLower(a.Title) < strings.ToLower(b.Title) },
	}[key]
	if less == nil {
		less = func(a, b RoundRow) bool { return a.From < b.From }
	}
	sort.SliceStable(r.Items, func(i, j int) bool { return r.Items[i].From < r.Items[j].From })
	sort.SliceStable(r.Items, func(i, j int) bool {
		if desc {
			return less(r.Items[j], r.Items[i])
		}
		return less(r.Items[i], r.Items[j])
	})
}

func netOf(r RoundRow) float64 {
	if r.NetValue == nil {
		return 0
	}
	return *r.NetValue
}
