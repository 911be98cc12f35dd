package analysis

import (
	"errors"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/impact"
)

// NotMeasured says why a metric was not measured: a code a program can
// act on and the dates it concerns. Sentence says it to a reader; the
// engine's error text stays in the answer's "error" for whoever debugs it.
type NotMeasured struct {
	Code string `json:"code"`
	// EventDay is the change's day or the round's first day.
	EventDay string `json:"event_day"`
	// DataFrom and DataTo are the first and last day of the imported
	// activity read for the event (absent when there is none).
	DataFrom string `json:"data_from,omitempty"`
	DataTo   string `json:"data_to,omitempty"`
}

// The codes of NotMeasured.
const (
	// NotMeasuredNoData: no activity imported for the period and area.
	NotMeasuredNoData = "no_data"
	// NotMeasuredAfterData: the event comes after the imported activity
	// ends; it can be measured once later months are imported.
	NotMeasuredAfterData = "after_data"
	// NotMeasuredBeforeData: the imported activity starts after the
	// event, so there is nothing before it to compare with.
	NotMeasuredBeforeData = "before_data"
	// NotMeasuredTooFewDays: too few days around the event to measure it.
	NotMeasuredTooFewDays = "too_few_days"
	// NotMeasuredSlice: the chosen slice leaves nothing of the metric.
	NotMeasuredSlice = "slice_empty"
	// NotMeasuredOther: anything else.
	NotMeasuredOther = "not_computed"
)

// notMeasured maps the error of metric m of spec to its reason: the one
// place the engine's refusals (its sentinel errors) are read.
func notMeasured(err error, m MetricResult, sp Spec) *NotMeasured {
	n := &NotMeasured{Code: NotMeasuredOther, EventDay: date(sp.Window.From)}
	var first, last time.Time
	if len(m.Series) > 0 {
		first, last = m.Series[0].Day, m.Series[len(m.Series)-1].Day
		n.DataFrom, n.DataTo = date(first), date(last)
	}
	switch {
	case errors.Is(err, ErrNoData), errors.Is(err, impact.ErrNoWorkingDays):
		n.Code = NotMeasuredNoData
	case errors.Is(err, ErrSliceEmpty):
		n.Code = NotMeasuredSlice
	case errors.Is(err, impact.ErrNoDaysAfter):
		n.Code = NotMeasuredAfterData
	case errors.Is(err, impact.ErrNoDaysBefore):
		n.Code = NotMeasuredBeforeData
	case errors.Is(err, impact.ErrTooFewDays), errors.Is(err, impact.ErrRankDeficient):
		n.Code = NotMeasuredTooFewDays
	case errors.Is(err, impact.ErrNoEstimate):
		// A window without one estimated day: after the data, before it
		// (no baseline weeks), or too thin.
		switch {
		case !last.IsZero() && last.Before(sp.Window.From):
			n.Code = NotMeasuredAfterData
		case !first.IsZero() && !first.Before(sp.Window.From):
			n.Code = NotMeasuredBeforeData
		default:
			n.Code = NotMeasuredTooFewDays
		}
	}
	return n
}

// Sentence says n to a reader, with the real dates, e.g. "Not measured
// yet: the imported activity ends on 30 September 2025, before this
// change." kind is the event's kind, for the noun.
func (n NotMeasured) Sentence(kind string) string {
	noun := "this event"
	switch models.Kind(kind) {
	case models.KindStrikeRound:
		noun = "this strike round"
	case models.KindRegulatoryChange:
		noun = "this change"
	}
	long := func(s string) string {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return s
		}
		return t.Format("2 January 2006")
	}
	switch n.Code {
	case NotMeasuredNoData:
		return "Not measured yet: no GP appointment data has been imported for this period and area."
	case NotMeasuredAfterData:
		if n.DataTo == "" {
			return "Not measured yet: the imported activity ends before " + noun + "."
		}
		return "Not measured yet: the imported activity ends on " + long(n.DataTo) + ", before " + noun + "."
	case NotMeasuredBeforeData:
		return "Not measured: the imported activity starts on " + long(n.DataFrom) + ", so there is nothing before " + noun +
			" to compare with."
	case NotMeasuredTooFewDays:
		s := "Not measured yet: there are too few days of imported activity around " + noun + " to measure it"
		if n.DataFrom != "" {
			s += " (activity from " + long(n.DataFrom) + " to " + long(n.DataTo) + ")"
		}
		return s + "."
	case NotMeasuredSlice:
		return "Not measured: the chosen slice leaves nothing of this measure to count."
	}
	return "Not measured: the figures could not be computed from the imported activity."
}
