// Package holidays tells the impact math which civil dates are England &
// Wales bank holidays, so that baselines and time-series models can skip the
// days on which practices are mostly closed.
//
// The rules come from the maintained calendar github.com/rickar/cal/v2 (its gb
// package: the UK-wide holidays, i.e. the England & Wales set, with the
// weekend substitution days), plus a short explicit list of one-off days that
// the library does not carry. Only the substituted ("observed") dates are
// bank holidays: Christmas Day 2022 fell on a Sunday, so 25 December 2022 is
// not one, while 26 and 27 December 2022 are, exactly as GOV.UK lists them.
//
// Dates are civil dates: a time.Time is read as the calendar date it shows in
// its own location, so UTC midnight (Strikeline's convention for days) and
// Europe/London midnight both mean the same day.
package holidays

import (
	"sort"
	"sync"
	"time"

	"github.com/rickar/cal/v2/gb"
)

// oneOff lists bank holidays proclaimed for a single year that
// github.com/rickar/cal/v2/gb (v2.1.13) does not define. The library already
// has the 2020 VE Day move, the 2022 Spring Bank Holiday move and Platinum
// Jubilee (2 and 3 June 2022) and the Coronation (8 May 2023), and the test
// checks them; it lacks the State Funeral of Queen Elizabeth II, so it is
// added here. Add future one-off days here, with the GOV.UK source.
var oneOff = []struct {
	year  int
	month time.Month
	day   int
	name  string
}{
	// https://www.gov.uk/bank-holidays: "Bank Holiday for the State Funeral
	// of Queen Elizabeth II", Monday 19 September 2022.
	{2022, time.September, 19, "Bank Holiday for the State Funeral of Queen Elizabeth II"},
}

type key struct {
	month time.Month
	day   int
}

var (
	// mu guards byYear. The library's own cache (Calendar.Cacheable) is not
	// safe for concurrent use, so results are cached here per year instead;
	// Holiday.Calc itself is a pure function.
	mu     sync.RWMutex
	byYear = map[int]map[key]string{}
)

// year returns the bank holidays of one calendar year, keyed by month and
// day, with their names.
func year(y int) map[key]string {
	mu.RLock()
	m, ok := byYear[y]
	mu.RUnlock()
	if ok {
		return m
	}
	m = make(map[key]string, 12)
	for _, h := range gb.Holidays {
		// A substitute day can in principle land in the next or previous
		// year (the UK rules only move days forward, but checking the
		// neighbours keeps this right whatever the library's rules are).
		for _, cy := range []int{y - 1, y, y + 1} {
			_, observed := h.Calc(cy)
			if observed.IsZero() || observed.Year() != y {
				continue
			}
			m[key{observed.Month(), observed.Day()}] = h.Name
		}
	}
	for _, d := range oneOff {
		if d.year == y {
			m[key{d.month, d.day}] = d.name
		}
	}
	mu.Lock()
	byYear[y] = m
	mu.Unlock()
	return m
}

// IsBankHoliday reports whether the civil date of d is an England & Wales
// bank holiday.
func IsBankHoliday(d time.Time) bool {
	_, ok := lookup(d)
	return ok
}

// Name returns the name of the bank holiday on the civil date of d, or ""
// when the day is not one. Reports use it to explain why a day was skipped.
func Name(d time.Time) string {
	n, _ := lookup(d)
	return n
}

func lookup(d time.Time) (string, bool) {
	y, m, dd := d.Date()
	n, ok := year(y)[key{m, dd}]
	return n, ok
}

// Between returns the bank holidays from the civil date of from to the civil
// date of to, both inclusive, in ascending order, as UTC midnights. It returns
// nil when to is before from.
func Between(from, to time.Time) []time.Time {
	f, t := civil(from), civil(to)
	if t.Before(f) {
		return nil
	}
	var out []time.Time
	for y := f.Year(); y <= t.Year(); y++ {
		for k := range year(y) {
			d := time.Date(y, k.month, k.day, 0, 0, 0, 0, time.UTC)
			if !d.Before(f) && !d.After(t) {
				out = append(out, d)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// civil returns the calendar date shown by t, as UTC midnight.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
