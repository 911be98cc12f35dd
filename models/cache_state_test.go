package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

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
		if _, err := s.Publish(ctx, "editor", e.ID, models.PublishInput{}); err != nil {
			t.Fatal(err)
		}
		step("publish")
		if _, err := s.Withdraw(ctx, "editor", e.ID, models.WithdrawInput{Reason: "Duplicate of another record."}); err != nil {
			t.Fatal(err)
		}
		step("withdraw")
		// The state is kept by the database, not by the Go writers, so a
		// write no store method made counts too.
		if err := models.DBForTest(s).Exec("UPDATE events SET title = 'By hand' WHERE id = ?", e.ID).Error; err != nil {
			t.Fatal(err)
		}
		step("hand-run update")

		// What a visitor cannot see leaves it alone: a running import's
		// heartbeats, a failed run, and a write that was rolled back.
		run := &models.ImportRun{FileName: "f.csv"}
		if err := s.CreateImportRun(ctx, run); err != nil {
			t.Fatal(err)
		}
		if err := s.ImportProgress(ctx, run.ID, 10, 1, 0); err != nil {
			t.Fatal(err)
		}
		if err := models.DBForTest(s).Model(run).Update("status", models.ImportFailed).Error; err != nil {
			t.Fatal(err)
		}
		if err := models.DBForTest(s).Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec("UPDATE events SET title = 'Never' WHERE id = ?", e.ID).Error; err != nil {
				return err
			}
			return errors.New("roll back")
		}); err == nil {
			t.Fatal("the transaction was not rolled back")
		}
		if st, _ := s.CacheState(ctx); st != last {
			t.Fatalf("state moved without a visible write: %+v then %+v", last, st)
		}
		// A run that stops counting as succeeded (deleted) changes it.
		var ok models.ImportRun
		if err := models.DBForTest(s).Where("status = ?", models.ImportSucceeded).First(&ok).Error; err != nil {
			t.Fatal(err)
		}
		if err := models.DBForTest(s).Delete(&ok).Error; err != nil {
			t.Fatal(err)
		}
		step("succeeded run deleted")
	})
}

// Writes from many connections at once each leave their mark, and the
// state read after them differs from every state read before: a cached
// answer can never outlive a concurrent write.
func TestCacheStateConcurrentWrites(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		before, err := s.CacheState(ctx)
		if err != nil {
			t.Fatal(err)
		}
		const n = 8
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			go func() {
				_, err := s.CreateEvent(ctx, "test", strikeDoc())
				errs <- err
			}()
		}
		for i := 0; i < n; i++ {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		after, err := s.CacheState(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if after.Tag == before.Tag || after.Modified.Before(before.Modified) {
			t.Fatalf("state after %d concurrent writes: %+v, before %+v", n, after, before)
		}
		var seq int64
		if err := models.DBForTest(s).Raw("SELECT seq FROM cache_state").Scan(&seq).Error; err != nil {
			t.Fatal(err)
		}
		// At least one per write: none was lost to another.
		if seq < 1+n {
			t.Fatalf("seq %d after %d writes on a new database, want at least %d", seq, n, 1+n)
		}
	})
}
