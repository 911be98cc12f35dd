package cli

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/app"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// TestGracefulShutdown stops the server while a slow request is in flight:
// the request must complete with its full response, and new connections
// must be refused afterwards.
func TestGracefulShutdown(t *testing.T) {
	s := testdb.New(t, models.SQLite)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f, err := app.New(app.Deps{Store: s, Config: app.Config{MaxUploadMB: 1, MaxJSONKB: 64}, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	// Stands in for a long import.
	f.Get("/slow", func(c *fiber.Ctx) error {
		close(started)
		time.Sleep(700 * time.Millisecond)
		return c.SendString("finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, f, ln, 10*time.Second, log) }()

	type result struct {
		status int
		body   string
		err    error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := http.Get(url + "/slow")
		if err != nil {
			res <- result{err: err}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		res <- result{status: resp.StatusCode, body: string(b)}
	}()
	<-started
	stop() // SIGTERM arrives mid-request.

	r := <-res
	if r.err != nil || r.status != 200 || r.body != "finished" {
		t.Fatalf("in-flight request during shutdown: %+v", r)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not return after draining")
	}
	c := http.Client{Timeout: time.Second}
	if resp, err := c.Get(url + "/healthz"); err == nil {
		resp.Body.Close()
		t.Error("server still accepts requests after shutdown")
	}
}
