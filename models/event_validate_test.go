package models_test

import (
	"errors"
	"testing"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/validate"
)

// kindCase is one change to a valid document of a kind and the problem
// it must give: the field, its code and its message.
type kindCase struct {
	name                 string
	edit                 func(d *models.EventDoc)
	field, code, message string
}

func num(v float64) *float64 { return &v }
func whole(v int) *int       { return &v }

// TestKindValidation runs each kind's validation on a valid document
// changed in one way; an empty field means the change is valid.
func TestKindValidation(t *testing.T) {
	cases := map[models.Kind][]kindCase{
		models.KindDispute: {
			{"valid", func(d *models.EventDoc) {}, "", "", ""},
			{"status defaults to open", func(d *models.EventDoc) { d.Status = "" }, "", "", ""},
			{"unknown status", func(d *models.EventDoc) { d.Status = "paused" }, "status", validate.CodeBadChoice, "must be one of open, suspended, resolved"},
			{"part of a dispute", func(d *models.EventDoc) { id := int64(3); d.DisputeID = &id }, "dispute_id", validate.CodeWrongKind, "a dispute cannot belong to another dispute"},
			{"blank party", func(d *models.EventDoc) { d.Parties = []string{"BMA", " "} }, "parties[1]", validate.CodeRequired, "is required"},
			{"a strike round's field", func(d *models.EventDoc) { d.ActionType = "full_walkout" }, "action_type", validate.CodeWrongKind, "applies to strike rounds only"},
		},
		models.KindStrikeRound: {
			{"valid", func(d *models.EventDoc) {}, "", "", ""},
			{"no action type", func(d *models.EventDoc) { d.ActionType = "" }, "action_type", validate.CodeRequired, "is required (one of full_walkout, walkout_emergency_cover, work_to_rule, collective_action)"},
			{"no staff group", func(d *models.EventDoc) { d.StaffGroup = "" }, "staff_group", validate.CodeRequired, ""},
			{"round 0", func(d *models.EventDoc) { d.RoundNumber = whole(0) }, "round_number", validate.CodeOutOfRange, "must be between 1 and 1000"},
			{"bad scope code", func(d *models.EventDoc) { d.Scope = []string{"england", "nowhere"} }, "scope[1]", validate.CodeBadChoice, "must be ENGLAND or a region, ICB or sub-ICB code"},
			{"unknown figure", func(d *models.EventDoc) { d.Figures = []models.Figure{{Metric: "mood", Value: 1}} }, "figures[0].metric", validate.CodeBadChoice, ""},
			{"percentage over 100", func(d *models.EventDoc) { d.Figures = []models.Figure{{Metric: "planned_care_kept_pct", Value: 101}} }, "figures[0].value", validate.CodeOutOfRange, "is a percentage: at most 100"},
			{"fractional count", func(d *models.EventDoc) { d.Figures = []models.Figure{{Metric: "staff_absent_peak", Value: 1.5}} }, "figures[0].value", validate.CodeInvalid, "is a count: must be a whole number"},
			{"figure source not a URL", func(d *models.EventDoc) {
				d.Figures = []models.Figure{{Metric: "staff_absent_peak", Value: 1, SourceURL: "bbc"}}
			}, "figures[0].source_url", validate.CodeBadURL, "must be an http(s) URL"},
			{"end before start", func(d *models.EventDoc) { d.End = "2025-07-24T07:00:00+01:00" }, "end", validate.CodeInvalid, "must be after start"},
			{"end a date, start a time", func(d *models.EventDoc) { d.End = "2025-07-30" }, "end", validate.CodeInvalid, "must use the same form as start (both dates, or both date-times)"},
			{"start not a date", func(d *models.EventDoc) { d.Start = "25 July" }, "start", validate.CodeBadDate, "must be a date (2025-07-25) or date-time (2025-07-25T07:00:00+01:00)"},
			{"start in 2525", func(d *models.EventDoc) { d.Start, d.End = "2525-07-25", "" }, "start", validate.CodeOutOfRange, "must be a year between 1900 and 2200"},
			{"a dispute's parties", func(d *models.EventDoc) { d.Parties = []string{"BMA"} }, "parties", validate.CodeWrongKind, "applies to disputes only"},
			{"a dispute's status", func(d *models.EventDoc) { d.Status = "open" }, "status", validate.CodeWrongKind, "applies to disputes only"},
			{"a settlement's body", func(d *models.EventDoc) { d.Body = "DDRB" }, "body", validate.CodeWrongKind, "applies to pay settlements and regulatory changes only"},
			{"no sources", func(d *models.EventDoc) { d.Sources = nil }, "sources", validate.CodeRequired, "at least one source is required"},
			{"source date", func(d *models.EventDoc) { d.Sources[0].PublishedOn = "July" }, "sources[0].published_on", validate.CodeBadDate, "must be a date like 2025-07-25"},
			{"impact window backwards", func(d *models.EventDoc) { d.ImpactWindowStart, d.ImpactWindowEnd = "2025-08-01", "2025-07-01" }, "impact_window_end", validate.CodeInvalid, "must be after impact_window_start"},
			{"announced after the start", func(d *models.EventDoc) { d.AnnouncedOn = "2025-08-01" }, "announced_on", validate.CodeInvalid, "must not be after the start"},
			{"recovery of 91 days", func(d *models.EventDoc) { d.ImpactRecoveryDays = whole(91) }, "impact_recovery_days", validate.CodeOutOfRange, "must be between 0 and 90 days"},
			{"unknown impact metric", func(d *models.EventDoc) { d.ImpactMetrics = []string{"attended", "joy"} }, "impact_metrics[1]", validate.CodeBadChoice, ""},
		},
		models.KindPaySettlement: {
			{"valid", func(d *models.EventDoc) {}, "", "", ""},
			{"no pay year", func(d *models.EventDoc) { d.PayYear = "" }, "pay_year", validate.CodeRequired, "must look like 2025/26"},
			{"pay year not consecutive", func(d *models.EventDoc) { d.PayYear = "2025/27" }, "pay_year", validate.CodeInvalid, "must be two consecutive years, like 2025/26"},
			{"headline over 100%", func(d *models.EventDoc) { d.HeadlinePct = num(101) }, "headline_pct", validate.CodeOutOfRange, "must be between -100 and 100"},
			{"unknown outcome", func(d *models.EventDoc) { d.Outcome = "maybe" }, "outcome", validate.CodeBadChoice, ""},
			{"body outside the list", func(d *models.EventDoc) { d.Body = "NHS England" }, "body", validate.CodeBadChoice, ""},
			{"no body is fine", func(d *models.EventDoc) { d.Body = "" }, "", "", ""},
			{"effective date", func(d *models.EventDoc) { d.EffectiveDate = "April" }, "effective_date", validate.CodeBadDate, "must be a date like 2025-04-01"},
			{"no staff group", func(d *models.EventDoc) { d.StaffGroup = "" }, "staff_group", validate.CodeRequired, ""},
			{"a milestone's turnout", func(d *models.EventDoc) { d.TurnoutPct = num(50) }, "turnout_pct", validate.CodeWrongKind, "applies to milestones only"},
		},
		models.KindRegulatoryChange: {
			{"valid", func(d *models.EventDoc) {}, "", "", ""},
			{"no body", func(d *models.EventDoc) { d.Body = " " }, "body", validate.CodeRequired, "is required"},
			{"body on two lines", func(d *models.EventDoc) { d.Body = "NHS\nEngland" }, "body", validate.CodeControlChar, ""},
			{"no instrument", func(d *models.EventDoc) { d.Instrument = "" }, "instrument", validate.CodeRequired, ""},
			{"a settlement's pay year", func(d *models.EventDoc) { d.PayYear = "2025/26" }, "pay_year", validate.CodeWrongKind, "applies to pay settlements only"},
			{"no staff group is fine", func(d *models.EventDoc) { d.StaffGroup = "" }, "", "", ""},
		},
		models.KindMilestone: {
			{"valid", func(d *models.EventDoc) {}, "", "", ""},
			{"unknown milestone", func(d *models.EventDoc) { d.MilestoneType = "party" }, "milestone_type", validate.CodeBadChoice, ""},
			{"yes over 100%", func(d *models.EventDoc) { d.YesPct = num(100.5) }, "yes_pct", validate.CodeOutOfRange, "must be between 0 and 100"},
			{"a regulatory change's instrument", func(d *models.EventDoc) { d.Instrument = "contract" }, "instrument", validate.CodeWrongKind, "applies to regulatory changes only"},
			{"unknown nation", func(d *models.EventDoc) { d.Nation = "Cornwall" }, "nation", validate.CodeBadChoice, ""},
		},
	}
	docs := kindDocs()
	for kind, cs := range cases {
		for _, tc := range cs {
			t.Run(string(kind)+"/"+tc.name, func(t *testing.T) {
				d := cloneDoc(docs[kind])
				tc.edit(&d)
				_, err := d.ToEvent()
				if tc.field == "" {
					if err != nil {
						t.Fatalf("want valid, got %v", err)
					}
					return
				}
				var ve *models.ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("err %v, want a validation error on %s", err, tc.field)
				}
				if got := ve.Code(tc.field); got != tc.code {
					t.Errorf("%s code %q (%v), want %q", tc.field, got, ve.Fields, tc.code)
				}
				if tc.message != "" && ve.Fields[tc.field] != tc.message {
					t.Errorf("%s message %q, want %q", tc.field, ve.Fields[tc.field], tc.message)
				}
			})
		}
	}
}

