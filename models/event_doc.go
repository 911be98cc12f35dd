package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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

// ValidationError lists field problems; the API answers it with 422.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for k, v := range e.Fields {
		parts = append(parts, k+": "+v)
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

func (e *ValidationError) add(field, msg string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = msg
	}
}

func (e *ValidationError) orNil() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// ErrMalformed marks input that is not well-formed JSON (400, not 422).
var ErrMalformed = errors.New("malformed JSON")

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
	if !utf8.Valid(body) {
		return d, fmt.Errorf("%w: body is not valid UTF-8", ErrMalformed)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		var ute *json.UnmarshalTypeError
		switch {
		case errors.As(err, &ute):
			return d, &ValidationError{Fields: map[string]string{fieldName(ute.Field): "must be a " + jsonType(ute.Type.String())}}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return d, &ValidationError{Fields: map[string]string{name: "unknown field"}}
		}
		return d, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if dec.More() {
		return d, fmt.Errorf("%w: trailing data after the JSON object", ErrMalformed)
	}
	return d, nil
}

func fieldName(f string) string {
	if f == "" {
		return "body"
	}
	return f
}

func jsonType(goType string) string {
	switch {
	case strings.Contains(goType, "int"), strings.Contains(goType, "float"):
		return "number"
	case strings.HasPrefix(goType, "[]"):
		return "list"
	case goType == "bool":
		return "boolean"
	case goType == "string", goType == "models.Kind":
		return "string"
	}
	return "valid value"
}

// Limits on free text, generous for real use and small enough that a hostile
// client cannot fill the database.
const (
	maxTitle = 300
	maxText  = 20000
	maxShort = 200
	// maxSourceTitle and maxURL are the widths of sources.title and
	// sources.url.
	maxSourceTitle = 500
	maxURL         = 2000
	maxSources     = 50
	maxList        = 50
)

var (
	scopeCode   = regexp.MustCompile(`^(ENGLAND|E(38|40|54)\d{6}|[0-9][0-9A-Z]{2}|Q[A-Z0-9]{2}|Y\d{2})$`)
	payYearCode = regexp.MustCompile(`^(\d{4})/(\d{2})$`)
)

