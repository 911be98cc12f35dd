package models

import (
	"fmt"
	"strings"
)

// ActivitySlice selects GPAD appointments by their published labels, the
// same filters /api/v1/activity takes (status, hcp, mode, lead). An empty
// list means any value.
//
// Dataset, when SliceRoles or SliceDurations, reads the SDS role group or
// the actual duration daily file instead (the series of
// /api/v1/activity/roles and /durations), narrowed by Role or Duration
// labels; those files have no status, HCP, mode or lead.
type ActivitySlice struct {
	Dataset  string   `json:"dataset,omitempty"`
	Status   []string `json:"status,omitempty"`
	HCP      []string `json:"hcp,omitempty"`
	Mode     []string `json:"mode,omitempty"`
	Lead     []string `json:"lead,omitempty"`
	Role     []string `json:"role,omitempty"`
	Duration []string `json:"duration,omitempty"`
}

// The slice datasets: the sub-ICB daily appointments file (the default),
// the SDS role group file and the actual duration file.
const (
	SliceAppointments = "appointments"
	SliceRoles        = "roles"
	SliceDurations    = "durations"
)

// IsZero reports whether s selects every appointment.
func (s ActivitySlice) IsZero() bool {
	return (s.Dataset == "" || s.Dataset == SliceAppointments) && len(s.Status) == 0 && len(s.HCP) == 0 &&
		len(s.Mode) == 0 && len(s.Lead) == 0 && len(s.Role) == 0 && len(s.Duration) == 0
}

// LabelFile returns the labelled file s reads ("role" or "duration", the
// dim of LabelSeries) and its labels; "" for the appointments file.
func (s ActivitySlice) LabelFile() (dim string, labels []string) {
	switch s.Dataset {
	case SliceRoles:
		return "role", s.Role
	case SliceDurations:
		return "duration", s.Duration
	}
	return "", nil
}

// byDim returns the slice's lists keyed by dimension.
func (s ActivitySlice) byDim() map[Dimension][]string {
	return map[Dimension][]string{DimStatus: s.Status, DimHCP: s.HCP, DimMode: s.Mode, DimLead: s.Lead}
}

// ParseActivitySlice checks every label against the published vocabulary,
// exactly as the activity series does, and returns the slice with the
// canonical labels (so "gp" and "GP" are one slice). An unknown label is a
// ValidationError naming the parameter and listing the valid labels; field
// names are prefixed with prefix ("" for query parameters,
// "impact_slice." for the event document).
//
// A role or duration label implies its dataset; the labels of those files
// are checked against the imported ones when the series is read
// (LabelSeries), since the publication adds role groups over time.
func ParseActivitySlice(prefix string, s ActivitySlice) (ActivitySlice, error) {
	ve := &ValidationError{}
	ds := strings.ToLower(strings.TrimSpace(s.Dataset))
	if ds == "" && len(s.Role) > 0 {
		ds = SliceRoles
	} else if ds == "" && len(s.Duration) > 0 {
		ds = SliceDurations
	}
	switch ds {
	case "", SliceAppointments:
		ds = ""
	case SliceRoles, SliceDurations:
		if len(s.Status)+len(s.HCP)+len(s.Mode)+len(s.Lead) > 0 {
			ve.add(prefix+"dataset", "the "+ds+" file has no status, hcp, mode or lead; drop those filters or use dataset=appointments")
		}
	default:
		ve.add(prefix+"dataset", fmt.Sprintf("unknown dataset %q (one of: %s, %s, %s)", s.Dataset, SliceAppointments, SliceRoles, SliceDurations))
	}
	if len(s.Role) > 0 && ds != SliceRoles {
		ve.add(prefix+"role", "role needs dataset=roles")
	}
	if len(s.Duration) > 0 && ds != SliceDurations {
		ve.add(prefix+"duration", "duration needs dataset=durations")
	}
	in := s.byDim()
	out := map[Dimension][]string{}
	for _, d := range Dimensions {
		for _, c := range parseLabels(ve, prefix+string(d), d, in[d]) {
			l := CodeLabel(d, c)
			if !contains(out[d], l) {
				out[d] = append(out[d], l)
			}
		}
	}
	return ActivitySlice{Dataset: ds, Status: out[DimStatus], HCP: out[DimHCP], Mode: out[DimMode], Lead: out[DimLead],
		Role: trimmed(s.Role), Duration: trimmed(s.Duration)}, ve.orNil()
}

// trimmed returns the labels without surrounding space or repeats, so
// "Nurses" and " Nurses" are one slice.
func trimmed(labels []string) []string {
	var out []string
	for _, l := range labels {
		if l = strings.TrimSpace(l); l != "" && !contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// parseLabels maps labels of dimension d to codes, adding an error under
// field for each unknown one. The one place a label filter is read.
func parseLabels(ve *ValidationError, field string, d Dimension, labels []string) []Code {
	var codes []Code
	for _, v := range labels {
		c, ok := ParseCode(d, v)
		if !ok {
			ve.add(field, fmt.Sprintf("unknown value %q (one of: %s)", v, strings.Join(CodeLabels(d), "; ")))
			continue
		}
		codes = append(codes, c)
	}
	return codes
}
