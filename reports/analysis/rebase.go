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

// Rebased recomputes the XmR chart sv with a new group at each rebase that
// falls after its first period, and returns the rebases used. Each group's
// limits come from its first points before the event (as many as the
// event's own group has, so the event never sets its own limits); with no
// rebase in range sv is returned as it is. eventStart is the first day of
// the event's window; screen is the moving-range screening option the
// chart was drawn with.
func Rebased(sv *SPCView, rebases []Rebase, eventStart time.Time, screen bool) (*SPCView, []Rebase) {
	if sv == nil || len(sv.Points) == 0 {
		return sv, nil
	}
	periods := make([]time.Time, len(sv.Points))
	values := make([]float64, len(sv.Points))
	for i, p := range sv.Points {
		periods[i], _ = time.Parse(time.DateOnly, p.Period)
		values[i] = p.Value
	}
	var idx []int
	var used []Rebase
	for _, r := range rebases {
		i := PeriodIndex(periods, r.Day)
		if i <= 0 || (len(idx) > 0 && idx[len(idx)-1] == i) {
			continue
		}
		idx = append(idx, i)
		used = append(used, r)
	}
	if len(idx) == 0 {
		return sv, nil
	}
	event := PeriodIndex(periods, eventStart)
	if event < 0 {
		event = len(periods)
	}
	groupStart := 0
	for _, i := range idx {
		if i <= event {
			groupStart = i
		}
	}
	opt := impact.SPCOptions{ScreenMovingRanges: screen, Rebase: idx}
	// Limits from the points of the event's group before the event; a
	// group that starts at the event itself has no such points and takes
	// its limits from all its points.
	opt.BaselinePoints = event - groupStart
	if opt.BaselinePoints < 2 {
		opt.BaselinePoints = 0
	}
	r := impact.SPC(values, opt)
	out := &SPCView{Signal: "Common Cause", BaselinePoint: opt.BaselinePoints, Formula: r.Method}
	if event < len(values) {
		out.Signal = signal(r, event)
	}
	for i, p := range r.Points {
		out.Points = append(out.Points, SPCPointView{Period: sv.Points[i].Period, Value: p.Value, Mean: p.Mean, UPL: p.UPL, LPL: p.LPL,
			Rule: string(p.Rule), Label: p.Label})
	}
	return out, used
}

// PeriodIndex is the index of the period (week or month starting at
// periods[i]) that contains d, or −1 when d is outside them all.
func PeriodIndex(periods []time.Time, d time.Time) int {
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