// ToEvent validates d and builds the event it describes. DisputeID existence
// is checked by the store, which has the database.
func (d EventDoc) ToEvent() (*Event, error) {
	v := &ValidationError{}
	e := &Event{Kind: d.Kind}
	if !d.Kind.Valid() {
		v.add("kind", "must be one of "+joinKinds())
	}
	e.Title = cleanText(v, "title", d.Title, maxTitle, true, false)
	e.Summary = cleanText(v, "summary", d.Summary, maxText, false, true)
	e.Notes = cleanText(v, "notes", d.Notes, maxText, false, true)

	start, startAllDay, err := parseWhen(d.Start)
	switch {
	case strings.TrimSpace(d.Start) == "":
		v.add("start", "is required")
	case err != nil:
		v.add("start", err.Error())
	default:
		e.StartAt, e.AllDay = start, startAllDay
	}
	if strings.TrimSpace(d.End) != "" {
		end, endAllDay, err := parseWhen(d.End)
		switch {
		case err != nil:
			v.add("end", err.Error())
		case e.StartAt.IsZero():
		case endAllDay != e.AllDay:
			v.add("end", "must use the same form as start (both dates, or both date-times)")
		case endAllDay && end.Before(e.StartAt), !endAllDay && !end.After(e.StartAt):
			v.add("end", "must be after start")
		default:
			e.EndAt = &end
		}
	}

	e.StaffGroup = oneOf(v, "staff_group", d.StaffGroup, StaffGroups, d.Kind == KindStrikeRound || d.Kind == KindPaySettlement)
	e.Nation = d.Nation
	if e.Nation == "" {
		e.Nation = "England"
	}
	oneOf(v, "nation", e.Nation, Nations, true)
	e.Unions = cleanList(v, "unions", d.Unions)
	e.Parties = cleanList(v, "parties", d.Parties)
	e.DisputeID = d.DisputeID
	if d.Kind == KindDispute && d.DisputeID != nil {
		v.add("dispute_id", "a dispute cannot belong to another dispute")
	}
	if d.DisputeID != nil && *d.DisputeID <= 0 {
		v.add("dispute_id", "must be a positive id")
	}

	// Fields that belong to another kind are rejected rather than dropped, so
	// a client never believes it stored something it did not.
	e.Status = d.Status
	if d.Kind == KindDispute {
		if e.Status == "" {
			e.Status = "open"
		}
		oneOf(v, "status", e.Status, DisputeStatuses, true)
	} else if d.Status != "" {
		v.add("status", "applies to disputes only")
	}
	if d.Kind == KindStrikeRound {
		if d.RoundNumber != nil && (*d.RoundNumber < 1 || *d.RoundNumber > 1000) {
			v.add("round_number", "must be between 1 and 1000")
		}
		e.RoundNumber = d.RoundNumber
		e.ActionType = oneOf(v, "action_type", d.ActionType, ActionTypes, true)
		e.Scope = []string{"ENGLAND"}
		if len(d.Scope) > 0 {
			e.Scope = nil
			for i, s := range d.Scope {
				s = strings.ToUpper(strings.TrimSpace(s))
				if !scopeCode.MatchString(s) {
					v.add(fmt.Sprintf("scope[%d]", i), "must be ENGLAND or a region, ICB or sub-ICB code")
					continue
				}
				e.Scope = append(e.Scope, s)
			}
			if len(d.Scope) > 500 {
				v.add("scope", "too many codes (at most 500)")
			}
		}
		for i, f := range d.Figures {
			if !contains(FigureMetrics, f.Metric) {
				v.add(fmt.Sprintf("figures[%d].metric", i), "must be one of "+strings.Join(FigureMetrics, ", "))
			}
			switch {
			case f.Value < 0 || math.IsNaN(f.Value) || math.IsInf(f.Value, 0):
				v.add(fmt.Sprintf("figures[%d].value", i), "must not be negative")
			case strings.HasSuffix(f.Metric, "_pct") && f.Value > 100:
				v.add(fmt.Sprintf("figures[%d].value", i), "is a percentage: at most 100")
			case !strings.HasSuffix(f.Metric, "_pct") && f.Value != math.Trunc(f.Value):
				v.add(fmt.Sprintf("figures[%d].value", i), "is a count: must be a whole number")
			}
			if f.SourceURL != "" {
				checkURL(v, fmt.Sprintf("figures[%d].source_url", i), f.SourceURL)
			}
			f.Note = cleanText(v, fmt.Sprintf("figures[%d].note", i), f.Note, maxShort, false, false)
			e.Figures = append(e.Figures, f)
		}
	} else {
		rejectIf(v, "round_number", d.RoundNumber != nil, "strike rounds")
		rejectIf(v, "action_type", d.ActionType != "", "strike rounds")
		rejectIf(v, "scope", len(d.Scope) > 0, "strike rounds")
		rejectIf(v, "figures", len(d.Figures) > 0, "strike rounds")
	}
	if d.Kind == KindPaySettlement {
		e.PayYear = d.PayYear
		if m := payYearCode.FindStringSubmatch(d.PayYear); m == nil {
			v.add("pay_year", "must look like 2025/26")
		} else if (atoi(m[1])+1)%100 != atoi(m[2]) {
			v.add("pay_year", "must be two consecutive years, like 2025/26")
		}
		e.HeadlinePct = pct(v, "headline_pct", d.HeadlinePct, -100, 100)
		e.AveragePct = pct(v, "average_pct", d.AveragePct, -100, 100)
		e.LumpSum = cleanText(v, "lump_sum", d.LumpSum, maxShort, false, false)
		e.Outcome = oneOf(v, "outcome", d.Outcome, Outcomes, true)
		e.Body = oneOf(v, "body", d.Body, PayBodies, false)
		if d.EffectiveDate != "" {
			t, err := time.Parse(time.DateOnly, d.EffectiveDate)
			if err != nil {
				v.add("effective_date", "must be a date like 2025-04-01")
			} else {
				e.EffectiveDate = &t
			}
		}
	} else {
		rejectIf(v, "pay_year", d.PayYear != "", "pay settlements")
		rejectIf(v, "headline_pct", d.HeadlinePct != nil, "pay settlements")
		rejectIf(v, "average_pct", d.AveragePct != nil, "pay settlements")
		rejectIf(v, "lump_sum", d.LumpSum != "", "pay settlements")
		rejectIf(v, "outcome", d.Outcome != "", "pay settlements")
		rejectIf(v, "effective_date", d.EffectiveDate != "", "pay settlements")
	}
	if d.Kind == KindRegulatoryChange {
		e.Body = cleanText(v, "body", d.Body, maxShort, true, false)
		e.Instrument = oneOf(v, "instrument", d.Instrument, Instruments, true)
		e.WhatChanges = cleanText(v, "what_changes", d.WhatChanges, maxText, false, true)
		e.Affects = cleanText(v, "affects", d.Affects, maxText, false, true)
	} else {
		if d.Kind != KindPaySettlement {
			rejectIf(v, "body", d.Body != "", "pay settlements and regulatory changes")
		}
		rejectIf(v, "instrument", d.Instrument != "", "regulatory changes")
		rejectIf(v, "what_changes", d.WhatChanges != "", "regulatory changes")
		rejectIf(v, "affects", d.Affects != "", "regulatory changes")
	}
	if d.Kind == KindMilestone {
		e.MilestoneType = oneOf(v, "milestone_type", d.MilestoneType, MilestoneTypes, true)
		e.TurnoutPct = pct(v, "turnout_pct", d.TurnoutPct, 0, 100)
		e.YesPct = pct(v, "yes_pct", d.YesPct, 0, 100)
	} else {
		rejectIf(v, "milestone_type", d.MilestoneType != "", "milestones")
		rejectIf(v, "turnout_pct", d.TurnoutPct != nil, "milestones")
		rejectIf(v, "yes_pct", d.YesPct != nil, "milestones")
	}
	if d.Kind != KindDispute && len(d.Parties) > 0 {
		v.add("parties", "applies to disputes only")
	}

	validateImpact(v, d, e)
	e.SPCRebase = d.SPCRebase

	if len(d.Sources) == 0 {
		v.add("sources", "at least one source is required")
	}
	if len(d.Sources) > maxSources {
		v.add("sources", fmt.Sprintf("at most %d sources", maxSources))
	}
	for i, s := range d.Sources {
		f := fmt.Sprintf("sources[%d]", i)
		checkURL(v, f+".url", s.URL)
		src := Source{
			Position:  i,
			URL:       strings.TrimSpace(s.URL),
			Title:     cleanText(v, f+".title", s.Title, maxSourceTitle, false, false),
			Publisher: cleanText(v, f+".publisher", s.Publisher, maxShort, false, false),
		}
		if s.PublishedOn != "" {
			if _, err := time.Parse(time.DateOnly, s.PublishedOn); err != nil {
				v.add(f+".published_on", "must be a date like 2025-07-25")
			}
			src.PublishedOn = s.PublishedOn
		}
		e.Sources = append(e.Sources, src)
	}
	if err := v.orNil(); err != nil {
		return nil, err
	}
	return e, nil
}

