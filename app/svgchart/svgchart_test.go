package svgchart

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }

func TestRender(t *testing.T) {
	var pts []DayValue
	for d := day("2025-07-01"); !d.After(day("2025-08-15")); d = d.AddDate(0, 0, 1) {
		pts = append(pts, DayValue{Day: d, Value: float64(1_000_000 + d.Day()*1000)})
	}
	svg := Render(Spec{Title: `Appointments <around> "round 12"`, Desc: "Daily & total", YLabel: "appointments",
		Points: pts, BandFrom: day("2025-07-25"), BandTo: day("2025-07-29")})
	// Well-formed XML, so browsers and screen readers parse it.
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := dec.Token(); err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("invalid SVG: %v\n%s", err, svg)
		}
	}
	for _, want := range []string{
		`role="img"`, `<title id=`, `Appointments &lt;around&gt; &#34;round 12&#34;`, `<desc id=`, `Daily &amp; total`,
		`class="band"`, `Event window 25 Jul 2025 to 29 Jul 2025`, `1 Jul 25`, `<path d="M`, `1.5M`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if Render(Spec{Title: "empty"}) != "" {
		t.Error("no points should render nothing")
	}
}

func TestNiceCeil(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{{0, 1}, {7, 10}, {1.2e6, 2e6}, {450, 500}, {100, 100}} {
		if got := niceCeil(c.in); got != c.want {
			t.Errorf("niceCeil(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}
