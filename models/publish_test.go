package models_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

func registerVersion(t *testing.T, s *models.Store) int {
	t.Helper()
	r, err := s.RegisterState(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r.Version
}

func publicTitles(t *testing.T, s *models.Store, f models.EventFilter) map[int64]string {
	t.Helper()
	list, _, err := s.ListEvents(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]string{}
	for _, e := range list {
		out[e.ID] = e.Title
	}
	return out
}

// The editorial life of one record in the store: a draft is invisible to
// the public, publishing adds it as a register version, a revision stays
// private until published with a correction note, as_of reproduces each
// version, and a withdrawal keeps the last published text with its reason.
func TestEditorialFlowStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		recs, _ := models.SeedRecords()
		if _, err := s.LoadSeed(ctx); err != nil {
			t.Fatal(err)
		}
		if v := registerVersion(t, s); v != 1 {
			t.Fatalf("register version after the seed = %d, want 1", v)
		}
		if got := publicTitles(t, s, models.EventFilter{Limit: 1000}); len(got) != len(recs) {
			t.Fatalf("public sees %d seeded records, want %d", len(got), len(recs))
		}

		e, err := s.CreateEvent(ctx, "planner", strikeDoc())
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := publicTitles(t, s, models.EventFilter{Limit: 1000})[e.ID]; ok {
			t.Fatal("a draft is in the public list")
		}
		if _, err := s.GetPublished(ctx, e.ID, 0); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("public read of a draft: %v, want ErrNotFound", err)
		}
		if e.PubInfo().Status != models.PubDraft {
			t.Fatalf("new record status %q", e.PubInfo().Status)
		}
		queue := publicTitles(t, s, models.EventFilter{Working: true, Status: models.PubDraft})
		if len(queue) != 1 || queue[e.ID] == "" {
			t.Fatalf("review queue %v, want only the draft", queue)
		}
		if err := s.DeleteEventIf(ctx, "p", e.ID, "", models.Expect{Version: 99}); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("delete at a stale version: %v", err)
		}
		if _, err := s.Publish(ctx, "editor", e.ID, models.PublishInput{Expect: models.Expect{IfMatch: e.Version + 1}}); !errors.Is(err, models.ErrStale) {
			t.Fatalf("publish with a stale If-Match: %v", err)
		}
		if _, err := s.Publish(ctx, "editor", e.ID, models.PublishInput{CorrectionNote: "x"}); !isField(err, "correction_note") {
			t.Fatalf("first publication with a correction note: %v", err)
		}
		pub, err := s.Publish(ctx, "editor", e.ID, models.PublishInput{Expect: models.Expect{IfMatch: e.Version}})
		if err != nil {
			t.Fatal(err)
		}
		if v := registerVersion(t, s); v != 2 {
			t.Fatalf("register version after publishing = %d, want 2", v)
		}
		if _, err := s.Publish(ctx, "editor", e.ID, models.PublishInput{}); !errors.Is(err, models.ErrNothingToPublish) {
			t.Fatalf("publishing twice: %v", err)
		}
		if err := s.DeleteEvent(ctx, "p", e.ID, ""); !errors.Is(err, models.ErrPublished) {
			t.Fatalf("delete of a published record: %v", err)
		}

		// A revision: the public keeps the published title.
		rev, err := s.PatchEventIf(ctx, "planner", e.ID, "", []byte(`{"title":"Resident doctors' walkout (5 days)"}`), models.Expect{IfMatch: pub.Version})
		if err != nil {
			t.Fatal(err)
		}
		if p, _ := s.GetPublished(ctx, e.ID, 0); p.Title != "Resident doctors' walkout" {
			t.Fatalf("public title during a pending revision: %q", p.Title)
		}
		if !rev.PubInfo().PendingRevision {
			t.Fatalf("revision not marked pending: %+v", rev.PubInfo())
		}
		if q := publicTitles(t, s, models.EventFilter{Working: true, Status: models.PubDraft}); q[e.ID] == "" {
			t.Fatal("pending revision missing from the review queue")
		}
		for _, in := range []models.PublishInput{{}, {Minor: true, CorrectionNote: "x"}} {
			if _, err := s.Publish(ctx, "editor", e.ID, in); err == nil {
				t.Fatalf("publish %+v of changed facts accepted", in)
			}
		}
		if v := registerVersion(t, s); v != 2 {
			t.Fatalf("refused publications moved the register to %d", v)
		}
		if _, err := s.Publish(ctx, "editor", e.ID, models.PublishInput{CorrectionNote: "The round lasted five days."}); err != nil {
			t.Fatal(err)
		}
		if p, _ := s.GetPublished(ctx, e.ID, 0); p.Title != "Resident doctors' walkout (5 days)" || !p.Pub.IsCorrection() {
			t.Fatalf("corrected record: %q %+v", p.Title, p.Pub)
		}
		if p, _ := s.GetPublished(ctx, e.ID, 2); p.Title != "Resident doctors' walkout" || len(p.Sources) != 1 {
			t.Fatalf("as of version 2: %q %+v", p.Title, p.Sources)
		}
		if old := publicTitles(t, s, models.EventFilter{AsOf: 1, Limit: 1000}); len(old) != len(recs) {
			t.Fatalf("as of version 1 the register held %d records, want %d", len(old), len(recs))
		}

		// Withdrawal.
		if _, err := s.Withdraw(ctx, "editor", e.ID, models.WithdrawInput{Reason: "  "}); !isField(err, "reason") {
			t.Fatalf("withdraw without a reason: %v", err)
		}
		if _, err := s.Withdraw(ctx, "editor", e.ID, models.WithdrawInput{Reason: "Announced in error", Expect: models.Expect{Version: 1}}); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("withdraw at a stale body version: %v", err)
		}
		if _, err := s.Withdraw(ctx, "editor", e.ID, models.WithdrawInput{Reason: "Announced in error"}); err != nil {
			t.Fatal(err)
		}
		if _, ok := publicTitles(t, s, models.EventFilter{Limit: 1000})[e.ID]; ok {
			t.Fatal("withdrawn record still listed")
		}
		if got := publicTitles(t, s, models.EventFilter{Limit: 1000, WithWithdrawn: true}); got[e.ID] == "" {
			t.Fatal("withdrawn record missing from the feed list")
		}
		w, err := s.GetPublished(ctx, e.ID, 0)
		if err != nil || w.Pub.State != models.PubWithdrawn || w.Pub.Note != "Announced in error" || w.Title != "Resident doctors' walkout (5 days)" {
			t.Fatalf("withdrawn record: %+v %v", w, err)
		}
		if _, err := s.Withdraw(ctx, "editor", e.ID, models.WithdrawInput{Reason: "again"}); !errors.Is(err, models.ErrNotPublished) {
			t.Fatalf("withdrawing twice: %v", err)
		}
		cs, err := s.Corrections(ctx, 10)
		if err != nil || len(cs) != 2 || cs[0].State != models.PubWithdrawn || !cs[1].IsCorrection() {
			t.Fatalf("corrections %+v %v", cs, err)
		}
		ch, err := s.Changes(ctx, 1)
		if err != nil || len(ch) != 3 {
			t.Fatalf("changes since 1: %+v %v", ch, err)
		}
		for i, want := range []struct {
			what string
			prev int
		}{{"added", 0}, {"corrected", 2}, {"withdrawn", 3}} {
			if ch[i].What() != want.what || ch[i].Previous != want.prev {
				t.Errorf("change %d: %s (previous %d), want %s (previous %d)", i, ch[i].What(), ch[i].Previous, want.what, want.prev)
			}
		}
		// History records who published and withdrew.
		hs, _ := s.History(ctx, e.ID)
		var actions []string
		for _, h := range hs {
			actions = append(actions, h.Action)
		}
		if len(actions) != 5 || actions[1] != models.ActionPublish || actions[4] != models.ActionWithdraw {
			t.Fatalf("history actions %v", actions)
		}

		// A withdrawn record edited again waits in the queue; publishing it
		// again needs a note and is listed as republished.
		if _, err := s.PatchEvent(ctx, "planner", e.ID, "", []byte(`{"summary":"Called off after talks."}`)); err != nil {
			t.Fatal(err)
		}
		if q := publicTitles(t, s, models.EventFilter{Working: true, Status: models.PubDraft}); q[e.ID] == "" {
			t.Fatal("revised withdrawn record missing from the review queue")
		}
		if _, err := s.Publish(ctx, "editor", e.ID, models.PublishInput{Minor: true}); !isField(err, "correction_note") {
			t.Fatalf("republish without a note: %v", err)
		}
		if _, err := s.Publish(ctx, "editor", e.ID, models.PublishInput{CorrectionNote: "Reinstated: the round went ahead."}); err != nil {
			t.Fatal(err)
		}
		if ch, _ := s.Changes(ctx, 4); len(ch) != 1 || ch[0].What() != "republished" || ch[0].Previous != 4 {
			t.Fatalf("republication: %+v", ch)
		}
	})
}

