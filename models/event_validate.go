package models

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/strikeline/strikeline/models/validate"
)

var (
	scopeCode   = regexp.MustCompile(`^(ENGLAND|E(38|40|54)\d{6}|[0-9][0-9A-Z]{2}|Q[A-Z0-9]{2}|Y\d{2})$`)
	payYearCode = regexp.MustCompile(`^(\d{4})/(\d{2})$`)
)

// kindChecks validates the fields that belong to one kind and copies them
// onto the event; one function a kind.
var kindChecks = map[Kind]func(c *docCheck, d EventDoc, e *Event){
	KindDispute:          validateDispute,
	KindStrikeRound:      validateStrikeRound,
	KindPaySettlement:    validatePaySettlement,
	KindRegulatoryChange: validateRegulatoryChange,
	KindMilestone:        validateMilestone,
}

// docCheck collects the problems of one document; its methods read each
// field's rules (limit, required, one line or many) from validate.Fields
// for the document's kind.
type docCheck struct {
	v    *ValidationError
	kind string
}

func (c *docCheck) field(name string) (validate.Field, bool) {
	f, _, ok := validate.Lookup(c.kind, name)
	return f, ok
}

// text checks the free-text field name (errors under key, an indexed name,
// or name when key is "").
func (c *docCheck) text(name, key, s string) string {
	f, ok := c.field(name)
	if !ok {
		panic("models: no text field " + name + " for " + c.kind)
	}
	out, fe := f.Text(key, s)
	c.v.put(fe)
	return out
}

// choice checks a coded field against its vocabulary.
func (c *docCheck) choice(name, s string, allowed []string) string {
	f, _ := c.field(name)
	c.v.put(validate.Choice(name, s, allowed, f.Required))
	return s
}

