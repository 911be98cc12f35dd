package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

func strikeDoc() models.EventDoc {
	n := 12
	return models.EventDoc{
		Kind: models.KindStrikeRound, Title: "Resident doctors' walkout", Start: "2025-07-25T07:00:00+01:00",
		End: "2025-07-30T07:00:00+01:00", StaffGroup: "resident_doctors", Unions: []string{"BMA"},
		RoundNumber: &n, ActionType: "full_walkout",
		Sources: []models.Source{{URL: "https://www.bbc.co.uk/news/articles/x", Title: "Doctors strike", Publisher: "BBC News"}},
	}
}

func TestEventCRUD(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		e, err := s.CreateEvent(ctx, "planner@example.org", strikeDoc())
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		got, err := s.GetEvent(ctx, e.ID)
		if err != nil {
			t.Fatalf("get: %v", err)
		}
		d := got.Doc()
		if d.Start != "2025-07-25T07:00:00+01:00" || d.End != "2025-07-30T07:00:00+01:00" {
			t.Errorf("times not kept in London: %s – %s", d.Start, d.End)
		}
		if len(d.Sources) != 1 || d.Sources[0].Publisher != "BBC News" {
			t.Errorf("sources = %+v", d.Sources)
		}
		first, last := got.Days()
		if first.Format(time.DateOnly) != "2025-07-25" || last.Format(time.DateOnly) != "2025-07-29" {
			t.Errorf("days = %s..%s, want 2025-07-25..2025-07-29", first, last)
		}

		upd, err := s.PatchEvent(ctx, "editor@example.org", e.ID, models.KindStrikeRound,
			[]byte(`{"title":"Round 12: resident doctors","round_number":null}`))
		if err != nil {
			t.Fatalf("patch: %v", err)
		}
		if upd.Title != "Round 12: resident doctors" || upd.RoundNumber != nil || upd.Version != 2 || upd.UpdatedBy != "editor@example.org" {
			t.Errorf("patched = %+v", upd)
		}

		// A patch against the wrong collection is a 404, not an update.
		if _, err := s.PatchEvent(ctx, "x", e.ID, models.KindDispute, []byte(`{"title":"x"}`)); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("patch via wrong kind: err = %v, want ErrNotFound", err)
		}

		if err := s.DeleteEvent(ctx, "editor@example.org", e.ID, ""); err != nil {
			t.Fatalf("delete: %v", err)
		}
		if _, err := s.GetEvent(ctx, e.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("get after delete: %v", err)
		}
		list, total, err := s.ListEvents(ctx, models.EventFilter{})
		if err != nil || total != 0 || len(list) != 0 {
			t.Errorf("list after delete: %d %v", total, err)
		}

		hist, err := s.History(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.History(ctx, 987654); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("history of an unknown id: %v, want ErrNotFound", err)
		}
		var actions []string
		for _, h := range hist {
			actions = append(actions, h.Action)
		}
		if strings.Join(actions, ",") != "create,update,delete" {
			t.Errorf("history actions = %v", actions)
		}
		if !strings.Contains(hist[1].Before, `"round_number":12`) || strings.Contains(hist[1].After, "round_number") {
			t.Errorf("update history before/after wrong:\n%s\n%s", hist[1].Before, hist[1].After)
		}

		// Restoring version 1 brings back the original content and undeletes.
		r, err := s.RestoreEvent(ctx, "admin@example.org", e.ID, 1)
		if err != nil {
			t.Fatalf("restore: %v", err)
		}
		if r.Title != "Resident doctors' walkout" || r.RoundNumber == nil || *r.RoundNumber != 12 || r.Version != 4 {
			t.Errorf("restored = %+v", r)
		}
		if _, err := s.GetEvent(ctx, e.ID); err != nil {
			t.Errorf("restored event not live: %v", err)
		}
	})
}

