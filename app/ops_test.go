package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

func TestHealthAndReadiness(t *testing.T) {
	s := testdb.New(t, models.SQLite)
	fx := newFixture(t, s)
	if st, body := fx.do("GET", "/healthz", "", ""); st != 200 || !strings.Contains(body, `"ok"`) {
		t.Errorf("healthz: %d %s", st, body)
	}
	if st, body := fx.do("GET", "/readyz", "", ""); st != 200 || !strings.Contains(body, `"sqlite"`) {
		t.Errorf("readyz: %d %s", st, body)
	}
	// With the database gone, liveness still passes and readiness fails
	// with a JSON 503.
	s.Close()
	if st, _ := fx.do("GET", "/healthz", "", ""); st != 200 {
		t.Errorf("healthz without database: %d", st)
	}
	if st, body := fx.do("GET", "/readyz", "", ""); st != http.StatusServiceUnavailable || !strings.Contains(body, `"unavailable"`) {
		t.Errorf("readyz without database: %d %s", st, body)
	}
}

func TestMetricsAndAccessLog(t *testing.T) {
	s := testdb.New(t, models.SQLite)
	var logBuf bytes.Buffer
	f := mustNew(t, Deps{Store: s, Config: testConfig(), Logger: slog.New(slog.NewJSONHandler(&logBuf, nil))})
	fx := &fixture{t: t, store: s, app: f}
	fx.do("GET", "/api/v1/events/12345", "", "")
	fx.do("GET", "/no/such/page/"+strings.Repeat("x", 20), "", "")
	ImportRows.WithLabelValues("accepted").Add(3)

	st, body := fx.do("GET", "/metrics", "", "")
	if st != 200 {
		t.Fatalf("metrics: %d", st)
	}
	for _, want := range []string{
		`strikeline_http_requests_total{method="GET",route="/api/v1/events/:id",status="404"}`,
		`strikeline_http_request_duration_seconds_bucket{method="GET",route="/api/v1/events/:id",status="404",le="0.1"}`,
		`route="unmatched",status="404"`,
		`strikeline_import_rows_total{outcome="accepted"}`,
		`strikeline_import_rows_total{outcome="rejected"} 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "/no/such/page") {
		t.Error("a raw unmatched path became a metric label (unbounded cardinality)")
	}
	log := logBuf.String()
	for _, want := range []string{`"msg":"request"`, `"request_id":"`, `"route":"/api/v1/events/:id"`, `"status":404`, `"duration_ms":`} {
		if !strings.Contains(log, want) {
			t.Errorf("access log lacks %s:\n%s", want, log)
		}
	}
}

func TestBodyLimits(t *testing.T) {
	s := testdb.New(t, models.SQLite)
	fx := newFixture(t, s)
	tok := fx.tokens[models.RolePlanner]
	// Over the JSON cap (256 KB in tests) but under the upload cap: 413
	// from jsonLimit, and nothing stored.
	big := `{"title":"` + strings.Repeat("a", 300<<10) + `"}`
	if st, body := fx.do("POST", "/api/v1/disputes", tok, big); st != http.StatusRequestEntityTooLarge {
		t.Errorf("over JSON limit: %d %s", st, body)
	}
	// Over the whole-request cap (8 MB in tests): refused by the server
	// before any handler runs, over a real connection.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go fx.app.Listener(ln)
	defer fx.app.Shutdown()
	huge := bytes.Repeat([]byte("a"), 9<<20)
	req, _ := http.NewRequest("POST", "http://"+ln.Addr().String()+"/api/v1/disputes", bytes.NewReader(huge))
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	switch {
	case err != nil:
		// The server may close the connection while the client is still
		// sending; that is a refusal too.
		t.Logf("oversized body: connection closed: %v", err)
	default:
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("over body limit: %d", resp.StatusCode)
		}
	}
	if _, n, _ := s.ListEvents(context.Background(), models.EventFilter{}); n != 0 {
		t.Errorf("%d events stored from oversized bodies", n)
	}
}

// TestReadTimeoutCutsSlowClients: a client that sends its request too
// slowly (slowloris) is disconnected after ReadTimeout instead of holding a
// connection for ever.
func TestReadTimeoutCutsSlowClients(t *testing.T) {
	s := testdb.New(t, models.SQLite)
	cfg := testConfig()
	cfg.ReadTimeout = 300 * time.Millisecond
	f := mustNew(t, Deps{Store: s, Config: cfg, Logger: quietLogger()})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go f.Listener(ln)
	defer f.Shutdown()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Half a request line, then silence.
	if _, err := conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n")); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	_, err = io.ReadAll(conn)
	if err != nil {
		t.Fatalf("connection not closed by the server: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("slow client held the connection for %v", d)
	}
}
