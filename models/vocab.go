package models

// Kind is the type of a timeline record. All kinds live in one events table
// (single-table inheritance) so that an id is unique across kinds and the
// timeline is one ordered query.
type Kind string

// The record kinds.
const (
	KindDispute          Kind = "dispute"
	KindStrikeRound      Kind = "strike_round"
	KindPaySettlement    Kind = "pay_settlement"
	KindRegulatoryChange Kind = "regulatory_change"
	KindMilestone        Kind = "milestone"
)

// Kinds lists every kind in display order.
var Kinds = []Kind{KindDispute, KindStrikeRound, KindPaySettlement, KindRegulatoryChange, KindMilestone}

// Label is the human name of a kind.
func (k Kind) Label() string {
	switch k {
	case KindDispute:
		return "Dispute"
	case KindStrikeRound:
		return "Strike round"
	case KindPaySettlement:
		return "Pay settlement"
	case KindRegulatoryChange:
		return "Regulatory change"
	case KindMilestone:
		return "Milestone"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return contains(Kinds, k) }

// Vocabularies for coded fields. They are closed lists so filters and impact
// defaults can rely on them; adding a value is a code change with a test.
var (
	StaffGroups = []string{"resident_doctors", "consultants", "sas_doctors", "gps", "nurses", "midwives",
		"ambulance_staff", "agenda_for_change", "allied_health_professionals", "other"}
	Nations         = []string{"England", "Scotland", "Wales", "Northern Ireland", "UK"}
	DisputeStatuses = []string{"open", "suspended", "resolved"}
	ActionTypes     = []string{"full_walkout", "walkout_emergency_cover", "work_to_rule", "collective_action"}
	Outcomes        = []string{"offered", "accepted", "rejected", "imposed"}
	PayBodies       = []string{"DDRB", "NHS Pay Review Body", "government", "employer", "other"}
	Instruments     = []string{"contract", "regulation", "guidance"}
	MilestoneTypes  = []string{"entered_dispute", "re_entered_dispute", "ballot_opened", "ballot_result",
		"mandate_granted", "mandate_expires", "action_suspended", "resolved",
		"offer_rejected", "talks_ended", "pay_evidence", "minister_changed"}
	FigureMetrics = []string{"staff_absent_peak", "appointments_rescheduled", "procedures_rescheduled",
		"staff_absent_daily_average", "planned_care_kept_pct"}
)

// StaffGroupLabel is the display name of a staff group code.
func StaffGroupLabel(code string) string {
	switch code {
	case "resident_doctors":
		return "Resident doctors"
	case "consultants":
		return "Consultants"
	case "sas_doctors":
		return "SAS doctors"
	case "gps":
		return "GPs"
	case "nurses":
		return "Nurses"
	case "midwives":
		return "Midwives"
	case "ambulance_staff":
		return "Ambulance staff"
	case "agenda_for_change":
		return "Agenda for Change staff"
	case "allied_health_professionals":
		return "Allied health professionals"
	case "other":
		return "Other"
	}
	return code
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// plural is the kind's name for many records, in a sentence: "strike
// rounds".
func (k Kind) plural() string {
	switch k {
	case KindDispute:
		return "disputes"
	case KindStrikeRound:
		return "strike rounds"
	case KindPaySettlement:
		return "pay settlements"
	case KindRegulatoryChange:
		return "regulatory changes"
	case KindMilestone:
		return "milestones"
	}
	return string(k)
}
