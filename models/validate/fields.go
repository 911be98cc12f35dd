package validate

import (
	"slices"
	"strings"
)

// Record kinds, as the document's kind member spells them (models.Kind
// holds the same values; a test there keeps them equal).
const (
	dispute    = "dispute"
	strike     = "strike_round"
	settlement = "pay_settlement"
	regulatory = "regulatory_change"
	milestone  = "milestone"
)

// Field is one member of an event document.
type Field struct {
	// Name is the JSON member (a nested one as parent.member: sources.url).
	Name string
	// Label is what the planner form calls it.
	Label string
	// Kinds are the record kinds that carry the field; nil means every
	// kind. A field may appear twice with different kinds when its rules
	// differ by kind (body: a choice on a settlement, free text on a
	// regulatory change).
	Kinds []string
	// Required fields must be set (after defaults: nation is England).
	Required bool
	// Max is the limit in characters of free text (of each entry, for a
	// list); 0 for fields that are not free text.
	Max int
	// Multiline text may hold line breaks and tabs; one-line text may not.
	Multiline bool
	// Input is the id of the form input that shows the field; "" when the
	// form has none (figures) or shows it its own way (sources).
	Input string
	// Impact marks a planner's impact override, which the form offers on
	// every kind but a dispute (a dispute's impact is its rounds').
	Impact bool
}

// Limits on free text, generous for real use and small enough that a
// hostile client cannot fill the database. They match the columns'
// widths where a column has one (title 300, sources.title 500, url 2000).
const (
	MaxTitle       = 300
	MaxText        = 20000
	MaxShort       = 200
	MaxSourceTitle = 500
	MaxURL         = 2000
	// MaxSources and MaxList bound the number of sources and of entries
	// in a list (unions, parties).
	MaxSources = 50
	MaxList    = 50
	// MaxCodes bounds a list of area codes (scope, impact_scope).
	MaxCodes = 500
)

var (
	strikeOnly     = []string{strike}
	settlementOnly = []string{settlement}
	regulatoryOnly = []string{regulatory}
	milestoneOnly  = []string{milestone}
	disputeOnly    = []string{dispute}
)

// Fields is the field table, in the order the planner form shows them, so
// an error summary read top to bottom follows the form.
var Fields = []Field{
	{Name: "kind", Label: "Kind", Required: true},
	{Name: "title", Label: "Title", Required: true, Max: MaxTitle, Input: "title"},
	{Name: "summary", Label: "Summary", Max: MaxText, Multiline: true, Input: "summary"},
	{Name: "start", Label: "Starts", Required: true, Input: "start"},
	{Name: "end", Label: "Ends", Input: "end"},
	{Name: "dispute_id", Label: "Part of dispute", Input: "dispute_id"},
	{Name: "staff_group", Label: "Staff group", Kinds: []string{strike, settlement}, Required: true, Input: "staff_group"},
	{Name: "staff_group", Label: "Staff group", Kinds: []string{dispute, regulatory, milestone}, Input: "staff_group"},
	{Name: "nation", Label: "Nation", Required: true, Input: "nation"},
	{Name: "unions", Label: "Unions", Max: MaxShort, Input: "unions"},
	{Name: "status", Label: "Status", Kinds: disputeOnly, Required: true, Input: "status"},
	{Name: "parties", Label: "Parties", Kinds: disputeOnly, Max: MaxShort, Input: "parties"},
	{Name: "round_number", Label: "Round number", Kinds: strikeOnly, Input: "round_number"},
	{Name: "action_type", Label: "Type of action", Kinds: strikeOnly, Required: true, Input: "action_type"},
	{Name: "scope", Label: "Where", Kinds: strikeOnly, Input: "scope"},
	{Name: "figures", Label: "Figures", Kinds: strikeOnly},
	{Name: "figures.metric", Label: "metric", Kinds: strikeOnly, Required: true},
	{Name: "figures.value", Label: "value", Kinds: strikeOnly},
	{Name: "figures.source_url", Label: "source", Kinds: strikeOnly, Max: MaxURL},
	{Name: "figures.note", Label: "note", Kinds: strikeOnly, Max: MaxShort},
	{Name: "pay_year", Label: "Pay year", Kinds: settlementOnly, Required: true, Input: "pay_year"},
	{Name: "outcome", Label: "Outcome", Kinds: settlementOnly, Required: true, Input: "outcome"},
	{Name: "headline_pct", Label: "Headline rise (%)", Kinds: settlementOnly, Input: "headline_pct"},
	{Name: "average_pct", Label: "Average rise (%)", Kinds: settlementOnly, Input: "average_pct"},
	{Name: "lump_sum", Label: "Lump sum", Kinds: settlementOnly, Max: MaxShort, Input: "lump_sum"},
	{Name: "effective_date", Label: "Effective from", Kinds: settlementOnly, Input: "effective_date"},
	{Name: "body", Label: "Decided by", Kinds: settlementOnly, Input: "body"},
	{Name: "body", Label: "Issued by", Kinds: regulatoryOnly, Required: true, Max: MaxShort, Input: "body"},
	{Name: "instrument", Label: "Instrument", Kinds: regulatoryOnly, Required: true, Input: "instrument"},
	{Name: "what_changes", Label: "What changes", Kinds: regulatoryOnly, Max: MaxText, Multiline: true, Input: "what_changes"},
	{Name: "affects", Label: "Who it affects", Kinds: regulatoryOnly, Max: MaxText, Multiline: true, Input: "affects"},
	{Name: "milestone_type", Label: "Milestone", Kinds: milestoneOnly, Required: true, Input: "milestone_type"},
	{Name: "turnout_pct", Label: "Ballot turnout (%)", Kinds: milestoneOnly, Input: "turnout_pct"},
	{Name: "yes_pct", Label: "Voted yes (%)", Kinds: milestoneOnly, Input: "yes_pct"},
	{Name: "notes", Label: "Notes", Max: MaxText, Multiline: true, Input: "notes"},
	{Name: "announced_on", Label: "Announced on", Impact: true, Input: "announced_on"},
	{Name: "impact_recovery_days", Label: "Recovery window (days)", Impact: true, Input: "impact_recovery_days"},
	{Name: "impact_window_start", Label: "Impact window from", Impact: true, Input: "impact_window_start"},
	{Name: "impact_window_end", Label: "Impact window to", Impact: true, Input: "impact_window_end"},
	{Name: "impact_scope", Label: "Impact areas", Impact: true, Input: "impact_scope"},
	{Name: "impact_metrics", Label: "Impact metrics", Impact: true, Input: "impact_metrics"},
	{Name: "impact_slice", Label: "Slice", Impact: true},
	{Name: "impact_slice.status", Label: "Slice: appointment status", Impact: true, Input: "impact_status"},
	{Name: "impact_slice.hcp", Label: "Slice: staff type", Impact: true, Input: "impact_hcp"},
	{Name: "impact_slice.mode", Label: "Slice: mode", Impact: true, Input: "impact_mode"},
	{Name: "impact_slice.lead", Label: "Slice: time from booking", Impact: true, Input: "impact_lead"},
	{Name: "spc_rebase", Label: "Recalculate SPC limits", Input: "spc_rebase"},
	{Name: "sources", Label: "Sources", Required: true},
	{Name: "sources.url", Label: "address", Required: true, Max: MaxURL},
	{Name: "sources.title", Label: "title", Max: MaxSourceTitle},
	{Name: "sources.publisher", Label: "publisher", Max: MaxShort},
	{Name: "sources.published_on", Label: "date"},
}

