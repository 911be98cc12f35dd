package app

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// TestRegisterMemoTwoInstances: with the page cache off, two instances over
// one database each keep the timeline's list, its dispute menu and the
// timeline API per state of the register; a publish, a correction or a
// withdrawal made elsewhere (another instance, the CLI) shows on both at
// their next request, and a signed-in planner still sees drafts.
func TestRegisterMemoTwoInstances(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		newTestApp(t, s)
		a, b := plainApp(t, s), plainApp(t, s)
		ca, cb := newClient(t, a), newClient(t, b)
		apiTotal := func(c *client) int {
			t.Helper()
			_, body := c.get("/api/v1/timeline?q=Memo")
			var out struct{ Total int }
			if err := json.Unmarshal([]byte(body), &out); err != nil {
				t.Fatal(err, body)
			}
			return out.Total
		}
		for _, c := range []*client{ca, cb} {
			for range 2 { // filled, then answered from the memo
				if _, body := c.get("/?q=Memo"); !strings.Contains(body, "0 records match") {
					t.Fatalf("before the write: %s", body)
				}
				if n := apiTotal(c); n != 0 {
					t.Fatalf("API before the write: total %d", n)
				}
			}
		}
		createRound(t, a, editorToken(t, s), "Memo round")
		for name, c := range map[string]*client{"writer": ca, "other": cb} {
			if _, body := c.get("/?q=Memo"); !strings.Contains(body, "Memo round") || !strings.Contains(body, "1 record matches") {
				t.Errorf("%s instance: page does not show the publish", name)
			}
			if n := apiTotal(c); n != 1 {
				t.Errorf("%s instance: API total %d after the publish, want 1", name, n)
			}
		}

		// A dispute renamed (corrected) through the store: the filter menu
		// and the "part of" links follow.
		ds, err := s.DisputeNames(t.Context(), models.EventFilter{})
		if err != nil || len(ds) == 0 {
			t.Fatalf("no seeded dispute: %v", err)
		}
		d := ds[0]
		page := fmt.Sprintf("/events/%d", d.ID)
		for _, c := range []*client{ca, cb} {
			for range 2 { // the event page, filled then from the memo
				if _, body := c.get(page); !strings.Contains(body, html.EscapeString(d.Title)) {
					t.Fatalf("dispute page before the correction: %.300s", body)
				}
			}
		}
		if _, err := s.PatchEvent(t.Context(), "editor", d.ID, "", []byte(`{"title":"Renamed dispute"}`)); err != nil {
			t.Fatal(err)
		}
		if _, body := cb.get("/"); strings.Contains(body, "Renamed dispute") {
			t.Error("an unpublished change shows to the public")
		}
		if _, err := s.Publish(t.Context(), "editor", d.ID, models.PublishInput{CorrectionNote: "Title corrected."}); err != nil {
			t.Fatal(err)
		}
		for name, c := range map[string]*client{"writer": ca, "other": cb} {
			if _, body := c.get("/"); !strings.Contains(body, `>Renamed dispute</option>`) {
				t.Errorf("%s instance: dispute menu does not show the correction", name)
			}
			if _, body := c.get(page); !strings.Contains(body, "Renamed dispute") {
				t.Errorf("%s instance: the dispute's page does not show the correction", name)
			}
		}

		// Withdrawn: gone from both at once.
		rs, _, err := s.Timeline(t.Context(), models.EventFilter{Query: "Memo round"})
		if err != nil || len(rs) != 1 {
			t.Fatalf("published round: %v %d", err, len(rs))
		}
		round, impact := fmt.Sprintf("/events/%d", rs[0].ID), fmt.Sprintf("/api/v1/events/%d/impact", rs[0].ID)
		for _, c := range []*client{ca, cb} {
			for range 2 {
				if res, _ := c.get(round); res.StatusCode != http.StatusOK {
					t.Fatalf("round page before the withdrawal: %d", res.StatusCode)
				}
				c.get(impact)
			}
		}
		if _, err := s.Withdraw(t.Context(), "editor", rs[0].ID, models.WithdrawInput{Reason: "Never happened."}); err != nil {
			t.Fatal(err)
		}
		for name, c := range map[string]*client{"writer": ca, "other": cb} {
			if _, body := c.get("/?q=Memo"); strings.Contains(body, "Memo round") {
				t.Errorf("%s instance: page still lists the withdrawn record", name)
			}
			if n := apiTotal(c); n != 0 {
				t.Errorf("%s instance: API total %d after the withdrawal, want 0", name, n)
			}
			if res, _ := c.get(round); res.StatusCode != http.StatusGone {
				t.Errorf("%s instance: the withdrawn round's page answers %d, want 410", name, res.StatusCode)
			}
			if res, _ := c.get(impact); res.StatusCode != http.StatusGone {
				t.Errorf("%s instance: the withdrawn round's impact answers %d, want 410", name, res.StatusCode)
			}
		}

		// A draft: the planner sees it marked, the public does not.
		if _, err := s.CreateEvent(t.Context(), "planner", models.EventDoc{Kind: models.KindMilestone, Title: "Memo draft ballot",
			Start: "2026-02-01", MilestoneType: "ballot_opened", Sources: []models.Source{{URL: "https://example.org/m"}}}); err != nil {
			t.Fatal(err)
		}
		planner := newClient(t, b)
		planner.login()
		if _, body := planner.get("/?q=Memo"); !strings.Contains(body, "Memo draft ballot") || !strings.Contains(body, "Draft: not published") {
			t.Error("planner does not see the draft, marked")
		}
		if _, body := cb.get("/?q=Memo"); strings.Contains(body, "Memo draft ballot") {
			t.Error("the public sees a draft")
		}
	})
}

// plainApp is another instance over s (already seeded), page cache off.
func plainApp(t *testing.T, s *models.Store) *fiber.App {
	t.Helper()
	f, err := New(Deps{Store: s, Config: webTestConfig, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return f
}
