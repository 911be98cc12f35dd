package impact

import (
	"fmt"
	"slices"
	"time"
)

// Category codes exactly as NHS England publishes them in GPAD files
// (DOMAIN §2.1 and its corrections). Importers keep the published text, so
// filters match on it; where a category has had several spellings, every
// spelling is listed and the filters below accept all of them.
const (
	// APPT_STATUS.
	StatusAttended = "Attended"
	StatusDNA      = "DNA"
	StatusUnknown  = "Unknown"
	// StatusNotProvided is the older files' spelling of an unknown status.
	StatusNotProvided = "Appt Status Not Provided"

	// HCP_TYPE.
	HCPGP          = "GP"
	HCPOther       = "Other Practice staff"
	HCPUnknown     = "Unknown"
	HCPNotProvided = "HCP Type Not Provided" // older files

	// APPT_MODE.
	ModeFaceToFace  = "Face-to-Face"
	ModeTelephone   = "Telephone"
	ModeVideoOnline = "Video/Online" // monthly regional files
	// ModeVideoConferenceOnline is the same mode as spelt in the daily
	// sub-ICB files.
	ModeVideoConferenceOnline = "Video Conference/Online"
	ModeHomeVisit             = "Home Visit"
	ModeUnknown               = "Unknown"

	// TIME_BETWEEN_BOOK_AND_APPT. Three values have a double space, exactly
	// as published; do not "fix" them.
	LeadSameDay    = "Same Day"
	Lead1Day       = "1 Day"
	Lead2To7Days   = "2 to 7 Days"
	Lead8To14Days  = "8  to 14 Days"
	Lead15To21Days = "15  to 21 Days"
	Lead22To28Days = "22  to 28 Days"
	LeadOver28Days = "More than 28 Days"
	LeadUnknown    = "Unknown"
	// LeadUnknownDataQuality and LeadUnknownDataIssue are the current and
	// older published spellings of the unknown bucket.
	LeadUnknownDataQuality = "Unknown / Data Quality"
	LeadUnknownDataIssue   = "Unknown / Data Issue"
)

// OCTotalSubmissions is the online-consultation METRIC code for all
// submissions.
const OCTotalSubmissions = "OC_TOTAL_SUBMISSIONS"

// Code lists used by the metric definitions. Each is closed and explicit, so
// "known" never silently grows to include a new unknown spelling.
var (
	StatusCodes    = []string{StatusAttended, StatusDNA, StatusUnknown}
	HCPCodes       = []string{HCPGP, HCPOther, HCPUnknown}
	ModeCodes      = []string{ModeFaceToFace, ModeTelephone, ModeVideoOnline, ModeHomeVisit, ModeUnknown}
	LeadCodes      = []string{LeadSameDay, Lead1Day, Lead2To7Days, Lead8To14Days, Lead15To21Days, Lead22To28Days, LeadOver28Days, LeadUnknown}
	KnownLeadCodes = []string{LeadSameDay, Lead1Day, Lead2To7Days, Lead8To14Days, Lead15To21Days, Lead22To28Days, LeadOver28Days}
	// VideoOnlineCodes are both spellings of the video/online mode.
	VideoOnlineCodes = []string{ModeVideoOnline, ModeVideoConferenceOnline}
)

// Dataset names the publication a count comes from.
type Dataset string

// The datasets metrics are built from.
const (
	// Appointments is GPAD: counts by status, HCP type, mode and lead time.
	Appointments Dataset = "appointments"
	// OnlineConsultations is the online-consultation submissions
	// publication: counts by METRIC code.
	OnlineConsultations Dataset = "online_consultations"
	// SDSRoles is the SDS role group daily file: counts by role group
	// label (GP, Nurses, …).
	SDSRoles Dataset = "sds_roles"
	// ActualDurations is the actual duration daily file: counts by
	// duration band label.
	ActualDurations Dataset = "actual_durations"
)

// Count is one published count: a day, its category codes and the number.
// Fields that do not apply to the dataset are left empty.
type Count struct {
	Day     time.Time
	Dataset Dataset
	Status  string
	HCP     string
	Mode    string
	Lead    string
	// OCMetric is the online-consultation METRIC code, e.g.
	// OC_TOTAL_SUBMISSIONS.
	OCMetric string
	// Role and Duration are the SDS role group and actual duration labels.
	Role, Duration string
	N              float64
}