func TestEventValidation(t *testing.T) {
	base := strikeDoc
	tests := []struct {
		name  string
		doc   func() models.EventDoc
		field string
	}{
		{"end before start", func() models.EventDoc { d := base(); d.End = "2025-07-20T07:00:00+01:00"; return d }, "end"},
		{"mixed date forms", func() models.EventDoc { d := base(); d.End = "2025-07-30"; return d }, "end"},
		{"missing title", func() models.EventDoc { d := base(); d.Title = "  "; return d }, "title"},
		{"unknown kind", func() models.EventDoc { d := base(); d.Kind = "picnic"; return d }, "kind"},
		{"unknown staff group", func() models.EventDoc { d := base(); d.StaffGroup = "wizards"; return d }, "staff_group"},
		{"no sources", func() models.EventDoc { d := base(); d.Sources = nil; return d }, "sources"},
		{"javascript url", func() models.EventDoc {
			d := base()
			d.Sources[0].URL = "javascript:alert(1)"
			return d
		}, "sources[0].url"},
		{"bad scope code", func() models.EventDoc { d := base(); d.Scope = []string{"'; DROP TABLE events;--"}; return d }, "scope[0]"},
		{"settlement field on strike", func() models.EventDoc { d := base(); d.PayYear = "2025/26"; return d }, "pay_year"},
		{"bad start", func() models.EventDoc { d := base(); d.Start = "25/07/2025"; return d }, "start"},
		{"year out of range", func() models.EventDoc { d := base(); d.Start = "0001-01-01"; d.End = ""; return d }, "start"},
		{"control chars", func() models.EventDoc { d := base(); d.Title = "a\x00b"; return d }, "title"},
		{"huge title", func() models.EventDoc { d := base(); d.Title = strings.Repeat("x", 301); return d }, "title"},
		{"pay year not consecutive", func() models.EventDoc {
			return models.EventDoc{Kind: models.KindPaySettlement, Title: "x", Start: "2025-05-22", StaffGroup: "gps", PayYear: "2025/27", Outcome: "accepted", Sources: base().Sources}
		}, "pay_year"},
		{"turnout over 100", func() models.EventDoc {
			p := 101.0
			return models.EventDoc{Kind: models.KindMilestone, Title: "x", Start: "2025-07-08", MilestoneType: "ballot_result", TurnoutPct: &p, Sources: base().Sources}
		}, "turnout_pct"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.doc().ToEvent()
			var ve *models.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want ValidationError", err)
			}
			if _, ok := ve.Fields[tt.field]; !ok {
				t.Errorf("fields = %v, want an error on %q", ve.Fields, tt.field)
			}
		})
	}
}

func TestDisputeLinkMustExist(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		d := strikeDoc()
		bogus := int64(999999)
		d.DisputeID = &bogus
		_, err := s.CreateEvent(ctx, "p", d)
		var ve *models.ValidationError
		if !errors.As(err, &ve) || ve.Fields["dispute_id"] == "" {
			t.Fatalf("err = %v, want dispute_id validation error", err)
		}
		if _, total, _ := s.ListEvents(ctx, models.EventFilter{Working: true}); total != 0 {
			t.Errorf("a rejected create left %d rows", total)
		}
	})
}

func TestListFilters(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		dispute, err := s.CreateEvent(ctx, "p", models.EventDoc{Kind: models.KindDispute, Title: "GP contract dispute", Start: "2025-09-01",
			StaffGroup: "gps", Unions: []string{"BMA"}, Sources: strikeDoc().Sources})
		if err != nil {
			t.Fatal(err)
		}
		r := strikeDoc()
		r.DisputeID = &dispute.ID
		round, err := s.CreateEvent(ctx, "p", r)
		if err != nil {
			t.Fatal(err)
		}
		rcn, err := s.CreateEvent(ctx, "p", models.EventDoc{Kind: models.KindStrikeRound, Title: "RCN nurses strike 100%_off", Start: "2022-12-15",
			StaffGroup: "nurses", Unions: []string{"RCN"}, ActionType: "walkout_emergency_cover", Sources: strikeDoc().Sources})
		if err != nil {
			t.Fatal(err)
		}
		// Drafts are invisible to the public lists until published; then the
		// same filters find them in the register.
		if _, total, _ := s.ListEvents(ctx, models.EventFilter{}); total != 0 {
			t.Fatalf("public list shows %d drafts", total)
		}
		for _, e := range []*models.Event{dispute, round, rcn} {
			if _, err := s.Publish(ctx, "editor", e.ID, models.PublishInput{}); err != nil {
				t.Fatal(err)
			}
		}
		from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		tests := []struct {
			name string
			f    models.EventFilter
			want int64
		}{
			{"all", models.EventFilter{}, 3},
			{"kind", models.EventFilter{Kinds: []models.Kind{models.KindStrikeRound}}, 2},
			{"union case-insensitive", models.EventFilter{Union: "rcn"}, 1},
			{"union exact element", models.EventFilter{Union: "BM"}, 0},
			{"staff group", models.EventFilter{StaffGroup: "gps"}, 1},
			{"from", models.EventFilter{From: &from}, 2},
			{"dispute includes itself", models.EventFilter{DisputeID: &dispute.ID}, 2},
			{"text", models.EventFilter{Query: "walkout"}, 1},
			{"like metacharacters are literal", models.EventFilter{Query: "100%_"}, 1},
			{"underscore is not a wildcard", models.EventFilter{Query: "n_rses"}, 0},
		}
		for _, tt := range tests {
			for _, working := range []bool{true, false} {
				f := tt.f
				f.Working = working
				_, total, err := s.ListEvents(ctx, f)
				if err != nil {
					t.Fatalf("%s: %v", tt.name, err)
				}
				if total != tt.want {
					t.Errorf("%s (working copies %v): total = %d, want %d", tt.name, working, total, tt.want)
				}
			}
		}
	})
}

