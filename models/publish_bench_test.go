package models_test

import (
	"context"
	"testing"

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
		b.Run(string(backend)+"/cache-state", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.CacheState(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