// Filter selects counts. A count matches when it is from Dataset and, for
// each category list that is non-empty, its code is in the list; an empty
// list means "any code". The zero Filter (no Dataset) matches nothing: that
// is how a Metric says it has no denominator. Some files store Unknown as an
// empty field; an empty code is matched only by an empty list, so it counts
// in totals and never as a known category.
type Filter struct {
	Dataset  Dataset
	Status   []string
	HCP      []string
	Mode     []string
	Lead     []string
	OCMetric []string
	Role     []string
	Duration []string
}

// IsZero reports whether f is the zero Filter, which matches nothing.
func (f Filter) IsZero() bool { return f.Dataset == "" }

// Match reports whether c is selected by f.
func (f Filter) Match(c Count) bool {
	return !f.IsZero() && c.Dataset == f.Dataset &&
		in(f.Status, c.Status) && in(f.HCP, c.HCP) && in(f.Mode, c.Mode) &&
		in(f.Lead, c.Lead) && in(f.OCMetric, c.OCMetric) && in(f.Role, c.Role) && in(f.Duration, c.Duration)
}

func in(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }

// Metric defines one reported quantity (DOMAIN §4.6). A count metric has a
// zero Denominator; a ratio metric is Σnumerator / Σdenominator per day,
// summing the counts first (never averaging ratios), so a day's ratio is
// weighted by volume exactly as the national figure is.
type Metric struct {
	Key         string
	Label       string
	Unit        string // UnitAppointments, UnitSubmissions or UnitRatio
	Numerator   Filter
	Denominator Filter
}

// IsRatio reports whether m is a ratio metric.
func (m Metric) IsRatio() bool { return !m.Denominator.IsZero() }

// Metric keys.
const (
	MetricTotal         = "total"
	MetricAttended      = "attended"
	MetricDNARate       = "dna_rate"
	MetricGPShare       = "gp_share"
	MetricSameDayShare  = "same_day_share"
	MetricFaceToFace    = "mode_face_to_face"
	MetricTelephone     = "mode_telephone"
	MetricVideoOnline   = "mode_video_online"
	MetricHomeVisit     = "mode_home_visit"
	MetricOCSubmissions = "oc_submissions"
)

// Mode share keys: one mode over all appointments with a known mode.
const (
	MetricShareFaceToFace  = "share_face_to_face"
	MetricShareTelephone   = "share_telephone"
	MetricShareVideoOnline = "share_video_online"
	MetricShareHomeVisit   = "share_home_visit"
)

// Metric units.
const (
	UnitAppointments = "appointments"
	UnitSubmissions  = "submissions"
	// UnitRatio is a fraction between 0 and 1.
	UnitRatio = "ratio"
)

// SubjectOnlineConsultation is the DefaultMetrics subject for regulatory
// changes about online consultation (such as the October 2025 contract
// change), which have no staff group.
const SubjectOnlineConsultation = "online_consultation"

var appts = Filter{Dataset: Appointments}

// KnownModeCodes are the modes that count in a mode share's denominator.
var KnownModeCodes = []string{ModeFaceToFace, ModeTelephone, ModeVideoOnline, ModeVideoConferenceOnline, ModeHomeVisit}

func modeShare(key, label string, codes ...string) Metric {
	return Metric{Key: key, Label: label + " share (of appointments with a known mode)", Unit: UnitRatio,
		Numerator:   Filter{Dataset: Appointments, Mode: codes},
		Denominator: Filter{Dataset: Appointments, Mode: KnownModeCodes}}
}

