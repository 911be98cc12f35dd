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
