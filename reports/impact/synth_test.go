package impact

import (
	"math/rand/v2"
	"time"

	"github.com/strikeline/strikeline/reports/holidays"
)

// weekdayFactor is a GP-like weekly pattern (Sunday first, as time.Weekday):
// Monday busiest, Friday lighter, weekends nearly closed.
var weekdayFactor = [7]float64{0.02, 1.12, 1.02, 0.99, 1.0, 0.93, 0.06}

// synthetic returns a daily series from..to: level 20,000 × weekday factor ×
// (1 + noise), noise normal with standard deviation noiseSD, from a fixed
// seed so every run sees the same numbers. Bank holidays get 5% of a normal
// day, as practices are mostly closed, so a baseline that failed to skip
// them would be visibly wrong.
func synthetic(from, to time.Time, noiseSD float64, seed uint64) Series {
	rng := rand.New(rand.NewPCG(seed, 0x5157_4b45))
	var s Series
	for d := Civil(from); !d.After(Civil(to)); d = d.AddDate(0, 0, 1) {
		v := 20000 * weekdayFactor[d.Weekday()] * (1 + noiseSD*rng.NormFloat64())
		if holidays.IsBankHoliday(d) {
			v *= 0.05
		}
		s = append(s, Point{Day: d, Value: v})
	}
	return s
}

// withFactor returns a copy of s with the values in r multiplied by k.
func withFactor(s Series, r DateRange, k float64) Series {
	out := make(Series, len(s))
	copy(out, s)
	for i, p := range out {
		if r.Contains(p.Day) {
			out[i].Value = p.Value * k
		}
	}
	return out
}

// withValue returns a copy of s with the value on day replaced.
func withValue(s Series, day time.Time, v float64) Series {
	out := make(Series, len(s))
	copy(out, s)
	for i, p := range out {
		if Civil(p.Day).Equal(Civil(day)) {
			out[i].Value = v
		}
	}
	return out
}
