package validate

import (
	"slices"
	"testing"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		kind, name string
		label      string
		required   bool
		max        int
		ok         bool
	}{
		{strike, "title", "Title", true, MaxTitle, true},
		{strike, "unions[3]", "Unions", false, MaxShort, true},
		{settlement, "body", "Decided by", false, 0, true},
		{regulatory, "body", "Issued by", true, MaxShort, true},
		{milestone, "body", "", false, 0, false},
		{strike, "staff_group", "Staff group", true, 0, true},
		{dispute, "staff_group", "Staff group", false, 0, true},
		{dispute, "sources[2].title", "title", false, MaxSourceTitle, true},
		{strike, "figures[0].note", "note", false, MaxShort, true},
		{dispute, "figures", "", false, 0, false},
		{strike, "colour", "", false, 0, false},
	}
	for _, tt := range tests {
		f, _, ok := Lookup(tt.kind, tt.name)
		if ok != tt.ok || f.Label != tt.label || f.Required != tt.required || f.Max != tt.max {
			t.Errorf("Lookup(%s, %s) = %+v %v, want label %q required %v max %d ok %v",
				tt.kind, tt.name, f, ok, tt.label, tt.required, tt.max, tt.ok)
		}
	}
}

func TestBase(t *testing.T) {
	for in, want := range map[string]string{"title": "title", "unions[12]": "unions", "sources[0].url": "sources.url",
		"figures[3].source_url": "figures.source_url"} {
		if got := Base(in); got != want {
			t.Errorf("Base(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKindsOf(t *testing.T) {
	for name, want := range map[string][]string{
		"title": nil, "staff_group": nil, "colour": nil,
		"body":         {settlement, regulatory},
		"round_number": {strike},
		"parties":      {dispute},
	} {
		if got := KindsOf(name); !slices.Equal(got, want) {
			t.Errorf("KindsOf(%s) = %v, want %v", name, got, want)
		}
	}
}

// The form of each kind has its own inputs, the common ones, and the
// impact overrides except on a dispute.
func TestFormInputs(t *testing.T) {
	for _, tt := range []struct {
		kind      string
		has, lack []string
	}{
		{dispute, []string{"title", "status", "parties", "spc_rebase"}, []string{"round_number", "announced_on", "impact_status", "body"}},
		{strike, []string{"title", "round_number", "scope", "impact_status", "impact_lead"}, []string{"figures", "sources", "status", "kind"}},
		{settlement, []string{"pay_year", "body", "effective_date"}, []string{"instrument"}},
		{regulatory, []string{"body", "instrument", "what_changes"}, []string{"pay_year"}},
		{milestone, []string{"milestone_type", "yes_pct", "announced_on"}, []string{"body"}},
	} {
		in := FormInputs(tt.kind)
		for _, f := range tt.has {
			if !slices.Contains(in, f) {
				t.Errorf("%s form lacks %s", tt.kind, f)
			}
		}
		for _, f := range tt.lack {
			if slices.Contains(in, f) {
				t.Errorf("%s form has %s", tt.kind, f)
			}
		}
		if len(slices.Compact(slices.Clone(in))) != len(in) {
			t.Errorf("%s form lists an input twice: %v", tt.kind, in)
		}
	}
}

func TestPresent(t *testing.T) {
	n := 0
	d := testDoc{Title: "x", Round: &n, Unions: []string{}}
	if got := Present(d); !slices.Equal(got, []string{"title", "round_number"}) {
		t.Errorf("Present = %v, want title and round_number (an empty list is absent, a zero behind a pointer is set)", got)
	}
}
