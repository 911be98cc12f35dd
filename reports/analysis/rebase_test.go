package analysis

import (
	"testing"
	"time"

	"github.com/strikeline/strikeline/reports/impact"
)

// A level shift at a logged change reads as a special cause until the
// planner marks the change as a rebase point; then the limits restart
// there and the later weeks are common cause against their own normal.
func TestRebasedRestartsLimitsAtMarkedEvent(t *testing.T) {
	var weeks []time.Time
	var values []float64
	start := impact.Date(2025, 1, 6)
	for i := range 24 {
		weeks = append(weeks, start.AddDate(0, 0, 7*i))
		v := 100.0 + float64(i%3)
		if i >= 10 {
			v += 40 // the change moves the level
		}
		values = append(values, v)
	}
	event := weeks[20]
	c := &SPCChart{Weeks: weeks, Result: impact.SPC(values, impact.SPCOptions{BaselinePoints: 20}), BaselineWeeks: 20}
	c.Signal = signal(c.Result, 20)

	same, used := Rebased(c, nil, event, impact.SPCOptions{})
	if same != c || used != nil {
		t.Fatal("no rebase must leave the chart as it is")
	}
	change := Rebase{Day: weeks[10].AddDate(0, 0, 2), Title: "New appointment categories"}
	outside := Rebase{Day: start.AddDate(-1, 0, 0), Title: "Long before"}
	r, used := Rebased(c, []Rebase{outside, change}, event, impact.SPCOptions{})
	if len(used) != 1 || used[0].Title != change.Title {
		t.Fatalf("rebases used = %+v, want only the one in range", used)
	}
	if len(r.Result.Groups) != 2 || r.Result.Groups[1].Start != 10 {
		t.Fatalf("groups = %+v, want a new group at week 10", r.Result.Groups)
	}
	if g := r.Result.Groups[1]; g.Mean < 140 || g.Mean > 142 {
		t.Errorf("second group mean %.1f, want the new level (~141)", g.Mean)
	}
	if r.BaselineWeeks != 10 {
		t.Errorf("limits from %d weeks, want the 10 of the event's group before it", r.BaselineWeeks)
	}
	for i, p := range r.Result.Points[10:] {
		if p.Rule == impact.RuleOutsideLimits {
			t.Errorf("week %d is outside the rebased limits", i+10)
		}
	}
}
