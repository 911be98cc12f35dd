package models

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Shared state reads never answer a caller with a query that began before
// it asked, and under concurrency far fewer queries run than callers ask.
func TestStateReadsNeverOlderThanTheCall(t *testing.T) {
	var clock atomic.Int64 // orders calls and query starts
	var queries atomic.Int64
	q := func(ctx context.Context) (CacheState, error) {
		started := clock.Add(1)
		queries.Add(1)
		time.Sleep(200 * time.Microsecond)
		return CacheState{Tag: strconv.FormatInt(started, 10)}, nil
	}
	var r stateReads
	const workers, each = 32, 100
	var wg sync.WaitGroup
	var stale atomic.Int64
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				asked := clock.Add(1)
				st, err := r.read(context.Background(), q)
				if err != nil {
					t.Error(err)
					return
				}
				if started, _ := strconv.ParseInt(st.Tag, 10, 64); started < asked {
					stale.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if stale.Load() > 0 {
		t.Fatalf("%d reads were answered by a query that started before they asked", stale.Load())
	}
	if n := queries.Load(); n > workers*each/2 {
		t.Errorf("%d queries for %d reads: concurrent reads were not shared", n, workers*each)
	}
}

// A caller that gives up stops waiting at once; the others still get
// their answer, and a failed query fails only the reads it was run for.
func TestStateReadsCancelAndErrors(t *testing.T) {
	release := make(chan struct{})
	fail := atomic.Bool{}
	q := func(ctx context.Context) (CacheState, error) {
		<-release
		if fail.Load() {
			return CacheState{}, errors.New("database down")
		}
		return CacheState{Tag: "ok"}, nil
	}
	var r stateReads
	lead := make(chan error, 1)
	go func() { _, err := r.read(context.Background(), q); lead <- err }()
	for {
		r.mu.Lock()
		running := r.running
		r.mu.Unlock()
		if running {
			break
		}
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error, 1)
	go func() { _, err := r.read(ctx, q); gaveUp <- err }()
	waiter := make(chan CacheState, 1)
	go func() { st, _ := r.read(context.Background(), q); waiter <- st }()
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled read: %v", err)
	}
	close(release)
	if err := <-lead; err != nil {
		t.Fatal(err)
	}
	if st := <-waiter; st.Tag != "ok" {
		t.Fatalf("waiting read got %+v", st)
	}
	fail.Store(true)
	if _, err := r.read(context.Background(), q); err == nil {
		t.Fatal("a failed query answered without error")
	}
	fail.Store(false)
	if st, err := r.read(context.Background(), q); err != nil || st.Tag != "ok" {
		t.Fatalf("after a failure: %+v %v", st, err)
	}
}
