package impact

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/strikeline/strikeline/reports/holidays"
)

// Point is one day's value of a metric. Day is a civil date (UTC midnight by
// convention; see the package comment).
type Point struct {
	Day   time.Time
	Value float64
}

// Series is a daily metric series. Points may come in any order and need not
// be contiguous: a day that is absent, or whose Value is NaN, is a missing
// day, and every method skips it rather than guessing a value. A Series must
// not hold the same day twice; the analysis functions return an error if it
// does, because a silently chosen duplicate would make results depend on
// input order.
type Series []Point

// Date returns the civil date y-m-d as UTC midnight, the form used for days
// throughout this package.
func Date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Civil returns the calendar date that t shows in its own location, as UTC
// midnight.
func Civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return Date(y, m, d)
}

// Sorted returns a copy of s in ascending day order with every Day
// normalised to UTC midnight.
func (s Series) Sorted() Series {
	out := make(Series, len(s))
	for i, p := range s {
		out[i] = Point{Day: Civil(p.Day), Value: p.Value}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Day.Before(out[j].Day) })
	return out
}

// Value returns the value on the civil date of day, and false when the day is
// missing (absent or NaN).
func (s Series) Value(day time.Time) (float64, bool) {
	d := toDay(day)
	for _, p := range s {
		if toDay(p.Day) == d && !math.IsNaN(p.Value) {
			return p.Value, true
		}
	}
	return 0, false
}

// Scale returns a copy of s with every value multiplied by k. Used to express
// a series per 1,000 patients, and by the tests' scaling property.
func (s Series) Scale(k float64) Series {
	out := make(Series, len(s))
	for i, p := range s {
		out[i] = Point{Day: p.Day, Value: p.Value * k}
	}
	return out
}

// Within returns the points of s whose day lies in r, in the order of s.
func (s Series) Within(r DateRange) Series {
	var out Series
	for _, p := range s {
		if r.Contains(p.Day) {
			out = append(out, p)
		}
	}
	return out
}

// ErrDuplicateDay is returned (wrapped) when a series holds a day twice.
var ErrDuplicateDay = errors.New("series holds the same day twice")

// index maps each day to its value, leaving out missing (NaN) values.
func (s Series) index() (map[day]float64, error) {
	m := make(map[day]float64, len(s))
	seen := make(map[day]struct{}, len(s))
	for _, p := range s {
		d := toDay(p.Day)
		if _, dup := seen[d]; dup {
			return nil, fmt.Errorf("%w: %s", ErrDuplicateDay, d)
		}
		seen[d] = struct{}{}
		if !math.IsNaN(p.Value) {
			m[d] = p.Value
		}
	}
	return m, nil
}

// DateRange is an inclusive range of civil dates, such as a strike window
// "13–16 March 2023" (From 13 March, To 16 March).
type DateRange struct {
	From time.Time
	To   time.Time
}

// Range returns the inclusive range of civil dates from..to.
func Range(from, to time.Time) DateRange {
	return DateRange{From: Civil(from), To: Civil(to)}
}

// Contains reports whether the civil date of t lies in r.
func (r DateRange) Contains(t time.Time) bool {
	return r.has(toDay(t))
}

func (r DateRange) has(d day) bool {
	return d >= toDay(r.From) && d <= toDay(r.To)
}

// Days returns the number of days in r (0 when To is before From).
func (r DateRange) Days() int {
	n := int(toDay(r.To)-toDay(r.From)) + 1
	return max(n, 0)
}

// Expand returns r widened by n days on each side.
func (r DateRange) Expand(n int) DateRange {
	return DateRange{From: Civil(r.From).AddDate(0, 0, -n), To: Civil(r.To).AddDate(0, 0, n)}
}

// Validate reports an error if r is empty or has zero ends.
func (r DateRange) Validate() error {
	if r.From.IsZero() || r.To.IsZero() {
		return errors.New("date range has a zero end")
	}
	if toDay(r.To) < toDay(r.From) {
		return fmt.Errorf("date range ends (%s) before it starts (%s)", Civil(r.To).Format(time.DateOnly), Civil(r.From).Format(time.DateOnly))
	}
	return nil
}

// String formats r as "2006-01-02..2006-01-02".
func (r DateRange) String() string {
	return Civil(r.From).Format(time.DateOnly) + ".." + Civil(r.To).Format(time.DateOnly)
}

// day is a civil date as a count of days since 1970-01-01. Integer days make
// "the same weekday k weeks earlier" plain arithmetic and avoid any DST or
// location surprises inside the calculations.
type day int

func toDay(t time.Time) day {
	return day(Civil(t).Unix() / 86400)
}

func (d day) time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// weekday works because 1970-01-01 was a Thursday.
func (d day) weekday() time.Weekday {
	return time.Weekday((int(d)%7 + 7 + 4) % 7)
}

func (d day) String() string { return d.time().Format(time.DateOnly) }

func (d day) bankHoliday() bool { return holidays.IsBankHoliday(d.time()) }

// workingDay reports whether practices are normally open: Monday to Friday
// and not an England & Wales bank holiday.
func (d day) workingDay() bool {
	wd := d.weekday()
	return wd != time.Saturday && wd != time.Sunday && !d.bankHoliday()
}

// inAny reports whether d lies in any of rs.
func inAny(d day, rs []DateRange) bool {
	for _, r := range rs {
		if r.has(d) {
			return true
		}
	}
	return false
}