func isField(err error, field string) bool {
	var ve *models.ValidationError
	return errors.As(err, &ve) && ve.Fields[field] != ""
}

// Twelve saves of one record from forms loaded at the same version: only
// the first may win; the rest are told of the conflict and write nothing.
func TestConcurrentSavesOneWins(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		e, err := s.CreateEvent(ctx, "p", strikeDoc())
		if err != nil {
			t.Fatal(err)
		}
		const n = 12
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d := strikeDoc()
				d.Title = "Save " + string(rune('A'+i))
				_, errs[i] = s.ReplaceEventIf(ctx, "p", e.ID, d, models.Expect{Version: e.Version})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, models.ErrConflict):
				t.Errorf("unexpected error: %v", err)
			}
		}
		got, _ := s.GetEvent(ctx, e.ID)
		hs, _ := s.History(ctx, e.ID)
		if ok != 1 || got.Version != 2 || len(hs) != 2 {
			t.Fatalf("%d saves succeeded, version %d, %d history rows; want 1, 2, 2", ok, got.Version, len(hs))
		}
	})
}

// An empty merge patch changes nothing and makes no version.
func TestEmptyPatchMakesNoVersion(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		e, err := s.CreateEvent(ctx, "p", strikeDoc())
		if err != nil {
			t.Fatal(err)
		}
		for _, body := range []string{`{}`, `null`, `{"version":1}`} {
			got, err := s.PatchEventIf(ctx, "p", e.ID, "", []byte(body), models.Expect{})
			if err != nil || got.Version != 1 {
				t.Fatalf("patch %s: version %v, %v", body, got, err)
			}
		}
		if _, err := s.PatchEventIf(ctx, "p", e.ID, "", []byte(`{"version":7}`), models.Expect{}); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("stale body version: %v", err)
		}
		if _, err := s.PatchEventIf(ctx, "p", e.ID, "", []byte(`{"version":"x"}`), models.Expect{}); !isField(err, "version") {
			t.Fatalf("bad body version: %v", err)
		}
		if hs, _ := s.History(ctx, e.ID); len(hs) != 1 {
			t.Fatalf("%d history rows, want 1", len(hs))
		}
	})
}