// parseWhen accepts a date (2025-07-25) or an RFC 3339 date-time; a
// date-time without an offset is read as London time.
func parseWhen(s string) (t time.Time, allDay bool, err error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		if t.Year() < 1900 || t.Year() > 2200 {
			return t, true, errors.New("must be a year between 1900 and 2200")
		}
		return t, true, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		if t.Year() < 1900 || t.Year() > 2200 {
			return t, false, errors.New("must be a year between 1900 and 2200")
		}
		return t.UTC(), false, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, London); err == nil {
			if t.Year() < 1900 || t.Year() > 2200 {
				return t, false, errors.New("must be a year between 1900 and 2200")
			}
			return t.UTC(), false, nil
		}
	}
	return time.Time{}, false, errors.New("must be a date (2025-07-25) or date-time (2025-07-25T07:00:00+01:00)")
}

// cleanText validates one free-text field: valid UTF-8, at most max
// characters after trimming, and no control characters. Only long text
// (multiline) may hold line breaks and tabs, and its CRLF (what a browser's
// textarea sends) is stored as LF; a lone CR is refused everywhere, since
// calendar and CSV readers that split on CR would see a forged line. A
// short field (title, names, notes on figures) holds one line: no tab, no
// line or paragraph separator either.
func cleanText(v *ValidationError, field, s string, max int, required, multiline bool) string {
	if !utf8.ValidString(s) {
		v.add(field, "must be valid UTF-8")
		return ""
	}
	if multiline {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	s = strings.TrimSpace(s)
	if required && s == "" {
		v.add(field, "is required")
	}
	if utf8.RuneCountInString(s) > max {
		v.add(field, fmt.Sprintf("must be at most %d characters", max))
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			if multiline {
				v.add(field, "must not contain control characters (line breaks and tabs are allowed)")
			} else {
				v.add(field, "must be one line without control characters (no tabs or line breaks)")
			}
			break
		}
	}
	return s
}

