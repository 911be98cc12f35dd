package models_test

import (
	"context"
	"testing"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// The load driver's check counts a run's records by title prefix: drafts
// count, deleted records do not, and LIKE's wildcards in the prefix are
// taken literally.
func TestCountEventsTitled(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		ids := map[string]int64{}
		for _, title := range []string{"loadtest ab_1 w0-1", "loadtest ab_1 w0-2", "loadtest ab_1 w1-1", "loadtest abX1 w0-1", "loadtest ab_12 w0-1"} {
			d := cloneDoc(kindDocs()[models.KindStrikeRound])
			d.Title = title
			e, err := s.CreateEvent(ctx, "planner@example.org", d)
			if err != nil {
				t.Fatal(err)
			}
			ids[title] = e.ID
		}
		if err := s.DeleteEvent(ctx, "planner@example.org", ids["loadtest ab_1 w1-1"], models.KindStrikeRound); err != nil {
			t.Fatal(err)
		}
		for prefix, want := range map[string]int64{"loadtest ab_1 ": 2, "loadtest ab": 4, "loadtest ab%": 0, "nothing": 0} {
			if n, err := s.CountEventsTitled(ctx, prefix); err != nil || n != want {
				t.Errorf("CountEventsTitled(%q) = %d, %v; want %d", prefix, n, err, want)
			}
		}
	})
}
