package models

import (
	"time"

	"github.com/strikeline/strikeline/models/validate"
)

// EventDoc is the public shape of an event: the JSON API body, the history
// snapshot and the seed format are all this one type, so a snapshot can be
// restored through the same validation as a create.
type EventDoc struct {
	ID         int64    `json:"id,omitempty"`
	Kind       Kind     `json:"kind"`
	Title      string   `json:"title"`
	Summary    string   `json:"summary,omitempty"`
	Notes      string   `json:"notes,omitempty"`
	Start      string   `json:"start"`
	End        string   `json:"end,omitempty"`
	DisputeID  *int64   `json:"dispute_id,omitempty"`
	StaffGroup string   `json:"staff_group,omitempty"`
	Nation     string   `json:"nation,omitempty"`
	Unions     []string `json:"unions,omitempty"`
	Status     string   `json:"status,omitempty"`

	RoundNumber *int     `json:"round_number,omitempty"`
	ActionType  string   `json:"action_type,omitempty"`
	Scope       []string `json:"scope,omitempty"`
	Figures     []Figure `json:"figures,omitempty"`

	PayYear       string   `json:"pay_year,omitempty"`
	HeadlinePct   *float64 `json:"headline_pct,omitempty"`
	AveragePct    *float64 `json:"average_pct,omitempty"`
	LumpSum       string   `json:"lump_sum,omitempty"`
	Outcome       string   `json:"outcome,omitempty"`
	EffectiveDate string   `json:"effective_date,omitempty"`
	Body          string   `json:"body,omitempty"`

	Instrument  string `json:"instrument,omitempty"`
	WhatChanges string `json:"what_changes,omitempty"`
	Affects     string `json:"affects,omitempty"`

	MilestoneType string   `json:"milestone_type,omitempty"`
	TurnoutPct    *float64 `json:"turnout_pct,omitempty"`
	YesPct        *float64 `json:"yes_pct,omitempty"`

	Parties []string `json:"parties,omitempty"`

	ImpactWindowStart string   `json:"impact_window_start,omitempty"`
	ImpactWindowEnd   string   `json:"impact_window_end,omitempty"`
	ImpactScope       []string `json:"impact_scope,omitempty"`
	ImpactMetrics     []string `json:"impact_metrics,omitempty"`
	// ImpactSlice narrows the appointments analysed by published labels;
	// ImpactRecoveryDays sets the recovery window (default 14 days);
	// AnnouncedOn starts the pre-strike window.
	ImpactSlice        *ActivitySlice `json:"impact_slice,omitempty"`
	ImpactRecoveryDays *int           `json:"impact_recovery_days,omitempty"`
	AnnouncedOn        string         `json:"announced_on,omitempty"`
	// SPCRebase asks SPC charts to recalculate their limits from this
	// event on.
	SPCRebase bool `json:"spc_rebase,omitempty"`

	Sources []Source `json:"sources"`

	// Read-only fields, ignored on input.
	IsSeed    bool       `json:"is_seed,omitempty"`
	Version   int        `json:"version,omitempty"`
	CreatedBy string     `json:"created_by,omitempty"`
	UpdatedBy string     `json:"updated_by,omitempty"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
	Deleted   bool       `json:"deleted,omitempty"`
}

// Doc returns the public document of e.
func (e *Event) Doc() EventDoc {
	d := EventDoc{
		ID: e.ID, Kind: e.Kind, Title: e.Title, Summary: e.Summary, Notes: e.Notes,
		DisputeID: e.DisputeID, StaffGroup: e.StaffGroup, Nation: e.Nation, Unions: e.Unions, Status: e.Status,
		RoundNumber: e.RoundNumber, ActionType: e.ActionType, Scope: e.Scope, Figures: e.Figures,
		PayYear: e.PayYear, HeadlinePct: e.HeadlinePct, AveragePct: e.AveragePct, LumpSum: e.LumpSum,
		Outcome: e.Outcome, Body: e.Body,
		Instrument: e.Instrument, WhatChanges: e.WhatChanges, Affects: e.Affects,
		MilestoneType: e.MilestoneType, TurnoutPct: e.TurnoutPct, YesPct: e.YesPct,
		Parties: e.Parties, Sources: e.Sources,
		IsSeed: e.SeedKey != nil, Version: e.Version, CreatedBy: e.CreatedBy, UpdatedBy: e.UpdatedBy,
		Deleted: e.DeletedAt.Valid,
	}
	if d.Sources == nil {
		d.Sources = []Source{}
	}
	d.Start = formatWhen(e.StartAt, e.AllDay)
	if e.EndAt != nil {
		d.End = formatWhen(*e.EndAt, e.AllDay)
	}
	if e.EffectiveDate != nil {
		d.EffectiveDate = e.EffectiveDate.Format(time.DateOnly)
	}
	if e.ImpactFrom != nil {
		d.ImpactWindowStart = e.ImpactFrom.Format(time.DateOnly)
	}
	if e.ImpactTo != nil {
		d.ImpactWindowEnd = e.ImpactTo.Format(time.DateOnly)
	}
	if !e.ImpactSlice.IsZero() {
		sl := e.ImpactSlice
		d.ImpactSlice = &sl
	}
	d.ImpactRecoveryDays = e.ImpactRecoveryDays
	if e.AnnouncedOn != nil {
		d.AnnouncedOn = e.AnnouncedOn.Format(time.DateOnly)
	}
	d.ImpactScope, d.ImpactMetrics, d.SPCRebase = e.ImpactScope, e.ImpactMetrics, e.SPCRebase
	if !e.CreatedAt.IsZero() {
		c, u := e.CreatedAt.UTC(), e.UpdatedAt.UTC()
		d.CreatedAt, d.UpdatedAt = &c, &u
	}
	return d
}

func formatWhen(t time.Time, allDay bool) string {
	if allDay {
		return t.UTC().Format(time.DateOnly)
	}
	return t.In(London).Format(time.RFC3339)
}

// DecodeDoc parses a JSON document strictly: unknown fields are validation
// errors (a typo must not be silently dropped) and syntax errors wrap
// ErrMalformed.
func DecodeDoc(body []byte) (EventDoc, error) {
	var d EventDoc
	err := validate.Decode(body, &d)
	return d, AsValidationError(err)
}
