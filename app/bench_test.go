package app

import (
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// BenchmarkTimeline measures the anonymous timeline page and the timeline
// API with the page cache off, on both backends, over the seed: "memo" as
// served (the register memo answers at the current state), "lean" with no
// memo, so every request reads and renders (what a change of the register
// costs once, and what a signed-in reader pays each time).
func BenchmarkTimeline(b *testing.B) {
	for _, backend := range []models.Backend{models.SQLite, models.Postgres} {
		s := testdb.New(b, backend)
		memo, _ := newTestApp(b, s)
		lean := leanApp(b, s)
		for _, route := range []struct{ name, path string }{{"page", "/"}, {"api", "/api/v1/timeline"}} {
			b.Run(fmt.Sprintf("%s/%s/memo", backend, route.name), func(b *testing.B) { benchGet(b, memo, route.path) })
			b.Run(fmt.Sprintf("%s/%s/lean", backend, route.name), func(b *testing.B) { benchGet(b, lean, route.path) })
		}
	}
}

// BenchmarkTimelineRegister measures the first page of the timeline as the
// register grows tenfold, on the lean path: with paging, the time per page
// should stay about flat (at most linear in the records, through the count).
func BenchmarkTimelineRegister(b *testing.B) {
	for _, n := range []int{500, 5000} {
		s := testdb.New(b, models.SQLite)
		newTestApp(b, s)
		publishGenerated(b, s, n)
		f := leanApp(b, s)
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) { benchGet(b, f, "/") })
	}
}

// leanApp is an app over s (already seeded) without the register memo.
func leanApp(t testing.TB, s *models.Store) *fiber.App {
	t.Helper()
	srv, f, err := newServer(Deps{Store: s, Config: webTestConfig, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv.memo = nil
	return f
}

func benchGet(b *testing.B, f *fiber.App, path string) {
	b.ReportAllocs()
	var size int64
	for b.Loop() {
		res, err := f.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil || res.StatusCode != 200 {
			b.Fatal(err, res.StatusCode)
		}
		size, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	b.ReportMetric(float64(size), "bytes/page")
}
