package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// BenchmarkTimelineRead compares the public read of the whole seeded
// timeline from the published register (one table, documents decoded) with
// the anchor in the same run: the working copies with their sources, which
// is what the public read before the register existed.
//
//	go test ./models -run '^$' -bench TimelineRead -benchtime 200x
func BenchmarkTimelineRead(b *testing.B) {
	for _, backend := range testdb.Backends {
		s := testdb.New(b, backend)
		ctx := context.Background()
		if _, err := s.LoadSeed(ctx); err != nil {
			b.Fatal(err)
		}
		cases := []struct {
			name string
			f    models.EventFilter
		}{
			{"working-copies-anchor", models.EventFilter{Working: true, Limit: 1000}},
			{"published", models.EventFilter{Limit: 1000}},
			{"published-as-of-1", models.EventFilter{Limit: 1000, AsOf: 1}},
		}
		for _, c := range cases {
			b.Run(string(backend)+"/"+c.name, func(b *testing.B) {
				for b.Loop() {
					list, _, err := s.ListEvents(ctx, c.f)
					if err != nil || len(list) == 0 {
						b.Fatal(err, len(list))
					}
				}
			})
		}
	}
}

// BenchmarkCacheState measures the state every anonymous request reads
// (for its ETag and the register memo), against a primary-key lookup of
// the latest register version in the same run.
//
//	go test ./models -run '^$' -bench CacheState
func BenchmarkCacheState(b *testing.B) {
	for _, backend := range testdb.Backends {
		s := testdb.New(b, backend)
		ctx := context.Background()
		if _, err := s.LoadSeed(ctx); err != nil {
			b.Fatal(err)
		}
		b.Run(string(backend)+"/register-version-anchor", func(b *testing.B) {
			for b.Loop() {
				var v int
				if err := models.DBForTest(s).WithContext(ctx).Raw("SELECT MAX(version) FROM register_versions").Row().Scan(&v); err != nil {
					b.Fatal(err)
				}
			}
		})
		cacheState := func(b *testing.B) {
			for b.Loop() {
				if _, err := s.CacheState(ctx); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.Run(string(backend)+"/cache-state", cacheState)
		// The register grown to 5,000 more records: the read must not
		// grow with it.
		rows := make([]models.ImportRow, 5000)
		for i := range rows {
			day := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
			doc := models.EventDoc{Kind: models.KindStrikeRound, Title: fmt.Sprintf("Generated round %d", i),
				Start: day.Format("2006-01-02T07:00"), End: day.AddDate(0, 0, 2).Format("2006-01-02T07:00"),
				StaffGroup: "resident_doctors", ActionType: "full_walkout", Unions: []string{"BMA"},
				Sources: []models.Source{{URL: fmt.Sprintf("https://www.bma.org.uk/news/%d", i), Title: "BMA announcement"}}}
			rows[i] = models.ImportRow{Line: i + 2, Key: fmt.Sprintf("gen-%d", i), Apply: func(models.EventDoc) (models.EventDoc, error) { return doc, nil }}
		}
		if _, err := s.ImportEvents(ctx, rows, models.ImportOptions{Actor: "bench", Publish: true}); err != nil {
			b.Fatal(err)
		}
		b.Run(string(backend)+"/cache-state-5000-more", cacheState)
	}
}
