package app

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// TestPostgresRestart serves the app on a private PostgreSQL cluster, stops
// the cluster under it and starts it again: while it is down every request
// that needs the database answers a JSON 503 within seconds (none hangs),
// liveness stays up, and once it is back the app recovers by itself.
func TestPostgresRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts its own PostgreSQL cluster")
	}
	cl := testdb.StartCluster(t)
	ctx := context.Background()
	s, err := models.Open(ctx, models.Options{DatabaseURL: cl.URL(), Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	fx := newFixture(t, s)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go fx.app.Listener(ln)
	defer fx.app.Shutdown()
	base := "http://" + ln.Addr().String()
	tok := fx.tokens[models.RolePlanner]
	client := &http.Client{Timeout: 15 * time.Second}

	call := func(method, path, body string) (int, string, time.Duration) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), time.Since(start)
	}
	if st, body, _ := call("POST", "/api/v1/strike-rounds", validStrike); st != http.StatusCreated {
		t.Fatalf("create before the outage: %d %s", st, body)
	}

	cl.Stop(t)
	for _, r := range []struct{ method, path, body string }{
		{"GET", "/api/v1/events", ""},
		{"GET", "/api/v1/timeline", ""},
		{"POST", "/api/v1/strike-rounds", validStrike},
		{"GET", "/readyz", ""},
	} {
		st, body, d := call(r.method, r.path, r.body)
		if st != http.StatusServiceUnavailable || !strings.HasPrefix(body, "{") || !strings.Contains(body, "unavailable") {
			t.Errorf("%s %s with the database down: %d %s", r.method, r.path, st, body)
		}
		if d > 6*time.Second {
			t.Errorf("%s %s took %v with the database down", r.method, r.path, d)
		}
	}
	if st, _, _ := call("GET", "/healthz", ""); st != http.StatusOK {
		t.Errorf("liveness failed during a database outage: %d", st)
	}

	cl.Start(t)
	deadline := time.Now().Add(15 * time.Second)
	for {
		st, _, _ := call("GET", "/api/v1/events", "")
		if st == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("app did not recover within 15s of the database restart (last status %d)", st)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if st, body, _ := call("POST", "/api/v1/strike-rounds", validStrike); st != http.StatusCreated {
		t.Errorf("create after recovery: %d %s", st, body)
	}
	if st, _, _ := call("GET", "/readyz", ""); st != http.StatusOK {
		t.Errorf("readyz after recovery: %d", st)
	}
	// Exactly the two acknowledged creates are stored: the one refused
	// during the outage left nothing behind.
	if _, n, err := s.ListEvents(ctx, models.EventFilter{Working: true}); err != nil || n != 2 {
		t.Errorf("stored events = %d (%v), want 2", n, err)
	}
}
