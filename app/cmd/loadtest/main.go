// Command loadtest drives a running strikeline serve with a bounded, mixed
// read and write load and checks that every acknowledged write is stored.
// It is a benchmark tool, not part of the strikeline command:
//
//	go run ./app/cmd/loadtest --url URL --token TOKEN [--duration 60s] [--conns 64] [--verify-db]
//
// With --verify-db it also counts the stored writes in the database that
// DATABASE_URL / STRIKELINE_DB name, as strikeline would open it.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/strikeline/strikeline/app"
	"github.com/strikeline/strikeline/models"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command with its exit code: 0 when the load passed its
// checks, 1 when it did not, 2 for bad arguments.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := loadtest(ctx, args, stdout, stderr)
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "loadtest: %v\n", err)
		return 2
	default:
		fmt.Fprintf(stderr, "loadtest: %v\n", err)
		return 1
	}
}

// usageError marks bad command-line use (exit code 2).
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

// loadResult is what one worker saw.
type loadResult struct {
	readLat, writeLat []time.Duration
	status            map[int]int
	transportErrs     int
	acked             int
	failedWrites      int // no answer or an error: the write may or may not be stored
	ids               []int64
}

func loadtest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "base URL of a running strikeline serve")
	token := fs.String("token", "", "API token of a planner (writes create strike rounds)")
	dur := fs.Duration("duration", 60*time.Second, "how long to send requests")
	conns := fs.Int("conns", 64, "concurrent connections (one request in flight each)")
	writeRatio := fs.Float64("writes", 0.2, "share of requests that are writes (0..1)")
	verifyDB := fs.Bool("verify-db", false, "also count the stored writes directly in the database configured by DATABASE_URL / STRIKELINE_DB")
	maxFailures := fs.Int("max-failures", 0, "failed requests to tolerate (the cluster drill: the in-flight requests of an instance it kills); a failed write may still have been stored")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	if *token == "" && *writeRatio > 0 {
		return usageError{"--token is required for writes (or --writes 0)"}
	}
	if *conns < 1 || *writeRatio < 0 || *writeRatio > 1 {
		return usageError{"--conns must be positive and --writes between 0 and 1"}
	}
	*base = strings.TrimRight(*base, "/")
	run := randomRunID()
	client := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConns: *conns, MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns},
	}
	fmt.Fprintf(stdout, "loadtest %s: %s for %v with %d connections, %.0f%% writes\n", run, *base, *dur, *conns, *writeRatio*100)

	// Reads by id use records that exist, so a 404 always means a bug.
	seedIDs, err := existingIDs(ctx, client, *base)
	if err != nil {
		return fmt.Errorf("listing existing events: %w", err)
	}

	lctx, cancel := context.WithTimeout(ctx, *dur)
	defer cancel()
	start := time.Now()
	results := make([]*loadResult, *conns)
	var wg sync.WaitGroup
	for i := range results {
		r := &loadResult{status: map[int]int{}}
		results[i] = r
		wg.Add(1)
		go func(worker int) {
			defer wg.Done()
			loadWorker(lctx, client, *base, *token, run, worker, *writeRatio, seedIDs, r)
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)

	total := &loadResult{status: map[int]int{}}
	for _, r := range results {
		total.readLat = append(total.readLat, r.readLat...)
		total.writeLat = append(total.writeLat, r.writeLat...)
		total.transportErrs += r.transportErrs
		total.acked += r.acked
		total.failedWrites += r.failedWrites
		for k, v := range r.status {
			total.status[k] += v
		}
	}
	all := append(append([]time.Duration{}, total.readLat...), total.writeLat...)
	n := len(all)
	errs := total.transportErrs
	failedWrites := total.failedWrites
	for code, c := range total.status {
		if code >= 400 {
			errs += c
		}
	}
	w := stdout
	fmt.Fprintf(w, "requests   %d in %v: %.0f req/s\n", n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds())
	fmt.Fprintf(w, "latency    all p50 %v p99 %v | reads p50 %v p99 %v (%d) | writes p50 %v p99 %v (%d)\n",
		pct(all, 50), pct(all, 99), pct(total.readLat, 50), pct(total.readLat, 99), len(total.readLat),
		pct(total.writeLat, 50), pct(total.writeLat, 99), len(total.writeLat))
	fmt.Fprintf(w, "statuses   %v, transport errors %d\n", total.status, total.transportErrs)
	fmt.Fprintf(w, "errors     %d\n", errs)

	// Every acknowledged (201) write must be stored, and nothing else:
	// count this run's records through the API's search.
	// Reads may come from a replica a moment behind: give it a few
	// seconds to show every acknowledged write.
	var stored int
	for wait := time.Now().Add(10 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if stored, err = countStored(ctx, client, *base, *token, run); err != nil {
			return fmt.Errorf("counting stored writes: %w", err)
		}
		if stored >= total.acked || time.Now().After(wait) {
			break
		}
	}
	fmt.Fprintf(w, "writes     acknowledged %d, failed %d, stored (API) %d, run %s\n", total.acked, failedWrites, stored, run)
	if *verifyDB {
		cfg, err := app.ConfigFromEnv()
		if err != nil {
			return err
		}
		s, err := models.Open(ctx, models.Options{DatabaseURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath})
		if err != nil {
			return err
		}
		dbCount, err := s.CountEventsTitled(ctx, "loadtest "+run+" ")
		s.Close()
		if err != nil {
			return fmt.Errorf("counting stored writes in the database: %w", err)
		}
		fmt.Fprintf(w, "writes     stored (database, %s) %d\n", s.Backend, dbCount)
		if !storedMatches(int(dbCount), total.acked, failedWrites) {
			return fmt.Errorf("acknowledged %d writes (%d failed) but the database holds %d", total.acked, failedWrites, dbCount)
		}
	}
	if !storedMatches(stored, total.acked, failedWrites) {
		return fmt.Errorf("acknowledged %d writes (%d failed) but the API counts %d", total.acked, failedWrites, stored)
	}
	if errs > *maxFailures {
		return fmt.Errorf("%d requests failed (%d tolerated)", errs, *maxFailures)
	}
	return nil
}

