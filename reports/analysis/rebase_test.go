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
	chart := &SPCChart{Weeks: weeks, Result: impact.SPC(values, impact.SPCOptions{BaselinePoints: 20}), BaselineWeeks: 20}
	chart.Signal = signal(chart.Result, 20)
	c := spcView(chart)

	same, used := Rebased(c, nil, event, false)
	if same != c || used != nil {
		t.Fatal("no rebase must leave the chart as it is")
	}
	change := Rebase{Day: weeks[10].AddDate(0, 0, 2), Title: "New appointment categories"}
	outside := Rebase{Day: start.AddDate(-1, 0, 0), Title: "Long before"}
	// Without the rebase the new level is a special cause.
	if c.Signal == "Common Cause" {
		t.Fatal("the unrebased chart should flag the shifted weeks")
	}
	r, used := Rebased(c, []Rebase{outside, change}, event, false)
	if len(used) != 1 || used[0].Title != change.Title {
		t.Fatalf("rebases used = %+v, want only the one in range", used)
	}
	if m0, m1 := r.Points[9].Mean, r.Points[10].Mean; m0 > 102 || m1 < 140 || m1 > 142 {
		t.Errorf("centre line %.1f before and %.1f after the rebase, want ~101 and the new level ~141", m0, m1)
	}
	if r.BaselinePoint != 10 {
		t.Errorf("limits from %d weeks, want the 10 of the event's group before it", r.BaselinePoint)
	}
	for i, p := range r.Points[10:] {
		if p.Rule == string(impact.RuleOutsideLimits) {
			t.Errorf("week %d is outside the rebased limits", i+10)
		}
	}
	if r.Signal != "Common Cause" {
		t.Errorf("rebased signal %q, want Common Cause", r.Signal)
	}
}
