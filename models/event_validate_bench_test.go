package models

import (
	"encoding/json"
	"testing"
)

// Benchmarks of reading and validating one event document (a strike
// round with a source). The anchor is encoding/json's plain Unmarshal of
// the same document, measured in the same run, so results from different
// machines compare as ratios:
//
//	go test ./models -run '^$' -bench 'DocAnchor|DecodeDoc|ToEvent' -benchmem -count 5
func BenchmarkDocAnchor(b *testing.B) {
	body := []byte(docSeeds[0])
	b.ReportAllocs()
	for b.Loop() {
		var d EventDoc
		if err := json.Unmarshal(body, &d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeDoc(b *testing.B) {
	body := []byte(docSeeds[0])
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeDoc(body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkToEvent(b *testing.B) {
	d, err := DecodeDoc([]byte(docSeeds[0]))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.ToEvent(); err != nil {
			b.Fatal(err)
		}
	}
}