// list checks each entry of a list of names: one line, not blank, at most
// the field's limit; repeats are dropped.
func (c *docCheck) list(name string, in []string) []string {
	if len(in) > validate.MaxList {
		c.v.Add(name, validate.CodeTooMany, fmt.Sprintf("at most %d entries", validate.MaxList))
		return nil
	}
	f, _ := c.field(name)
	var out []string
	for i, s := range in {
		s, fe := validate.CleanText(fmt.Sprintf("%s[%d]", name, i), s, f.Max, true, false)
		c.v.put(fe)
		if s != "" && !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func (c *docCheck) pct(name string, p *float64, lo, hi float64) *float64 {
	c.v.put(validate.Range(name, p, lo, hi))
	return p
}

// codes checks a list of area codes (scope, impact_scope), upper-cased.
func (c *docCheck) codes(name string, in []string) []string {
	var out []string
	for i, s := range in {
		s = strings.ToUpper(strings.TrimSpace(s))
		if !scopeCode.MatchString(s) {
			c.v.Add(fmt.Sprintf("%s[%d]", name, i), validate.CodeBadChoice, "must be ENGLAND or a region, ICB or sub-ICB code")
			continue
		}
		out = append(out, s)
	}
	if len(in) > validate.MaxCodes {
		c.v.Add(name, validate.CodeTooMany, fmt.Sprintf("too many codes (at most %d)", validate.MaxCodes))
	}
	return out
}

// date checks an optional date member.
func (c *docCheck) date(name, s, example string, bounded bool) *time.Time {
	if s == "" {
		return nil
	}
	t, fe := validate.Date(name, s, example, bounded)
	if fe != nil {
		c.v.put(fe)
		return nil
	}
	return &t
}

// ToEvent validates d and builds the event it describes: the fields every
// kind has, then the kind's own (kindChecks), then the impact overrides
// and sources. DisputeID existence is checked by the store, which has the
// database.
func (d EventDoc) ToEvent() (*Event, error) {
	c := &docCheck{v: &ValidationError{}, kind: string(d.Kind)}
	e := &Event{Kind: d.Kind}
	if !d.Kind.Valid() {
		c.v.Add("kind", validate.CodeBadChoice, "must be one of "+joinKinds())
	}
	validateCommon(c, d, e)
	rejectOtherKinds(c, d)
	if check, ok := kindChecks[d.Kind]; ok {
		check(c, d, e)
	}
	validateImpact(c, d, e)
	e.SPCRebase = d.SPCRebase
	validateSources(c, d, e)
	if err := c.v.orNil(); err != nil {
		return nil, err
	}
	return e, nil
}

// validateCommon validates the fields every kind has.
func validateCommon(c *docCheck, d EventDoc, e *Event) {
	e.Title = c.text("title", "", d.Title)
	e.Summary = c.text("summary", "", d.Summary)
	e.Notes = c.text("notes", "", d.Notes)

	if strings.TrimSpace(d.Start) == "" {
		c.v.Add("start", validate.CodeRequired, "is required")
	} else if start, allDay, fe := validate.When("start", d.Start, London); fe != nil {
		c.v.put(fe)
	} else {
		e.StartAt, e.AllDay = start, allDay
	}
	if strings.TrimSpace(d.End) != "" {
		end, endAllDay, fe := validate.When("end", d.End, London)
		switch {
		case fe != nil:
			c.v.put(fe)
		case e.StartAt.IsZero():
		case endAllDay != e.AllDay:
			c.v.add("end", "must use the same form as start (both dates, or both date-times)")
		case endAllDay && end.Before(e.StartAt), !endAllDay && !end.After(e.StartAt):
			c.v.add("end", "must be after start")
		default:
			e.EndAt = &end
		}
	}

	e.StaffGroup = c.choice("staff_group", d.StaffGroup, StaffGroups)
	e.Nation = d.Nation
	if e.Nation == "" {
		e.Nation = "England"
	}
	c.choice("nation", e.Nation, Nations)
	e.Unions = c.list("unions", d.Unions)
	e.DisputeID = d.DisputeID
	if d.DisputeID != nil && *d.DisputeID <= 0 {
		c.v.Add("dispute_id", validate.CodeOutOfRange, "must be a positive id")
	}
}

// rejectOtherKinds refuses the fields the table gives to other kinds,
// rather than dropping them, so a client never believes it stored
// something it did not.
func rejectOtherKinds(c *docCheck, d EventDoc) {
	for _, name := range validate.Present(d) {
		kinds := validate.KindsOf(name)
		if kinds == nil || contains(kinds, c.kind) {
			continue
		}
		words := make([]string, len(kinds))
		for i, k := range kinds {
			words[i] = Kind(k).plural()
		}
		c.v.Add(name, validate.CodeWrongKind, "applies to "+strings.Join(words, " and ")+" only")
	}
}

func validateDispute(c *docCheck, d EventDoc, e *Event) {
	if d.DisputeID != nil {
		c.v.Add("dispute_id", validate.CodeWrongKind, "a dispute cannot belong to another dispute")
	}
	e.Status = d.Status
	if e.Status == "" {
		e.Status = "open"
	}
	c.choice("status", e.Status, DisputeStatuses)
	e.Parties = c.list("parties", d.Parties)
}

func validateStrikeRound(c *docCheck, d EventDoc, e *Event) {
	if d.RoundNumber != nil && (*d.RoundNumber < 1 || *d.RoundNumber > 1000) {
		c.v.Add("round_number", validate.CodeOutOfRange, "must be between 1 and 1000")
	}
	e.RoundNumber = d.RoundNumber
	e.ActionType = c.choice("action_type", d.ActionType, ActionTypes)
	e.Scope = []string{"ENGLAND"}
	if len(d.Scope) > 0 {
		e.Scope = c.codes("scope", d.Scope)
	}
	for i, f := range d.Figures {
		key := fmt.Sprintf("figures[%d]", i)
		if !contains(FigureMetrics, f.Metric) {
			c.v.Add(key+".metric", validate.CodeBadChoice, "must be one of "+strings.Join(FigureMetrics, ", "))
		}
		switch {
		case f.Value < 0 || math.IsNaN(f.Value) || math.IsInf(f.Value, 0):
			c.v.Add(key+".value", validate.CodeOutOfRange, "must not be negative")
		case strings.HasSuffix(f.Metric, "_pct") && f.Value > 100:
			c.v.Add(key+".value", validate.CodeOutOfRange, "is a percentage: at most 100")
		case !strings.HasSuffix(f.Metric, "_pct") && f.Value != math.Trunc(f.Value):
			c.v.add(key+".value", "is a count: must be a whole number")
		}
		if f.SourceURL != "" {
			c.v.put(validate.URL(key+".source_url", f.SourceURL, validate.MaxURL))
		}
		f.Note = c.text("figures.note", key+".note", f.Note)
		e.Figures = append(e.Figures, f)
	}
}

func validatePaySettlement(c *docCheck, d EventDoc, e *Event) {
	e.PayYear = d.PayYear
	if m := payYearCode.FindStringSubmatch(d.PayYear); m == nil {
		code := validate.CodeInvalid
		if d.PayYear == "" {
			code = validate.CodeRequired
		}
		c.v.Add("pay_year", code, "must look like 2025/26")
	} else if (atoi(m[1])+1)%100 != atoi(m[2]) {
		c.v.add("pay_year", "must be two consecutive years, like 2025/26")
	}
	e.HeadlinePct = c.pct("headline_pct", d.HeadlinePct, -100, 100)
	e.AveragePct = c.pct("average_pct", d.AveragePct, -100, 100)
	e.LumpSum = c.text("lump_sum", "", d.LumpSum)
	e.Outcome = c.choice("outcome", d.Outcome, Outcomes)
	e.Body = c.choice("body", d.Body, PayBodies)
	e.EffectiveDate = c.date("effective_date", d.EffectiveDate, "2025-04-01", false)
}

func validateRegulatoryChange(c *docCheck, d EventDoc, e *Event) {
	e.Body = c.text("body", "", d.Body)
	e.Instrument = c.choice("instrument", d.Instrument, Instruments)
	e.WhatChanges = c.text("what_changes", "", d.WhatChanges)
	e.Affects = c.text("affects", "", d.Affects)
}

func validateMilestone(c *docCheck, d EventDoc, e *Event) {
	e.MilestoneType = c.choice("milestone_type", d.MilestoneType, MilestoneTypes)
	e.TurnoutPct = c.pct("turnout_pct", d.TurnoutPct, 0, 100)
	e.YesPct = c.pct("yes_pct", d.YesPct, 0, 100)
}

// ImpactMetricKeys are the metric keys the impact engine knows
// (reports/impact registers the same list; a test there keeps them equal).
var ImpactMetricKeys = []string{"total", "attended", "dna_rate", "gp_share", "same_day_share",
	"mode_face_to_face", "mode_telephone", "mode_video_online", "mode_home_visit",
	"share_face_to_face", "share_telephone", "share_video_online", "share_home_visit", "oc_submissions"}

// validateImpact validates a planner's impact overrides, which any kind may
// carry.
func validateImpact(c *docCheck, d EventDoc, e *Event) {
	e.ImpactFrom = c.date("impact_window_start", d.ImpactWindowStart, "2025-07-25", true)
	e.ImpactTo = c.date("impact_window_end", d.ImpactWindowEnd, "2025-07-25", true)
	e.AnnouncedOn = c.date("announced_on", d.AnnouncedOn, "2025-07-25", true)
	if e.ImpactFrom != nil && e.ImpactTo != nil && e.ImpactTo.Before(*e.ImpactFrom) {
		c.v.add("impact_window_end", "must be after impact_window_start")
	}
	if e.AnnouncedOn != nil && !e.StartAt.IsZero() && e.AnnouncedOn.After(e.StartAt) {
		c.v.add("announced_on", "must not be after the start")
	}
	if r := d.ImpactRecoveryDays; r != nil {
		if *r < 0 || *r > 90 {
			c.v.Add("impact_recovery_days", validate.CodeOutOfRange, "must be between 0 and 90 days")
		} else {
			n := *r
			e.ImpactRecoveryDays = &n
		}
	}
	if d.ImpactSlice != nil {
		sl, err := ParseActivitySlice("impact_slice.", *d.ImpactSlice)
		if ve, ok := err.(*ValidationError); ok {
			for k, m := range ve.Fields {
				c.v.Add(k, ve.Codes[k], m)
			}
		}
		e.ImpactSlice = sl
	}
	e.ImpactScope = c.codes("impact_scope", d.ImpactScope)
	for i, m := range d.ImpactMetrics {
		if !contains(ImpactMetricKeys, m) {
			c.v.Add(fmt.Sprintf("impact_metrics[%d]", i), validate.CodeBadChoice, "must be one of "+strings.Join(ImpactMetricKeys, ", "))
			continue
		}
		if !contains(e.ImpactMetrics, m) {
			e.ImpactMetrics = append(e.ImpactMetrics, m)
		}
	}
}

// validateSources validates the sources, every record's evidence.
func validateSources(c *docCheck, d EventDoc, e *Event) {
	if len(d.Sources) == 0 {
		c.v.Add("sources", validate.CodeRequired, "at least one source is required")
	}
	if len(d.Sources) > validate.MaxSources {
		c.v.Add("sources", validate.CodeTooMany, fmt.Sprintf("at most %d sources", validate.MaxSources))
	}
	for i, s := range d.Sources {
		key := fmt.Sprintf("sources[%d]", i)
		c.v.put(validate.URL(key+".url", s.URL, validate.MaxURL))
		src := Source{
			Position:  i,
			URL:       strings.TrimSpace(s.URL),
			Title:     c.text("sources.title", key+".title", s.Title),
			Publisher: c.text("sources.publisher", key+".publisher", s.Publisher),
		}
		if s.PublishedOn != "" {
			c.date(key+".published_on", s.PublishedOn, "2025-07-25", false)
			src.PublishedOn = s.PublishedOn
		}
		e.Sources = append(e.Sources, src)
	}
}

// parseWhen reads a record's start: a date, or a date-time in London
// unless it gives its offset.
func parseWhen(s string) (time.Time, bool, error) {
	t, allDay, fe := validate.When("start", s, London)
	if fe != nil {
		return t, allDay, fe
	}
	return t, allDay, nil
}

// cleanText validates one free-text field (validate.CleanText) into v.
func cleanText(v *ValidationError, field, s string, max int, required, multiline bool) string {
	out, fe := validate.CleanText(field, s, max, required, multiline)
	v.put(fe)
	return out
}

func joinKinds() string {
	s := make([]string, len(Kinds))
	for i, k := range Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// ValidScopeCode reports whether code is ENGLAND or looks like a region,
// ICB or sub-ICB code.
func ValidScopeCode(code string) bool { return scopeCode.MatchString(code) }