// Two editors publishing different records at once get distinct,
// consecutive register versions.
func TestConcurrentPublishesNumberTheRegister(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		const n = 6
		ids := make([]int64, n)
		for i := range ids {
			e, err := s.CreateEvent(ctx, "p", strikeDoc())
			if err != nil {
				t.Fatal(err)
			}
			ids[i] = e.ID
		}
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.Publish(ctx, "editor", id, models.PublishInput{})
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		seen := map[int]bool{}
		for _, id := range ids {
			p, err := s.GetPublished(ctx, id, 0)
			if err != nil {
				t.Fatal(err)
			}
			seen[p.Pub.RegisterVersion] = true
		}
		if len(seen) != n || registerVersion(t, s) != n {
			t.Fatalf("register versions %v, current %d; want 1..%d", seen, registerVersion(t, s), n)
		}
	})
}

// A database at schema version 8 with records (one deleted) is upgraded
// with every live record published at register version 1, its text and
// sources as they were; the deleted one stays out of the register.
func TestPublicationMigrationKeepsRecords(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(string(b), func(t *testing.T) {
			ctx := context.Background()
			s := testdb.Open(t, b)
			if err := s.MigrateUpTo(ctx, 8); err != nil {
				t.Fatal(err)
			}
			exec := func(q string, args ...any) {
				t.Helper()
				if err := models.DBForTest(s).Exec(q, args...).Error; err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			at := time.Date(2025, 8, 1, 9, 0, 0, 0, time.UTC)
			start := time.Date(2025, 7, 25, 6, 0, 0, 0, time.UTC)
			end := time.Date(2025, 7, 30, 6, 0, 0, 0, time.UTC)
			for i, title := range []string{"Round 12", "Round 13", "Deleted round"} {
				id := i + 1
				var deleted any
				if i == 2 {
					deleted = at
				}
				exec(`INSERT INTO events (id, kind, title, summary, start_at, end_at, all_day, staff_group, nation, unions, action_type, scope,
					version, created_by, updated_by, created_at, updated_at, deleted_at)
					VALUES (?, 'strike_round', ?, 'Summary', ?, ?, false, 'resident_doctors', 'England', '["BMA"]', 'full_walkout', '["ENGLAND"]', 2, 'p', 'p', ?, ?, ?)`,
					id, title, start, end, at, at, deleted)
				exec(`INSERT INTO sources (event_id, position, url, title) VALUES (?, 0, 'https://www.bma.org.uk/', 'BMA')`, id)
				doc := `{"kind":"strike_round","title":"` + title + `","summary":"Summary","start":"2025-07-25T07:00:00+01:00","end":"2025-07-30T07:00:00+01:00",` +
					`"staff_group":"resident_doctors","nation":"England","unions":["BMA"],"action_type":"full_walkout","scope":["ENGLAND"],` +
					`"sources":[{"url":"https://www.bma.org.uk/","title":"BMA"}]}`
				exec(`INSERT INTO event_history (event_id, version, action, actor, at, before, after) VALUES (?, 1, 'create', 'p', ?, '', ?)`, id, at, `{"kind":"strike_round","title":"old","start":"2025-07-25","sources":[]}`)
				exec(`INSERT INTO event_history (event_id, version, action, actor, at, before, after) VALUES (?, 2, 'update', 'p', ?, '', ?)`, id, at, doc)
			}
			// A live record whose current version has no history entry: there
			// is no document to publish from, so it stays a draft.
			exec(`INSERT INTO events (id, kind, title, start_at, all_day, nation, version, created_at, updated_at)
				VALUES (4, 'milestone', 'Orphan', ?, true, 'England', 3, ?, ?)`, start, at, at)
			if b == models.Postgres {
				exec(`SELECT setval('events_id_seq', 4)`) // the rows above named their ids
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if v := registerVersion(t, s); v != 1 {
				t.Fatalf("register version %d, want 1", v)
			}
			got := publicTitles(t, s, models.EventFilter{})
			if len(got) != 2 || got[1] != "Round 12" || got[2] != "Round 13" {
				t.Fatalf("public register after the upgrade: %v", got)
			}
			p, err := s.GetPublished(ctx, 1, 1)
			if err != nil || p.Version != 2 || len(p.Sources) != 1 || p.Sources[0].URL != "https://www.bma.org.uk/" || !p.StartAt.Equal(start) {
				t.Fatalf("published record 1: %+v %v", p, err)
			}
			if o, err := s.GetEvent(ctx, 4); err != nil || o.PubState != models.PubDraft {
				t.Fatalf("record without history after the upgrade: %+v %v", o, err)
			}
			w, err := s.GetEvent(ctx, 1)
			if err != nil || w.PubState != models.PubPublished || w.PublishedVersion != 2 || w.PubInfo().PendingRevision {
				t.Fatalf("working copy after the upgrade: %+v %v", w, err)
			}
			// The upgraded record goes through review like any other.
			if _, err := s.PatchEvent(ctx, "p", 1, "", []byte(`{"title":"Round 12 (revised)"}`)); err != nil {
				t.Fatal(err)
			}
			if p, _ := s.GetPublished(ctx, 1, 0); p.Title != "Round 12" {
				t.Fatalf("public title after a revision: %q", p.Title)
			}
			// The seed loads and publishes after the upgrade too.
			if n, err := s.LoadSeed(ctx); err != nil || n == 0 || registerVersion(t, s) != 2 {
				t.Fatalf("seed after the upgrade: %d %v, register %d", n, err, registerVersion(t, s))
			}
		})
	}
}

// The register's data month is the last day of the latest successful
// appointment import, not of online-consultation or failed runs.
func TestRegisterDataAsOf(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		if r, err := s.RegisterState(ctx); err != nil || r.Version != 0 || r.DataAsOf != "" || r.PublishedAt != nil {
			t.Fatalf("empty register: %+v %v", r, err)
		}
		day := func(y int, m time.Month, d int) *int64 {
			n := models.DayNumber(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
			return &n
		}
		for _, r := range []struct {
			target, status string
			to             *int64
		}{
			{"appt_subicb_daily", models.ImportSucceeded, day(2025, 11, 1)}, // through 31 October
			{"oc_practice_monthly", models.ImportSucceeded, day(2026, 1, 1)},
			{"appt_practice_monthly", models.ImportFailed, day(2026, 2, 1)},
		} {
			run := &models.ImportRun{FileName: "f.csv", Status: models.ImportRunning, StartedAt: time.Now(), HeartbeatAt: time.Now()}
			if err := s.CreateImportRun(ctx, run); err != nil {
				t.Fatal(err)
			}
			if err := models.DBForTest(s).Model(run).Updates(map[string]any{"status": r.status, "target": r.target, "day_to": *r.to}).Error; err != nil {
				t.Fatal(err)
			}
		}
		if r, err := s.RegisterState(ctx); err != nil || r.DataAsOf != "2025-10" {
			t.Fatalf("data as of %+v %v, want 2025-10", r, err)
		}
	})
}
