// Package analysis links timeline events to appointment activity and runs
// the impact methods of reports/impact on them: it decides each event's
// window, scope, metrics and method (or takes a planner's override), fetches
// the series through a Source, and assembles one result an API, a CLI table
// or a workbook can show. The statistics themselves stay in reports/impact.
package analysis

import (
	"fmt"
	"strings"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/impact"
)

// Method names the analysis an event gets.
type Method string

// The methods.
const (
	// MethodBaseline is the weekday-matched baseline of DOMAIN §4.1, for
	// short windows (strike rounds).
	MethodBaseline Method = "weekday_baseline"
	// MethodITS is the interrupted time series of DOMAIN §4.2, for step
	// changes (regulatory changes).
	MethodITS Method = "interrupted_time_series"
	// MethodNone means the event has no impact window (a settlement or a
	// milestone without an override).
	MethodNone Method = "none"
)

// ShortWindowDays is the longest window analysed with the weekday baseline;
// a longer override is treated as a step change.
const ShortWindowDays = 31

// DefaultITSFollowUp is how long after a regulatory change the ITS post
// period runs when no end is set.
const DefaultITSFollowUp = 182

// England is the scope code of national data.
const England = "ENGLAND"

// Spec is what the impact engine will do for one event: the link between
// the event and the activity data.
type Spec struct {
	EventID int64
	Kind    models.Kind
	Title   string
	Method  Method
	// Window is the event's days; for ITS, From is the intervention day and
	// To the end of the post period.
	Window impact.DateRange
	// Areas are summed: ENGLAND, or region/ICB/sub-ICB codes.
	Areas   []string
	Metrics []impact.Metric
	// Exclude are the windows of other events, kept out of baselines and
	// the ITS fit.
	Exclude []impact.DateRange
	// Overridden names the fields a planner set (window, scope, metrics,
	// slice, recovery).
	Overridden []string

	// Slice narrows the appointments every metric counts; SliceFrom says
	// whether it is the event's default, a planner's or a request's.
	Slice     models.ActivitySlice
	SliceFrom string
	// Before and After are the pre-strike window (announcement to the day
	// before the action) and the recovery window, for short windows only.
	// BeforeFrom says where Before's start came from: "announced_on", or
	// "notice" (the 14 days' notice of action when no date is recorded).
	Before, After impact.DateRange
	BeforeFrom    string
	// Others are the other events whose windows are kept out of baselines,
	// by window, for the overlap note.
	Others []OtherWindow
}

// OtherWindow is another event's window kept out of this one's baselines.
type OtherWindow struct {
	EventID int64
	Title   string
	Window  impact.DateRange
}

// DefaultRecoveryDays is the recovery window after a strike unless a
// planner sets impact_recovery_days.
const DefaultRecoveryDays = 14

// NoticeDays is the pre-strike window used when no announcement date is
// recorded: unions must give employers 14 days' notice of action.
const NoticeDays = 14

