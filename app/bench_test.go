package app

import (
	"net/http/httptest"
	"testing"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// BenchmarkTimeline measures the anonymous timeline page on SQLite.
func BenchmarkTimeline(b *testing.B) {
	s := testdb.New(b, models.SQLite)
	f, _ := newTestApp(b, s)
	for b.Loop() {
		res, err := f.Test(httptest.NewRequest("GET", "/", nil), -1)
		if err != nil || res.StatusCode != 200 {
			b.Fatal(err, res.StatusCode)
		}
		res.Body.Close()
	}
}