// Lookup returns the field name of a kind's document, and its place in
// Fields. A name with an index (unions[2], sources[0].url) is looked up
// without it (unions, sources.url).
func Lookup(kind, name string) (Field, int, bool) {
	for _, i := range byName[Base(name)] {
		if Fields[i].For(kind) {
			return Fields[i], i, true
		}
	}
	return Field{}, -1, false
}

// byName indexes Fields by name, since every check of a document looks
// fields up.
var byName = func() map[string][]int {
	m := map[string][]int{}
	for i, f := range Fields {
		m[f.Name] = append(m[f.Name], i)
	}
	return m
}()

// MustLookup is Lookup for a field the caller knows exists.
func MustLookup(kind, name string) Field {
	f, _, ok := Lookup(kind, name)
	if !ok {
		panic("validate: no field " + name + " on " + kind)
	}
	return f
}

// Base drops the indexes from a field name: sources[0].url → sources.url.
func Base(name string) string {
	if !strings.Contains(name, "[") {
		return name
	}
	var b strings.Builder
	skip := false
	for _, r := range name {
		switch {
		case r == '[':
			skip = true
		case r == ']':
			skip = false
		case !skip:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// For reports whether f belongs to kind's document.
func (f Field) For(kind string) bool {
	return f.Kinds == nil || slices.Contains(f.Kinds, kind)
}

// OnForm reports whether kind's planner form has an input for f.
func (f Field) OnForm(kind string) bool {
	return f.Input != "" && f.For(kind) && !(f.Impact && kind == dispute)
}

// allKinds is every record kind.
var allKinds = []string{dispute, strike, settlement, regulatory, milestone}

// KindsOf lists the kinds whose document has the member name, in table
// order; nil when every kind has it or the table does not know it.
func KindsOf(name string) []string {
	var out []string
	for _, i := range byName[name] {
		f := Fields[i]
		if f.Kinds == nil {
			return nil
		}
		for _, k := range f.Kinds {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	if len(out) == len(allKinds) {
		return nil
	}
	return out
}

// FormInputs lists the ids of kind's form inputs, in form order.
func FormInputs(kind string) []string {
	var out []string
	for _, f := range Fields {
		if f.OnForm(kind) && !slices.Contains(out, f.Input) {
			out = append(out, f.Input)
		}
	}
	return out
}