// storedMatches says whether stored records fit acknowledged writes: every
// acknowledged one is stored, and beyond them at most the writes whose
// answer was lost (the server may have committed before it died).
func storedMatches(stored, acked, failedWrites int) bool {
	return stored >= acked && stored <= acked+failedWrites
}

func loadWorker(ctx context.Context, client *http.Client, base, token, run string, worker int, writeRatio float64, seedIDs []int64, r *loadResult) {
	rng := mrand.New(mrand.NewPCG(uint64(worker), uint64(time.Now().UnixNano())))
	seq := 0
	for ctx.Err() == nil {
		var req *http.Request
		write := rng.Float64() < writeRatio
		ids := r.ids
		if len(ids) == 0 {
			ids = seedIDs
		}
		if !write && len(ids) == 0 && writeRatio > 0 {
			write = true // nothing to read by id yet on an empty database
		}
		own := false
		if write {
			seq++
			body := loadDoc(run, worker, seq, rng)
			req, _ = http.NewRequest("POST", base+"/api/v1/strike-rounds", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
		} else {
			var path string
			switch p := rng.IntN(10); {
			case p < 4:
				path = "/api/v1/timeline?year=2024"
			case p < 8 || len(ids) == 0:
				path = "/api/v1/events?per_page=50&page=" + strconv.Itoa(1+rng.IntN(3))
			default:
				path = "/api/v1/events/" + strconv.FormatInt(ids[rng.IntN(len(ids))], 10)
				own = len(r.ids) > 0
			}
			req, _ = http.NewRequest("GET", base+path, nil)
			if own && token != "" {
				// The writer reads its own records (drafts, which only a
				// planner may read) as itself, which the app serves from
				// the primary (read-your-writes).
				req.Header.Set("Authorization", "Bearer "+token)
			}
		}
		// Requests already sent when the time is up still count: the
		// deadline only stops new ones.
		t0 := time.Now()
		resp, err := client.Do(req)
		d := time.Since(t0)
		if err != nil {
			r.transportErrs++
			if write {
				r.failedWrites++
			}
			continue
		}
		var created struct {
			ID int64 `json:"id"`
		}
		if write && resp.StatusCode == http.StatusCreated {
			_ = json.NewDecoder(resp.Body).Decode(&created)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		r.status[resp.StatusCode]++
		if write {
			r.writeLat = append(r.writeLat, d)
			if resp.StatusCode == http.StatusCreated {
				r.acked++
				r.ids = append(r.ids, created.ID)
			} else if resp.StatusCode >= 500 {
				r.failedWrites++
			}
		} else {
			r.readLat = append(r.readLat, d)
		}
	}
}

// loadDoc is a valid strike round whose title carries the run id, so the
// run's writes can be counted afterwards.
func loadDoc(run string, worker, seq int, rng *mrand.Rand) []byte {
	day := time.Date(2026, 1, 1, 7, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(365))
	doc := map[string]any{
		"title":       fmt.Sprintf("loadtest %s w%d-%d", run, worker, seq),
		"summary":     "Synthetic record written by the load driver (app/cmd/loadtest).",
		"start":       day.Format(time.RFC3339),
		"end":         day.Add(48 * time.Hour).Format(time.RFC3339),
		"staff_group": "resident_doctors",
		"unions":      []string{"BMA"},
		"action_type": "full_walkout",
		"sources":     []map[string]string{{"url": "https://example.org/loadtest", "title": "load test"}},
	}
	b, _ := json.Marshal(doc)
	return b
}

func existingIDs(ctx context.Context, client *http.Client, base string) ([]int64, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/events?per_page=100", nil)
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET events: %s", resp.Status)
	}
	var list struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		return nil, err
	}
	ids := make([]int64, len(list.Items))
	for i, it := range list.Items {
		ids[i] = it.ID
	}
	return ids, nil
}

// countStored counts this run's records as the planner sees them: new
// records are drafts, invisible to anonymous readers.
func countStored(ctx context.Context, client *http.Client, base, token, run string) (int, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/events?per_page=1&q=loadtest+"+run, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET events: %s", resp.Status)
	}
	var list struct {
		Total int `json:"total"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		return 0, err
	}
	return list.Total, nil
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration{}, ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[max(i, 0)].Round(10 * time.Microsecond)
}

func randomRunID() string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		panic(errors.New("no randomness"))
	}
	return hex.EncodeToString(b)
}
