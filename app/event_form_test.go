package app

import (
	"slices"
	"testing"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/validate"
)

// mapErrors places each validation problem beside its input, with the
// field table's label, and words a select's or a date input's problem by
// its code rather than by the API's message.
func TestMapErrors(t *testing.T) {
	rows := []sourceRow{{I: 0}, {I: 1, URL: "not a url"}}
	tests := []struct {
		name      string
		kind      models.Kind
		field     string
		code, msg string
		id        string // the input that shows it ("" for the summary only)
		shown     string // the message beside the input and in the summary
		summary   string
	}{
		{"a select's bad choice", models.KindStrikeRound, "action_type", validate.CodeBadChoice, "must be one of full_walkout, …",
			"action_type", "must be chosen from the list", "Type of action: must be chosen from the list"},
		{"a select left empty", models.KindMilestone, "milestone_type", validate.CodeRequired, "is required (one of …)",
			"milestone_type", "is required: choose one from the list", "Milestone: is required: choose one from the list"},
		{"a settlement's body is a select", models.KindPaySettlement, "body", validate.CodeBadChoice, "must be one of DDRB, …",
			"body", "must be chosen from the list", "Decided by: must be chosen from the list"},
		{"a regulatory change's body is text", models.KindRegulatoryChange, "body", validate.CodeRequired, "is required",
			"body", "is required", "Issued by: is required"},
		{"a select's other problem keeps its words", models.KindStrikeRound, "status", validate.CodeWrongKind, "applies to disputes only",
			"", "applies to disputes only", "status: applies to disputes only"},
		{"a start that is not a date", models.KindStrikeRound, "start", validate.CodeBadDate, "must be a date (2025-07-25) or date-time (…)",
			"start", whenHint, "Starts: " + whenHint},
		{"a start in the wrong century keeps its words", models.KindStrikeRound, "start", validate.CodeOutOfRange, "must be a year between 1900 and 2200",
			"start", "must be a year between 1900 and 2200", "Starts: must be a year between 1900 and 2200"},
		{"a list entry shows on the list's input", models.KindDispute, "parties[1]", validate.CodeRequired, "is required",
			"parties", "is required", "Parties: is required"},
		{"a source field shows on its row", models.KindMilestone, "sources[0].url", validate.CodeBadURL, "must be an http(s) URL",
			"source_url_1", "must be an http(s) URL", "Source 2 address: must be an http(s) URL"},
		{"an impact slice field shows on its input", models.KindStrikeRound, "impact_slice.hcp", validate.CodeInvalid, `unknown value "Vet"`,
			"impact_hcp", `unknown value "Vet"`, `Slice: staff type: unknown value "Vet"`},
		{"a dispute has no impact inputs", models.KindDispute, "impact_scope[0]", validate.CodeBadChoice, "must be ENGLAND or …",
			"", "must be ENGLAND or …", "impact_scope[0]: must be ENGLAND or …"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := formPage{Kind: tt.kind, Errors: map[string]string{}}
			ve := &models.ValidationError{}
			ve.Add(tt.field, tt.code, tt.msg)
			p.mapErrors(ve, rows)
			if tt.id != "" && p.Errors[tt.id] != tt.shown {
				t.Errorf("beside %s: %q, want %q (all: %v)", tt.id, p.Errors[tt.id], tt.shown, p.Errors)
			}
			if tt.id == "" && len(p.Errors) != 0 {
				t.Errorf("shown beside an input: %v", p.Errors)
			}
			if len(p.Summary) != 1 || p.Summary[0].Msg != tt.summary || p.Summary[0].ID != tt.id {
				t.Errorf("summary %+v, want %q linking to %q", p.Summary, tt.summary, tt.id)
			}
		})
	}
}

// The summary reads in the order of the form: the field table's order,
// sources last.
func TestMapErrorsOrder(t *testing.T) {
	ve := &models.ValidationError{}
	for _, f := range []string{"sources", "notes", "announced_on", "pay_year", "title", "body"} {
		ve.Add(f, validate.CodeInvalid, "bad")
	}
	p := formPage{Kind: models.KindPaySettlement, Errors: map[string]string{}}
	p.mapErrors(ve, nil)
	var got []string
	for _, s := range p.Summary {
		got = append(got, s.ID)
	}
	want := []string{"title", "pay_year", "body", "notes", "announced_on", "source_url_0"}
	if len(got) != len(want) {
		t.Fatalf("summary %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("summary order %v, want %v", got, want)
		}
	}
}

// The OpenAPI document lists the codes a 422 may carry: exactly the codes
// validation gives.
func TestOpenAPIErrorCodes(t *testing.T) {
	doc, _, err := loadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	codes := doc.Components.Schemas["Error"].Value.Properties["codes"]
	if codes == nil || codes.Value.AdditionalProperties.Schema == nil {
		t.Fatal("the Error schema has no codes map")
	}
	var got []string
	for _, v := range codes.Value.AdditionalProperties.Schema.Value.Enum {
		got = append(got, v.(string))
	}
	if !slices.Equal(got, validate.AllCodes) {
		t.Errorf("OpenAPI codes %v\n != validate.AllCodes %v", got, validate.AllCodes)
	}
}