// Link derives the Spec of e. others are the events whose windows must not
// pollute e's baseline (every other strike round, typically); e itself may
// be among them.
func Link(e *models.Event, others []models.Event) (Spec, error) {
	sp := Spec{EventID: e.ID, Kind: e.Kind, Title: e.Title, Method: MethodNone}
	first, last := e.Days()
	switch e.Kind {
	case models.KindStrikeRound:
		sp.Method = MethodBaseline
		sp.Window = impact.Range(first, last)
	case models.KindRegulatoryChange:
		sp.Method = MethodITS
		sp.Window = impact.Range(first, first.AddDate(0, 0, DefaultITSFollowUp))
		if e.EndAt != nil && last.After(first) {
			sp.Window.To = last
		}
	}
	if e.ImpactFrom != nil || e.ImpactTo != nil {
		sp.Overridden = append(sp.Overridden, "window")
		from, to := first, last
		if e.ImpactFrom != nil {
			from = impact.Civil(*e.ImpactFrom)
		}
		if e.ImpactTo != nil {
			to = impact.Civil(*e.ImpactTo)
		} else if sp.Method == MethodITS {
			to = from.AddDate(0, 0, DefaultITSFollowUp)
		}
		if to.Before(from) {
			to = from
		}
		sp.Window = impact.Range(from, to)
		if sp.Method == MethodNone {
			sp.Method = MethodBaseline
			if sp.Window.Days() > ShortWindowDays {
				sp.Method = MethodITS
			}
		}
	}

	sp.Slice, sp.SliceFrom = DefaultSlice(e), SliceDefault
	if !e.ImpactSlice.IsZero() {
		sp.Slice, sp.SliceFrom = e.ImpactSlice, SliceEvent
		sp.Overridden = append(sp.Overridden, "slice")
	}
	if sp.Method == MethodBaseline {
		recovery := DefaultRecoveryDays
		if e.ImpactRecoveryDays != nil {
			recovery = *e.ImpactRecoveryDays
			sp.Overridden = append(sp.Overridden, "recovery")
		}
		if recovery > 0 {
			sp.After = impact.Range(sp.Window.To.AddDate(0, 0, 1), sp.Window.To.AddDate(0, 0, recovery))
		}
		sp.Before, sp.BeforeFrom = impact.Range(sp.Window.From.AddDate(0, 0, -NoticeDays), sp.Window.From.AddDate(0, 0, -1)), "notice"
		if e.AnnouncedOn != nil {
			if a := impact.Civil(*e.AnnouncedOn); a.Before(sp.Window.From) {
				sp.Before, sp.BeforeFrom = impact.Range(a, sp.Window.From.AddDate(0, 0, -1)), "announced_on"
			}
		}
	}
	sp.Areas = []string{England}
	if e.Kind == models.KindStrikeRound && len(e.Scope) > 0 {
		sp.Areas = e.Scope
	}
	if len(e.ImpactScope) > 0 {
		sp.Areas = e.ImpactScope
		sp.Overridden = append(sp.Overridden, "scope")
	}
	if contains(sp.Areas, England) {
		sp.Areas = []string{England}
	}

	keys := e.ImpactMetrics
	if len(keys) > 0 {
		sp.Overridden = append(sp.Overridden, "metrics")
		for _, k := range keys {
			m, ok := impact.MetricByKey(k)
			if !ok {
				return sp, fmt.Errorf("analysis: event %d: unknown metric %q", e.ID, k)
			}
			sp.Metrics = append(sp.Metrics, m)
		}
	} else {
		sp.Metrics = impact.DefaultMetrics(subject(e))
	}

	for i := range others {
		o := &others[i]
		if o.ID == e.ID || (o.Kind != models.KindStrikeRound && o.ImpactFrom == nil) {
			continue
		}
		of, ol := o.Days()
		if o.ImpactFrom != nil {
			of = impact.Civil(*o.ImpactFrom)
		}
		if o.ImpactTo != nil {
			ol = impact.Civil(*o.ImpactTo)
		}
		if ol.Before(of) || ol.Sub(of) > ShortWindowDays*24*time.Hour {
			// Long windows (step changes) are not abnormal days for a
			// baseline; excluding them would leave no baseline at all.
			continue
		}
		sp.Exclude = append(sp.Exclude, impact.Range(of, ol))
		sp.Others = append(sp.Others, OtherWindow{EventID: o.ID, Title: o.Title, Window: impact.Range(of, ol)})
	}
	return sp, nil
}

// subject picks the DefaultMetrics subject of an event.
func subject(e *models.Event) string {
	if e.Kind == models.KindRegulatoryChange {
		text := strings.ToLower(e.Title + " " + e.Summary + " " + e.WhatChanges)
		if strings.Contains(text, "online consultation") || strings.Contains(text, "online access") {
			return impact.SubjectOnlineConsultation
		}
	}
	return e.StaffGroup
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
