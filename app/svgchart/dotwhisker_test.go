package svgchart

import (
	"strings"
	"testing"
)

func TestDotWhisker(t *testing.T) {
	if DotWhisker(DotSpec{}) != "" {
		t.Error("no rows should draw nothing")
	}
	svg := DotWhisker(DotSpec{Title: "Rounds <1>", Desc: "d", Percent: true, Rows: []Estimate{
		{Label: "Round 1 <script>", Value: -0.15, Lower: -0.17, Upper: -0.13, Href: "/events/1"},
		{Label: "Round 2", Value: -0.01, Lower: -0.04, Upper: 0.02, Href: "/events/2"},
	}})
	for _, want := range []string{`<a href="/events/1">`, "Round 1 &lt;script&gt;", "Rounds &lt;1&gt;", `fill="#1d4f91"`, `fill="#fff"`, "−15%", ">0%<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
	if strings.Contains(svg, "<script>") || strings.Contains(svg, "−0%") {
		t.Error("unescaped label or a negative zero")
	}
}

// One round with an unmeasurably wide interval does not squash the
// others: the axis stops at ±100%, the interval ends in an arrow with a
// note saying so, and its true bounds stay in the circle's title.
func TestDotWhiskerClipsWideIntervals(t *testing.T) {
	rows := []Estimate{
		{Label: "Round 3", Value: 0.075, Lower: -0.416, Upper: 5.744},
		{Label: "Round 4", Value: -0.098, Lower: -0.215, Upper: 0.061},
	}
	svg := DotWhisker(DotSpec{Percent: true, Rows: rows})
	for _, want := range []string{">100%<", `class="beyond"`, "runs past the chart", "574.4%"} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
	for _, not := range []string{">200%<", ">600%<", "style="} {
		if strings.Contains(svg, not) {
			t.Errorf("chart has %q", not)
		}
	}
	// Intervals within the axis draw no arrow and no note.
	if svg := DotWhisker(DotSpec{Percent: true, Rows: rows[1:]}); strings.Contains(svg, "beyond") || strings.Contains(svg, "runs past") {
		t.Error("an interval inside the axis was marked as running past it")
	}
}
