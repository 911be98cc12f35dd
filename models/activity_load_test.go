package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// load writes rows (area, day, 4 categories, n, line) as one import run.
func load(s *models.Store, rows [][]int64) (*models.ImportRun, error) {
	return loadWith(s, rows, models.MergeOptions{MaxErrors: 10})
}

// loadWith is load with merge options.
func loadWith(s *models.Store, rows [][]int64, opt models.MergeOptions) (*models.ImportRun, error) {
	ctx := context.Background()
	run := &models.ImportRun{FileName: "test.csv", Policy: "reject", Actor: "test"}
	if err := s.CreateImportRun(ctx, run); err != nil {
		return nil, err
	}
	l, err := s.NewLoader(ctx, models.TargetSubICBDaily, run.ID)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	if err := l.Write(ctx, rows); err != nil {
		return nil, err
	}
	return run, l.Merge(ctx, run, opt)
}

// A revised month waits for a long reader of the table without holding up
// the readers that come after it, then lands.
func TestSwapWaitsForReadersWithoutBlockingThem(t *testing.T) {
	s := testdb.New(t, models.Postgres)
	ctx := context.Background()
	restore := models.SetSwapLockWait(100 * time.Millisecond)
	defer restore()
	area, err := s.UpsertArea(ctx, models.Area{Level: models.LevelSubICB, Code: "00X", Name: "X"})
	if err != nil {
		t.Fatal(err)
	}
	day := models.DayNumber(time.Date(2023, 11, 1, 0, 0, 0, 0, time.UTC))
	if _, err := load(s, [][]int64{{area, day, 1, 1, 1, 1, 10, 2}}); err != nil {
		t.Fatal(err)
	}

	// A long report holds the table.
	long, err := models.PoolForTest(s).Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer long.Rollback(ctx) // also when the test fails, so the import can end
	var n int64
	if err := long.QueryRow(ctx, "SELECT COUNT(*) FROM appt_subicb_daily").Scan(&n); err != nil {
		t.Fatal(err)
	}
	type result struct {
		run *models.ImportRun
		err error
	}
	done := make(chan result, 1)
	go func() {
		run, err := load(s, [][]int64{{area, day, 1, 1, 1, 1, 20, 2}})
		done <- result{run, err}
	}()

	// Meanwhile other readers are served.
	time.Sleep(300 * time.Millisecond)
	for i := 0; i < 3; i++ {
		qctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err := models.PoolForTest(s).QueryRow(qctx, "SELECT COUNT(*) FROM appt_subicb_daily").Scan(&n)
		cancel()
		if err != nil {
			t.Fatalf("a reader was held up by the waiting import: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	select {
	case <-done:
		t.Fatal("the month was swapped while a reader still held the table")
	default:
	}
	long.Rollback(ctx)
	select {
	case r := <-done:
		if r.err != nil || !r.run.Revised || r.run.RowsUpdated != 1 {
			t.Fatalf("run %+v: %v", r.run, r.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the import did not finish after the reader let go")
	}
	var got int64
	if err := models.DBForTest(s).Raw("SELECT n FROM appt_subicb_daily").Scan(&got).Error; err != nil || got != 20 {
		t.Fatalf("stored n = %d (%v), want 20", got, err)
	}
}
