package models

import "strings"

// codeLabels is the one table of words for the coded values people see:
// on the event page, the history page and in workbooks. A code missing
// here falls back to its words with underscores as spaces.
var codeLabels = map[string]string{
	// Scope and impact scope.
	"ENGLAND": "England",
	// Action types.
	"full_walkout":            "Full walkout",
	"walkout_emergency_cover": "Walkout with emergency cover",
	"work_to_rule":            "Work to rule",
	"collective_action":       "Collective action",
	// Milestones.
	"re_entered_dispute": "Re-entered dispute",
	// Published figures of a strike round.
	"staff_absent_peak":        "Staff absent at the peak",
	"appointments_rescheduled": "Appointments rescheduled",
	"procedures_rescheduled":   "Procedures rescheduled",
}

// fieldLabels names the document fields whose code does not read well
// with underscores as spaces.
var fieldLabels = map[string]string{
	"dispute_id":          "Dispute",
	"staff_group":         "Staff group",
	"impact_scope":        "Impact scope",
	"impact_metrics":      "Impact metrics",
	"impact_window_start": "Impact window start",
	"impact_window_end":   "Impact window end",
	"spc_rebase":          "SPC rebase point",
	"headline_pct":        "Headline rise (%)",
	"average_pct":         "Average rise (%)",
	"turnout_pct":         "Turnout (%)",
	"yes_pct":             "Voted yes (%)",
}

// CodeWords is a vocabulary code in words: ENGLAND → England,
// full_walkout → Full walkout, staff_absent_peak → Staff absent at the
// peak, resident_doctors → Resident doctors, strike_round → Strike round.
// Codes it does not know (area codes such as E54000027, free text) come
// back with underscores as spaces and the first letter capitalised.
func CodeWords(code string) string {
	if code == "" {
		return ""
	}
	if l, ok := codeLabels[code]; ok {
		return l
	}
	if contains(StaffGroups, code) {
		return StaffGroupLabel(code)
	}
	if k := Kind(code); k.Valid() {
		return k.Label()
	}
	s := strings.ReplaceAll(code, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// FieldWords is a document field name in words: impact_scope → Impact
// scope.
func FieldWords(field string) string {
	if l, ok := fieldLabels[field]; ok {
		return l
	}
	return CodeWords(field)
}