// An unknown kind refuses every kind's own fields but not the common
// ones, and names the kinds.
func TestUnknownKind(t *testing.T) {
	d := strikeDoc()
	d.Kind = "strike"
	_, err := d.ToEvent()
	var ve *models.ValidationError
	if !errors.As(err, &ve) || ve.Code("kind") != validate.CodeBadChoice || ve.Code("action_type") != validate.CodeWrongKind {
		t.Fatalf("unknown kind: %v", err)
	}
	if _, ok := ve.Fields["staff_group"]; ok {
		t.Errorf("staff_group, which every kind has, refused: %v", ve.Fields)
	}
}

// Every kind the field table names is a kind of record.
func TestFieldTableKinds(t *testing.T) {
	for _, f := range validate.Fields {
		for _, k := range f.Kinds {
			if !models.Kind(k).Valid() {
				t.Errorf("field %s names kind %q", f.Name, k)
			}
		}
	}
}

// DecodeDoc names unknown members with a code, including nested ones.
func TestDecodeDocUnknownFields(t *testing.T) {
	for body, field := range map[string]string{
		`{"kind":"milestone","colour":"red"}`:                       "colour",
		`{"kind":"milestone","sources":[{"url":"x","colour":1}]}`:   "sources[0].colour",
		`{"kind":"milestone","impact_slice":{"status":[],"x":1}}`:   "impact_slice.x",
		`{"kind":"milestone","figures":[{"metric":"m","hue":"x"}]}`: "figures[0].hue",
	} {
		_, err := models.DecodeDoc([]byte(body))
		var ve *models.ValidationError
		if !errors.As(err, &ve) || ve.Code(field) != validate.CodeUnknownField || ve.Fields[field] != "unknown field" {
			t.Errorf("%s: %v, want unknown_field on %s", body, err, field)
		}
	}
	if _, err := models.DecodeDoc([]byte(`{"kind":"milestone","round_number":"x"}`)); err == nil {
		t.Error("wrong type accepted")
	} else if ve := (*models.ValidationError)(nil); !errors.As(err, &ve) || ve.Code("round_number") != validate.CodeBadType {
		t.Errorf("wrong type: %v", err)
	}
	if _, err := models.DecodeDoc([]byte(`{"kind":`)); !errors.Is(err, models.ErrMalformed) {
		t.Errorf("syntax error: %v, want ErrMalformed", err)
	}
}
