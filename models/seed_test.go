package models_test

import (
	"context"
	"os"
	"testing"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// TestSeedUpgradeRespectsLocalEdits builds a database with the previous seed
// (version 1, kept in testdata), lets a planner edit one record that version 2
// corrects and delete another, then starts with the current seed: new records
// arrive, untouched records are corrected, the planner's changes stay and are
// reported, and a further start changes nothing.
func TestSeedUpgradeRespectsLocalEdits(t *testing.T) {
	old, err := os.ReadFile("testdata/seed_v1.json")
	if err != nil {
		t.Fatal(err)
	}
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		r1, err := s.SyncSeedFrom(ctx, old)
		if err != nil {
			t.Fatalf("v1 seed: %v", err)
		}
		if r1.Version != 1 || r1.Added != 67 {
			t.Fatalf("v1 seed report = %+v, want version 1 with 67 records", r1)
		}
		byKey := seededIDs(t, s)

		// Round 11 and the consultants' acceptance are both corrected by
		// version 2; a planner edits one and an editor withdraws the other
		// (seeded records are published, so they are withdrawn, not
		// deleted).
		edited, deleted, untouched := byKey["rd-round-11-2024-06"], byKey["ms-cons-accept-2024-04"], byKey["rd-round-05-2023-08"]
		if _, err := s.PatchEvent(ctx, "planner@example.org", edited, "", []byte(`{"notes":"checked against the trust's own figures"}`)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Withdraw(ctx, "editor@example.org", deleted, models.WithdrawInput{Reason: "duplicate of another record"}); err != nil {
			t.Fatal(err)
		}

		r2, err := s.SyncSeed(ctx)
		if err != nil {
			t.Fatalf("v2 seed: %v", err)
		}
		recs, _ := models.SeedRecords()
		if r2.Version != models.SeedVersion() || r2.Added != len(recs)-67 {
			t.Errorf("v2 report = %+v, want %d added", r2, len(recs)-67)
		}
		if r2.Corrected == 0 {
			t.Errorf("v2 corrected nothing: %+v", r2)
		}
		skipped := map[string]models.SeedSkip{}
		for _, sk := range r2.Skipped {
			skipped[sk.Key] = sk
		}
		if sk, ok := skipped["rd-round-11-2024-06"]; !ok || sk.EventID != edited || sk.Actor != "planner@example.org" {
			t.Errorf("edited record not reported as skipped: %+v", r2.Skipped)
		}
		if sk, ok := skipped["ms-cons-accept-2024-04"]; !ok || sk.Action != models.ActionWithdraw {
			t.Errorf("withdrawn record not reported as skipped: %+v", r2.Skipped)
		}
		if len(r2.Skipped) != 2 {
			t.Errorf("skipped = %+v, want exactly the two planner-changed records", r2.Skipped)
		}

		e, err := s.GetEvent(ctx, edited)
		if err != nil {
			t.Fatal(err)
		}
		if e.Notes != "checked against the trust's own figures" || len(e.Figures) != 1 {
			t.Errorf("planner's edit overwritten: notes %q, %d figures", e.Notes, len(e.Figures))
		}
		if w, err := s.GetEvent(ctx, deleted); err != nil || w.PubState != models.PubWithdrawn {
			t.Errorf("withdrawn seed record changed: %+v, %v", w, err)
		}
		u, err := s.GetEvent(ctx, untouched)
		if err != nil {
			t.Fatal(err)
		}
		if len(u.Figures) != 2 || u.Version != 2 || u.UpdatedBy != models.SeedActor {
			t.Errorf("untouched record not corrected: figures %+v, version %d by %q", u.Figures, u.Version, u.UpdatedBy)
		}
		dispute, _ := s.GetEvent(ctx, byKey["bma-resident-doctors-pay"])
		if dispute.Status != "resolved" || dispute.EndAt == nil {
			t.Errorf("resident doctors' dispute not closed: %q %v", dispute.Status, dispute.EndAt)
		}

		// A new record must hang off the right dispute.
		byKey = seededIDs(t, s)
		r15, err := s.GetEvent(ctx, byKey["rd-round-15-2026-04"])
		if err != nil || r15.DisputeID == nil || *r15.DisputeID != byKey["bma-resident-doctors-pay"] {
			t.Errorf("round 15 = %+v, %v", r15, err)
		}

		r3, err := s.SyncSeed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r3.Added != 0 || r3.Corrected != 0 || len(r3.Skipped) != 2 {
			t.Errorf("third start = %+v, want no changes and the same two skips", r3)
		}
	})
}

// TestSeedFreshLoadIsCurrent: a new database gets the current seed in one go
// and nothing to correct on the next start.
func TestSeedFreshLoadIsCurrent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		r, err := s.SyncSeed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		recs, _ := models.SeedRecords()
		if r.Added != len(recs) || len(recs) < 80 {
			t.Fatalf("fresh load = %+v of %d records (want at least 80)", r, len(recs))
		}
		r, err = s.SyncSeed(ctx)
		if err != nil || r.Added+r.Corrected+len(r.Skipped) != 0 {
			t.Fatalf("second start = %+v, %v; want nothing", r, err)
		}
	})
}

func seededIDs(t *testing.T, s *models.Store) map[string]int64 {
	t.Helper()
	list, _, err := s.ListEvents(context.Background(), models.EventFilter{Limit: 1000, IncludeDeleted: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, e := range list {
		if e.SeedKey != nil {
			out[*e.SeedKey] = e.ID
		}
	}
	return out
}
