package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// inRecovery says whether a plain read made with ctx ran on a replica.
func inRecovery(t *testing.T, s *models.Store, ctx context.Context) bool {
	t.Helper()
	var r bool
	if err := models.DBForTest(s).WithContext(ctx).Raw("SELECT pg_is_in_recovery()").Scan(&r).Error; err != nil {
		t.Fatalf("read: %v", err)
	}
	return r
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}

// Against a real primary and streaming replica: plain reads go to the
// replica, writes, transactions and OnPrimary reads to the primary; a
// stopped replica costs no failed read, and one that falls behind more
// than the bound stops serving reads until it catches up.
func TestReplicaRouting(t *testing.T) {
	rc := testdb.StartReplicated(t)
	ctx := context.Background()
	s, err := models.Open(ctx, models.Options{DatabaseURL: rc.Primary.URL(), ReplicaURLs: []string{rc.Replica.URL()},
		ReplicaMaxLag: 400 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate (must run on the primary): %v", err)
	}
	healthy := func() bool { st := s.Replicas(); return len(st) == 1 && st[0].Healthy }
	waitFor(t, "the replica serves reads", healthy)
	if !inRecovery(t, s, ctx) {
		t.Error("a plain read did not go to the replica")
	}
	if inRecovery(t, s, models.OnPrimary(ctx)) {
		t.Error("an OnPrimary read went to the replica")
	}
	e, err := s.CreateEvent(ctx, "test", strikeDoc())
	if err != nil {
		t.Fatalf("write: %v", err)
	}
	// A signed-in writer reads its write at once from the primary.
	if _, err := s.GetEvent(models.OnPrimary(ctx), e.ID); err != nil {
		t.Fatalf("read own write on the primary: %v", err)
	}
	waitFor(t, "the write reaches the replica", func() bool { _, err := s.GetEvent(ctx, e.ID); return err == nil })

	// Replica stopped: every read still answers, from the primary.
	rc.Replica.Stop(t)
	for i := 0; i < 20; i++ {
		if _, err := s.GetEvent(ctx, e.ID); err != nil {
			t.Fatalf("read %d with the replica stopped: %v", i, err)
		}
	}
	if healthy() {
		t.Error("replica still reported healthy while stopped")
	}
	if inRecovery(t, s, ctx) {
		t.Error("read went to a stopped replica")
	}
	rc.Replica.Start(t)
	waitFor(t, "the restarted replica serves reads again", healthy)
	waitFor(t, "reads go to the replica again", func() bool { return inRecovery(t, s, ctx) })

	// Replay paused: the replica falls behind the bound, reads move to the
	// primary and see new writes; resumed, it serves again.
	if err := rawExec(ctx, rc.Replica.URL(), "SELECT pg_wal_replay_pause()"); err != nil {
		t.Fatal(err)
	}
	e2, err := s.CreateEvent(ctx, "test", strikeDoc())
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the lagging replica is left out", func() bool { return !healthy() })
	if _, err := s.GetEvent(ctx, e2.ID); err != nil {
		t.Errorf("read with the replica lagging: %v", err)
	}
	if err := rawExec(ctx, rc.Replica.URL(), "SELECT pg_wal_replay_resume()"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the caught-up replica serves reads", healthy)
}

func rawExec(ctx context.Context, url, sql string) error {
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, sql)
	return err
}

// The lag is the time since the newest noted primary position the replica
// has replayed.
func TestReplicaLag(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	samples := []models.LSNSample{{At: t0, LSN: 100}, {At: t0.Add(time.Second), LSN: 200}, {At: t0.Add(2 * time.Second), LSN: 300}}
	now := t0.Add(2500 * time.Millisecond)
	for _, tc := range []struct {
		name   string
		replay int64
		want   time.Duration
	}{
		{"caught up", 300, 500 * time.Millisecond},
		{"ahead of the last note", 350, 500 * time.Millisecond},
		{"between notes", 250, 1500 * time.Millisecond},
		{"behind every note", 50, 2500*time.Millisecond + time.Nanosecond},
		{"not a standby", -1, 0},
	} {
		if got := models.ReplicaLag(samples, tc.replay, now); got != tc.want {
			t.Errorf("%s: lag %v, want %v", tc.name, got, tc.want)
		}
	}
}