func cleanList(v *ValidationError, field string, in []string) []string {
	if len(in) > maxList {
		v.add(field, fmt.Sprintf("at most %d entries", maxList))
		return nil
	}
	var out []string
	for i, s := range in {
		s = cleanText(v, fmt.Sprintf("%s[%d]", field, i), s, maxShort, true, false)
		if s != "" && !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func oneOf(v *ValidationError, field, s string, allowed []string, required bool) string {
	if s == "" {
		if required {
			v.add(field, "is required (one of "+strings.Join(allowed, ", ")+")")
		}
		return ""
	}
	if !contains(allowed, s) {
		v.add(field, "must be one of "+strings.Join(allowed, ", "))
	}
	return s
}

func pct(v *ValidationError, field string, p *float64, lo, hi float64) *float64 {
	if p == nil {
		return nil
	}
	if math.IsNaN(*p) || *p < lo || *p > hi {
		v.add(field, fmt.Sprintf("must be between %g and %g", lo, hi))
	}
	return p
}

func rejectIf(v *ValidationError, field string, cond bool, kinds string) {
	if cond {
		v.add(field, "applies to "+kinds+" only")
	}
}

func checkURL(v *ValidationError, field, raw string) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		v.add(field, "is required")
		return
	}
	if utf8.RuneCountInString(raw) > maxURL {
		v.add(field, fmt.Sprintf("must be at most %d characters", maxURL))
		return
	}
	for _, r := range raw {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			v.add(field, "must be an http(s) URL without spaces or control characters")
			return
		}
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.add(field, "must be an http(s) URL")
	}
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

// ImpactMetricKeys are the metric keys the impact engine knows
// (reports/impact registers the same list; a test there keeps them equal).
var ImpactMetricKeys = []string{"total", "attended", "dna_rate", "gp_share", "same_day_share",
	"mode_face_to_face", "mode_telephone", "mode_video_online", "mode_home_visit",
	"share_face_to_face", "share_telephone", "share_video_online", "share_home_visit", "oc_submissions"}

func validateImpact(v *ValidationError, d EventDoc, e *Event) {
	for _, f := range []struct {
		name string
		in   string
		out  **time.Time
	}{{"impact_window_start", d.ImpactWindowStart, &e.ImpactFrom}, {"impact_window_end", d.ImpactWindowEnd, &e.ImpactTo},
		{"announced_on", d.AnnouncedOn, &e.AnnouncedOn}} {
		if f.in == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, f.in)
		if err != nil || t.Year() < 1900 || t.Year() > 2200 {
			v.add(f.name, "must be a date like 2025-07-25")
			continue
		}
		*f.out = &t
	}
	if e.ImpactFrom != nil && e.ImpactTo != nil && e.ImpactTo.Before(*e.ImpactFrom) {
		v.add("impact_window_end", "must be after impact_window_start")
	}
	if e.AnnouncedOn != nil && !e.StartAt.IsZero() && e.AnnouncedOn.After(e.StartAt) {
		v.add("announced_on", "must not be after the start")
	}
	if r := d.ImpactRecoveryDays; r != nil {
		if *r < 0 || *r > 90 {
			v.add("impact_recovery_days", "must be between 0 and 90 days")
		} else {
			n := *r
			e.ImpactRecoveryDays = &n
		}
	}
	if d.ImpactSlice != nil {
		sl, err := ParseActivitySlice("impact_slice.", *d.ImpactSlice)
		var ve *ValidationError
		if errors.As(err, &ve) {
			for k, m := range ve.Fields {
				v.add(k, m)
			}
		}
		e.ImpactSlice = sl
	}
	if len(d.ImpactScope) > 500 {
		v.add("impact_scope", "too many codes (at most 500)")
	}
	for i, s := range d.ImpactScope {
		s = strings.ToUpper(strings.TrimSpace(s))
		if !scopeCode.MatchString(s) {
			v.add(fmt.Sprintf("impact_scope[%d]", i), "must be ENGLAND or a region, ICB or sub-ICB code")
			continue
		}
		e.ImpactScope = append(e.ImpactScope, s)
	}
	for i, m := range d.ImpactMetrics {
		if !contains(ImpactMetricKeys, m) {
			v.add(fmt.Sprintf("impact_metrics[%d]", i), "must be one of "+strings.Join(ImpactMetricKeys, ", "))
			continue
		}
		if !contains(e.ImpactMetrics, m) {
			e.ImpactMetrics = append(e.ImpactMetrics, m)
		}
	}
}

// ValidScopeCode reports whether code is ENGLAND or looks like a region,
// ICB or sub-ICB code.
func ValidScopeCode(code string) bool { return scopeCode.MatchString(code) }
