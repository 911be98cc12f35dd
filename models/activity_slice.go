package models

import (
	"fmt"
	"strings"
)

// ActivitySlice selects GPAD appointments by their published labels, the
// same filters /api/v1/activity takes (status, hcp, mode, lead). An empty
// list means any value.
type ActivitySlice struct {
	Status []string `json:"status,omitempty"`
	HCP    []string `json:"hcp,omitempty"`
	Mode   []string `json:"mode,omitempty"`
	Lead   []string `json:"lead,omitempty"`
}

// IsZero reports whether s selects every appointment.
func (s ActivitySlice) IsZero() bool {
	return len(s.Status) == 0 && len(s.HCP) == 0 && len(s.Mode) == 0 && len(s.Lead) == 0
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
func ParseActivitySlice(prefix string, s ActivitySlice) (ActivitySlice, error) {
	ve := &ValidationError{}
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
	return ActivitySlice{Status: out[DimStatus], HCP: out[DimHCP], Mode: out[DimMode], Lead: out[DimLead]}, ve.orNil()
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