// metrics is the registry, in display order.
var metrics = []Metric{
	{Key: MetricTotal, Label: "Total appointments", Unit: UnitAppointments, Numerator: appts},
	{Key: MetricAttended, Label: "Attended appointments", Unit: UnitAppointments,
		Numerator: Filter{Dataset: Appointments, Status: []string{StatusAttended}}},
	{Key: MetricDNARate, Label: "DNA rate (DNA / (attended + DNA))", Unit: UnitRatio,
		Numerator:   Filter{Dataset: Appointments, Status: []string{StatusDNA}},
		Denominator: Filter{Dataset: Appointments, Status: []string{StatusAttended, StatusDNA}}},
	{Key: MetricGPShare, Label: "GP share (GP / (GP + other practice staff))", Unit: UnitRatio,
		Numerator:   Filter{Dataset: Appointments, HCP: []string{HCPGP}},
		Denominator: Filter{Dataset: Appointments, HCP: []string{HCPGP, HCPOther}}},
	{Key: MetricSameDayShare, Label: "Same-day share (of appointments with a known lead time)", Unit: UnitRatio,
		Numerator:   Filter{Dataset: Appointments, Lead: []string{LeadSameDay}},
		Denominator: Filter{Dataset: Appointments, Lead: KnownLeadCodes}},
	{Key: MetricFaceToFace, Label: "Face-to-face appointments", Unit: UnitAppointments,
		Numerator: Filter{Dataset: Appointments, Mode: []string{ModeFaceToFace}}},
	{Key: MetricTelephone, Label: "Telephone appointments", Unit: UnitAppointments,
		Numerator: Filter{Dataset: Appointments, Mode: []string{ModeTelephone}}},
	{Key: MetricVideoOnline, Label: "Video/online appointments", Unit: UnitAppointments,
		Numerator: Filter{Dataset: Appointments, Mode: VideoOnlineCodes}},
	{Key: MetricHomeVisit, Label: "Home visits", Unit: UnitAppointments,
		Numerator: Filter{Dataset: Appointments, Mode: []string{ModeHomeVisit}}},
	modeShare(MetricShareFaceToFace, "Face-to-face", ModeFaceToFace),
	modeShare(MetricShareTelephone, "Telephone", ModeTelephone),
	modeShare(MetricShareVideoOnline, "Video/online", VideoOnlineCodes...),
	modeShare(MetricShareHomeVisit, "Home visit", ModeHomeVisit),
	{Key: MetricOCSubmissions, Label: "Online consultation submissions", Unit: UnitSubmissions,
		Numerator: Filter{Dataset: OnlineConsultations, OCMetric: []string{OCTotalSubmissions}}},
}

// Metrics returns every metric definition, in display order. The slice is a
// copy; changing it does not change the registry.
func Metrics() []Metric { return slices.Clone(metrics) }

// MetricByKey returns the metric with key k.
func MetricByKey(k string) (Metric, bool) {
	for _, m := range metrics {
		if m.Key == k {
			return m, true
		}
	}
	return Metric{}, false
}

// defaultKeys maps a subject to the metrics a report shows first. Subjects
// are the staff-group codes of models.StaffGroups plus
// SubjectOnlineConsultation for regulatory changes about online consultation.
// Strikes by hospital staff reach general practice mostly as volume, so
// their default is volume; a GP dispute is about who sees patients; the
// online-consultation contract change is about requests and same-day access.
var defaultKeys = map[string][]string{
	"gps":                         {MetricGPShare, MetricTotal},
	"resident_doctors":            {MetricTotal, MetricAttended},
	"consultants":                 {MetricTotal, MetricAttended},
	"sas_doctors":                 {MetricTotal, MetricAttended},
	"nurses":                      {MetricTotal, MetricAttended},
	"midwives":                    {MetricTotal, MetricAttended},
	"ambulance_staff":             {MetricTotal, MetricAttended},
	"agenda_for_change":           {MetricTotal, MetricAttended},
	"allied_health_professionals": {MetricTotal, MetricAttended},
	SubjectOnlineConsultation:     {MetricOCSubmissions, MetricSameDayShare},
}

// DefaultMetrics returns the metrics shown by default for subject: a staff
// group code (e.g. "gps", "resident_doctors") or SubjectOnlineConsultation.
// Unknown subjects get total appointments.
func DefaultMetrics(subject string) []Metric {
	keys, ok := defaultKeys[subject]
	if !ok {
		keys = []string{MetricTotal}
	}
	out := make([]Metric, 0, len(keys))
	for _, k := range keys {
		m, ok := MetricByKey(k)
		if !ok {
			panic(fmt.Sprintf("impact: default metric %q is not registered", k)) // a programming error, caught by the tests
		}
		out = append(out, m)
	}
	return out
}

// Series sums the counts m selects per day and returns the daily series:
// the numerator sum for a count metric, numerator / denominator for a ratio
// metric. Days with no matching count are absent (missing), and so are ratio
// days whose denominator is zero, since 0/0 is not a rate.
func (m Metric) Series(counts []Count) Series {
	num := map[day]float64{}
	den := map[day]float64{}
	for _, c := range counts {
		d := toDay(c.Day)
		if m.Numerator.Match(c) {
			num[d] += c.N
		}
		if m.IsRatio() && m.Denominator.Match(c) {
			den[d] += c.N
		}
	}
	keys := num
	if m.IsRatio() {
		keys = den
	}
	out := make(Series, 0, len(keys))
	for d := range keys {
		if !m.IsRatio() {
			out = append(out, Point{Day: d.time(), Value: num[d]})
			continue
		}
		if den[d] != 0 {
			out = append(out, Point{Day: d.time(), Value: num[d] / den[d]})
		}
	}
	return out.Sorted()
}
