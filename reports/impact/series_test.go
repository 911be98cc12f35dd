package impact

import (
	"errors"
	"math"
	"testing"
	"time"
)

func TestDayArithmetic(t *testing.T) {
	for d := Date(1969, 12, 1); d.Before(Date(2031, 1, 1)); d = d.AddDate(0, 0, 1) {
		dd := toDay(d)
		if dd.weekday() != d.Weekday() || !dd.time().Equal(d) {
			t.Fatalf("%s: weekday %v time %v", d, dd.weekday(), dd.time())
		}
	}
	// The binary embeds time/tzdata, so the zone always loads.
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	// Midnight in London in summer is 23:00 UTC the day before; the civil
	// date is what counts.
	if got := Civil(time.Date(2025, 7, 25, 0, 0, 0, 0, london)); !got.Equal(Date(2025, 7, 25)) {
		t.Errorf("Civil = %v", got)
	}
}

func TestSeriesHelpers(t *testing.T) {
	s := Series{{Day: Date(2025, 1, 3), Value: 3}, {Day: Date(2025, 1, 1), Value: 1}, {Day: Date(2025, 1, 2), Value: math.NaN()}}
	sorted := s.Sorted()
	if !sorted[0].Day.Equal(Date(2025, 1, 1)) || !sorted[2].Day.Equal(Date(2025, 1, 3)) || !s[0].Day.Equal(Date(2025, 1, 3)) {
		t.Errorf("Sorted %v (input must be unchanged: %v)", sorted, s)
	}
	if v, ok := s.Value(Date(2025, 1, 3)); !ok || v != 3 {
		t.Errorf("Value = %v, %v", v, ok)
	}
	if _, ok := s.Value(Date(2025, 1, 2)); ok {
		t.Error("a NaN day should be missing")
	}
	if got := s.Scale(2); got[0].Value != 6 || s[0].Value != 3 {
		t.Errorf("Scale: %v", got)
	}
	r := Range(Date(2025, 1, 2), Date(2025, 1, 3))
	if got := s.Within(r); len(got) != 2 || r.Days() != 2 || r.String() != "2025-01-02..2025-01-03" {
		t.Errorf("Within %v, Days %d, String %s", got, r.Days(), r)
	}
	if e := r.Expand(14); !e.From.Equal(Date(2024, 12, 19)) || !e.To.Equal(Date(2025, 1, 17)) {
		t.Errorf("Expand %v", e)
	}
	if _, err := append(s, Point{Day: Date(2025, 1, 1)}).index(); !errors.Is(err, ErrDuplicateDay) {
		t.Errorf("duplicate: %v", err)
	}
}
