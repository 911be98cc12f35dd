package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// Every kind of write changes the cache state, and reading it again
// without a write does not.
func TestCacheStateChangesOnEveryWrite(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		seen := map[string]string{}
		var last models.CacheState
		step := func(name string) {
			t.Helper()
			st, err := s.CacheState(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if again, _ := s.CacheState(ctx); again != st {
				t.Fatalf("%s: state moved without a write: %+v then %+v", name, st, again)
			}
			if prev, ok := seen[st.Tag]; ok {
				t.Fatalf("%s: tag %s already seen after %s", name, st.Tag, prev)
			}
			if st.Modified.Before(last.Modified) {
				t.Fatalf("%s: Modified went back from %v to %v", name, last.Modified, st.Modified)
			}
			seen[st.Tag], last = name, st
		}
		step("empty")
		e, err := s.CreateEvent(ctx, "test", strikeDoc())
		if err != nil {
			t.Fatal(err)
		}
		step("create")
		if time.Since(last.Modified) > time.Minute || last.Modified.After(time.Now().Add(time.Second)) {
			t.Fatalf("Modified %v is not the write's time", last.Modified)
		}
		if _, err := s.PatchEvent(ctx, "test", e.ID, "", []byte(`{"title":"Renamed"}`)); err != nil {
			t.Fatal(err)
		}
		step("patch")
		if err := s.DeleteEvent(ctx, "test", e.ID, ""); err != nil {
			t.Fatal(err)
		}
		step("delete")
		if _, err := s.RestoreEvent(ctx, "test", e.ID, 2); err != nil {
			t.Fatal(err)
		}
		step("restore")
		area, err := s.UpsertArea(ctx, models.Area{Level: models.LevelSubICB, Code: "00X", Name: "X"})
		if err != nil {
			t.Fatal(err)
		}
		day := models.DayNumber(time.Date(2023, 11, 1, 0, 0, 0, 0, time.UTC))
		if _, err := load(s, [][]int64{{area, day, 1, 1, 1, 1, 10, 2}}); err != nil {
			t.Fatal(err)
		}
		step("import")
	})
}
