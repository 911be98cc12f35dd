package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// kindDocs returns a valid document of every kind.
func kindDocs() map[models.Kind]models.EventDoc {
	src := []models.Source{{URL: "https://www.bbc.co.uk/news/articles/x", Title: "Doctors strike", Publisher: "BBC News"}}
	return map[models.Kind]models.EventDoc{
		models.KindStrikeRound: func() models.EventDoc {
			d := strikeDoc()
			d.Figures = []models.Figure{{Metric: models.FigureMetrics[0], Value: 1, Note: "n"}}
			return d
		}(),
		models.KindDispute: {Kind: models.KindDispute, Title: "Pay dispute", Start: "2025-05-22", Parties: []string{"BMA"}, Sources: src},
		models.KindPaySettlement: {Kind: models.KindPaySettlement, Title: "Award", Start: "2025-05-22", StaffGroup: "gps",
			PayYear: "2025/26", Outcome: "accepted", LumpSum: "£1", Body: "DDRB", Sources: src},
		models.KindRegulatoryChange: {Kind: models.KindRegulatoryChange, Title: "Contract", Start: "2025-04-01", Body: "NHS England",
			Instrument: "contract", WhatChanges: "w", Affects: "a", Sources: src},
		models.KindMilestone: {Kind: models.KindMilestone, Title: "Ballot", Start: "2025-07-08", MilestoneType: "ballot_result", Sources: src},
	}
}

// textField is one free-text field of a kind: its name in validation
// errors, its limit in characters, and how to set and read it.
type textField struct {
	name string
	max  int
	set  func(d *models.EventDoc, s string)
	get  func(d models.EventDoc) string
}

func textFields(k models.Kind) []textField {
	fs := []textField{
		{"title", 300, func(d *models.EventDoc, s string) { d.Title = s }, func(d models.EventDoc) string { return d.Title }},
		{"summary", 20000, func(d *models.EventDoc, s string) { d.Summary = s }, func(d models.EventDoc) string { return d.Summary }},
		{"notes", 20000, func(d *models.EventDoc, s string) { d.Notes = s }, func(d models.EventDoc) string { return d.Notes }},
		{"sources[0].title", 500, func(d *models.EventDoc, s string) { d.Sources[0].Title = s }, func(d models.EventDoc) string { return d.Sources[0].Title }},
		{"sources[0].publisher", 200, func(d *models.EventDoc, s string) { d.Sources[0].Publisher = s }, func(d models.EventDoc) string { return d.Sources[0].Publisher }},
		{"sources[0].url", 2000, func(d *models.EventDoc, s string) { d.Sources[0].URL = s },
			func(d models.EventDoc) string { return d.Sources[0].URL }},
	}
	if k != models.KindDispute {
		fs = append(fs, textField{"unions[0]", 200, func(d *models.EventDoc, s string) { d.Unions = []string{s} }, func(d models.EventDoc) string { return d.Unions[0] }})
	}
	switch k {
	case models.KindStrikeRound:
		fs = append(fs, textField{"figures[0].note", 200, func(d *models.EventDoc, s string) { d.Figures[0].Note = s }, func(d models.EventDoc) string { return d.Figures[0].Note }})
	case models.KindDispute:
		fs = append(fs, textField{"parties[0]", 200, func(d *models.EventDoc, s string) { d.Parties = []string{s} }, func(d models.EventDoc) string { return d.Parties[0] }})
	case models.KindPaySettlement:
		fs = append(fs, textField{"lump_sum", 200, func(d *models.EventDoc, s string) { d.LumpSum = s }, func(d models.EventDoc) string { return d.LumpSum }})
	case models.KindRegulatoryChange:
		fs = append(fs,
			textField{"body", 200, func(d *models.EventDoc, s string) { d.Body = s }, func(d models.EventDoc) string { return d.Body }},
			textField{"what_changes", 20000, func(d *models.EventDoc, s string) { d.WhatChanges = s }, func(d models.EventDoc) string { return d.WhatChanges }},
			textField{"affects", 20000, func(d *models.EventDoc, s string) { d.Affects = s }, func(d models.EventDoc) string { return d.Affects }})
	}
	return fs
}

// fill returns n characters: the URL fields get ASCII (a URL's host part
// must be), the rest a two-byte letter, so a limit counted in bytes
// instead of characters shows.
func fill(field string, n int) string {
	if strings.HasSuffix(field, ".url") {
		return "https://example.org/" + strings.Repeat("a", n-len("https://example.org/"))
	}
	return strings.Repeat("é", n)
}

// TestTextFieldLimits walks every free-text field of every kind: at its
// limit it is stored and read back whole on both backends (a column
// narrower than the validator failed with a 500 on PostgreSQL), and one
// character over it is a validation error naming the field.
func TestTextFieldLimits(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		for k, base := range kindDocs() {
			for _, f := range textFields(k) {
				d := cloneDoc(base)
				f.set(&d, fill(f.name, f.max))
				e, err := s.CreateEvent(ctx, "planner@example.org", d)
				if err != nil {
					t.Errorf("%s %s at %d characters: %v", k, f.name, f.max, err)
					continue
				}
				got, err := s.GetEvent(ctx, e.ID)
				if err != nil || f.get(got.Doc()) != fill(f.name, f.max) {
					t.Errorf("%s %s at its limit not read back whole (%v)", k, f.name, err)
				}
				d = cloneDoc(base)
				f.set(&d, fill(f.name, f.max+1))
				_, err = s.CreateEvent(ctx, "planner@example.org", d)
				var ve *models.ValidationError
				if !errors.As(err, &ve) || ve.Fields[f.name] == "" {
					t.Errorf("%s %s at %d characters: %v, want a validation error on it", k, f.name, f.max+1, err)
				}
			}
		}
	})
}

