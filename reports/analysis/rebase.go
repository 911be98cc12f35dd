package analysis

import (
	"time"

	"github.com/strikeline/strikeline/reports/impact"
)

// Rebase is a logged event a planner marked as an SPC rebase point: the
// chart's centre line and limits restart at the period that contains Day.
type Rebase struct {
	Day   time.Time
	Title string
}

// Rebased recomputes chart c with a new group at each rebase that falls
// after its first period, and returns the rebases used. Each group's
// limits come from its first points before the event (as many as the
// event's own group has, so the event never sets its own limits); with no
// rebase in range c is returned as it is. eventStart is the first day of
// the event's window.
func Rebased(c *SPCChart, rebases []Rebase, eventStart time.Time, opt impact.SPCOptions) (*SPCChart, []Rebase) {
	if c == nil || len(c.Weeks) == 0 {
		return c, nil
	}
	var idx []int
	var used []Rebase
	for _, r := range rebases {
		i := periodIndex(c.Weeks, r.Day)
		if i <= 0 || (len(idx) > 0 && idx[len(idx)-1] == i) {
			continue
		}
		idx = append(idx, i)
		used = append(used, r)
	}
	if len(idx) == 0 {
		return c, nil
	}
	event := periodIndex(c.Weeks, eventStart)
	if event < 0 {
		event = len(c.Weeks)
	}
	groupStart := 0
	for _, i := range idx {
		if i <= event {
			groupStart = i
		}
	}
	values := make([]float64, len(c.Result.Points))
	for i, p := range c.Result.Points {
		values[i] = p.Value
	}
	opt.Rebase = idx
	// Limits from the points of the event's group before the event; a
	// group that starts at the event itself has no such points and takes
	// its limits from all its points.
	opt.BaselinePoints = event - groupStart
	if opt.BaselinePoints < 2 {
		opt.BaselinePoints = 0
	}
	r := impact.SPC(values, opt)
	from := max(0, min(event, len(values)))
	out := &SPCChart{Weeks: c.Weeks, Result: r, BaselineWeeks: opt.BaselinePoints, Signal: "Common Cause"}
	if from < len(values) {
		out.Signal = signal(r, from)
	}
	return out, used
}

// periodIndex is the index of the period (week or month starting at
// periods[i]) that contains d, or −1 when d is outside them all.
func periodIndex(periods []time.Time, d time.Time) int {
	d = impact.Civil(d)
	for i := len(periods) - 1; i >= 0; i-- {
		if !d.Before(periods[i]) {
			if i == len(periods)-1 && d.Sub(periods[i]) > 31*24*time.Hour {
				return -1
			}
			return i
		}
	}
	return -1
}