func TestSeedIdempotent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		recs, err := models.SeedRecords()
		if err != nil {
			t.Fatal(err)
		}
		n, err := s.LoadSeed(ctx)
		if err != nil {
			t.Fatalf("seed: %v", err)
		}
		if n != len(recs) {
			t.Fatalf("seeded %d of %d records", n, len(recs))
		}
		// Edit one and withdraw another: a second load must neither undo the
		// edit nor bring back the withdrawn record.
		list, _, _ := s.ListEvents(ctx, models.EventFilter{Limit: 1000})
		if _, err := s.PatchEvent(ctx, "p", list[0].ID, "", []byte(`{"notes":"checked by planner"}`)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Withdraw(ctx, "e", list[len(list)-1].ID, models.WithdrawInput{Reason: "duplicate"}); err != nil {
			t.Fatal(err)
		}
		n, err = s.LoadSeed(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second seed added %d (%v), want 0", n, err)
		}
		e, _ := s.GetEvent(ctx, list[0].ID)
		if e.Notes != "checked by planner" || e.SeedKey == nil {
			t.Errorf("edit lost or seed mark lost: %+v", e)
		}
		_, total, _ := s.ListEvents(ctx, models.EventFilter{})
		if total != int64(len(recs)-1) {
			t.Errorf("total after reseed = %d, want %d", total, len(recs)-1)
		}
	})
}

func TestSeedRecordsAreSourced(t *testing.T) {
	recs, err := models.SeedRecords()
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, r := range recs {
		if keys[r.Key] {
			t.Errorf("duplicate seed key %q", r.Key)
		}
		keys[r.Key] = true
		if len(r.Sources) == 0 {
			t.Errorf("seed record %q has no source", r.Key)
		}
		if _, err := r.EventDoc.ToEvent(); err != nil {
			t.Errorf("seed record %q invalid: %v", r.Key, err)
		}
	}
}

func TestTokens(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		u, err := s.CreateUser(ctx, "Admin@Example.org", models.RoleAdmin, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(ctx, "admin@example.org", models.RolePlanner, ""); !errors.Is(err, models.ErrDuplicate) {
			t.Errorf("duplicate email: err = %v", err)
		}
		plain, tok, err := s.CreateToken(ctx, u.ID, "cli")
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := s.UserByToken(ctx, plain)
		if err != nil || got.Email != "admin@example.org" {
			t.Fatalf("UserByToken = %v, %v", got, err)
		}
		if _, _, err := s.UserByToken(ctx, plain+"x"); !errors.Is(err, models.ErrUnauthorized) {
			t.Errorf("wrong token accepted: %v", err)
		}
		if err := s.RevokeToken(ctx, u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.UserByToken(ctx, plain); !errors.Is(err, models.ErrUnauthorized) {
			t.Errorf("revoked token accepted: %v", err)
		}
	})
}

func TestImpactOverrideKeptInHistory(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		e, err := s.CreateEvent(ctx, "p", strikeDoc())
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.PatchEvent(ctx, "planner", e.ID, "", []byte(`{"impact_window_start":"2025-07-24","impact_window_end":"2025-07-31","impact_scope":["00l"],"impact_metrics":["gp_share"]}`))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := s.GetEvent(ctx, e.ID)
		d := got.Doc()
		if d.ImpactWindowStart != "2025-07-24" || d.ImpactWindowEnd != "2025-07-31" || d.ImpactScope[0] != "00L" || d.ImpactMetrics[0] != "gp_share" {
			t.Errorf("override not stored: %+v", d)
		}
		hist, _ := s.History(ctx, e.ID)
		if !strings.Contains(hist[len(hist)-1].After, `"impact_metrics":["gp_share"]`) {
			t.Errorf("override missing from history: %s", hist[len(hist)-1].After)
		}
		_, err = s.PatchEvent(ctx, "planner", e.ID, "", []byte(`{"impact_metrics":["vibes"]}`))
		var ve *models.ValidationError
		if !errors.As(err, &ve) || ve.Fields["impact_metrics[0]"] == "" {
			t.Errorf("unknown metric accepted: %v", err)
		}
	})
}

func TestSPCRebaseKeptInHistory(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		e, err := s.CreateEvent(ctx, "p", strikeDoc())
		if err != nil {
			t.Fatal(err)
		}
		if e.SPCRebase {
			t.Fatal("a new record is a rebase point without being marked")
		}
		if _, err := s.PatchEvent(ctx, "planner", e.ID, "", []byte(`{"spc_rebase":true}`)); err != nil {
			t.Fatal(err)
		}
		got, _ := s.GetEvent(ctx, e.ID)
		if !got.SPCRebase || !got.Doc().SPCRebase {
			t.Error("spc_rebase not stored")
		}
		hist, _ := s.History(ctx, e.ID)
		if !strings.Contains(hist[len(hist)-1].After, `"spc_rebase":true`) {
			t.Errorf("spc_rebase missing from history: %s", hist[len(hist)-1].After)
		}
		if _, err := s.PatchEvent(ctx, "planner", e.ID, "", []byte(`{"spc_rebase":"yes"}`)); err == nil {
			t.Error("a non-boolean spc_rebase was accepted")
		}
	})
}