func cloneDoc(d models.EventDoc) models.EventDoc {
	d.Sources = append([]models.Source(nil), d.Sources...)
	d.Figures = append([]models.Figure(nil), d.Figures...)
	d.Unions = append([]string(nil), d.Unions...)
	d.Parties = append([]string(nil), d.Parties...)
	return d
}

// TestControlCharacters: a one-line field refuses every control character
// (a CR in a title forged calendar events), long text keeps line breaks
// and tabs and stores a textarea's CRLF as LF, and a lone CR is refused
// everywhere. Each refusal names the field.
func TestControlCharacters(t *testing.T) {
	refused := []struct {
		field string
		set   func(d *models.EventDoc)
	}{
		{"title", func(d *models.EventDoc) { d.Title = "Walkout\r\nBEGIN:VEVENT" }},
		{"title", func(d *models.EventDoc) { d.Title = "Walkout\rX" }},
		{"title", func(d *models.EventDoc) { d.Title = "Walkout\nX" }},
		{"title", func(d *models.EventDoc) { d.Title = "Walk\tout" }},
		{"title", func(d *models.EventDoc) { d.Title = "Walk\u0085out" }},
		{"title", func(d *models.EventDoc) { d.Title = "Walk\u2028out" }},
		{"title", func(d *models.EventDoc) { d.Title = "Walk\x1bout" }},
		{"summary", func(d *models.EventDoc) { d.Summary = "line\rforged" }},
		{"notes", func(d *models.EventDoc) { d.Notes = "a\x00b" }},
		{"notes", func(d *models.EventDoc) { d.Notes = "bell\x07" }},
		{"unions[0]", func(d *models.EventDoc) { d.Unions = []string{"BMA\nRCN"} }},
		{"sources[0].title", func(d *models.EventDoc) { d.Sources[0].Title = "x\ry" }},
		{"sources[0].publisher", func(d *models.EventDoc) { d.Sources[0].Publisher = "x\ty" }},
		{"sources[0].url", func(d *models.EventDoc) { d.Sources[0].URL = "https://example.org/\u0085x" }},
		{"figures[0].note", func(d *models.EventDoc) { d.Figures = []models.Figure{{Metric: models.FigureMetrics[0], Note: "a\nb"}} }},
	}
	for _, c := range refused {
		d := strikeDoc()
		d.Sources = append([]models.Source(nil), d.Sources...)
		c.set(&d)
		_, err := d.ToEvent()
		var ve *models.ValidationError
		if !errors.As(err, &ve) || ve.Fields[c.field] == "" {
			t.Errorf("%s = %q: %v, want a validation error on %s", c.field, d.Title+d.Summary+d.Notes, err, c.field)
		}
	}
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		d := strikeDoc()
		d.Summary = "First line\r\nsecond\tcolumn\r\n\r\nthird"
		d.Notes = "a\n\tb"
		e, err := s.CreateEvent(context.Background(), "planner@example.org", d)
		if err != nil {
			t.Fatalf("long text with line breaks and tabs: %v", err)
		}
		got, _ := s.GetEvent(context.Background(), e.ID)
		if got.Summary != "First line\nsecond\tcolumn\n\nthird" || got.Notes != "a\n\tb" {
			t.Errorf("stored summary %q notes %q", got.Summary, got.Notes)
		}
	})
	// Regulatory changes' long fields allow line breaks too.
	r := kindDocs()[models.KindRegulatoryChange]
	r.WhatChanges, r.Affects, r.Body = "one\ntwo", "GPs\r\npractices", "NHS England"
	if _, err := r.ToEvent(); err != nil {
		t.Errorf("regulatory change with line breaks: %v", err)
	}
	r.Body = "NHS\nEngland"
	var ve *models.ValidationError
	if _, err := r.ToEvent(); !errors.As(err, &ve) || ve.Fields["body"] == "" {
		t.Errorf("line break in body: %v", err)
	}
}

// A token's name follows the same rules: 100 characters (the column's
// width, not 100 bytes), one line of printable text.
func TestTokenNameLimits(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		u, err := s.CreateUser(ctx, "names@example.org", models.RolePlanner, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, tok, err := s.CreateScopedToken(ctx, u.ID, strings.Repeat("é", 100), models.RolePlanner); err != nil || tok.Name != strings.Repeat("é", 100) {
			t.Fatalf("100-character name: %v", err)
		}
		for _, name := range []string{strings.Repeat("é", 101), "a\x00b", "laptop\r\nX", "tab\tbed"} {
			_, _, err := s.CreateScopedToken(ctx, u.ID, name, models.RolePlanner)
			var ve *models.ValidationError
			if !errors.As(err, &ve) || ve.Fields["name"] == "" {
				t.Errorf("name %q: %v, want a validation error on name", name, err)
			}
		}
	})
}
