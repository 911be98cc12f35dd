package svgchart

import (
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }

func wellFormed(t *testing.T, svg string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := dec.Token(); err != nil {
			if err == io.EOF {
				return
			}
			t.Fatalf("invalid SVG: %v\n%s", err, svg)
		}
	}
}

func TestDraw(t *testing.T) {
	var days []time.Time
	var obs, exp, lo, hi []DayValue
	for d := day("2025-07-01"); !d.After(day("2025-08-15")); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue // a working-day axis
		}
		days = append(days, d)
		obs = append(obs, DayValue{d, float64(1_000_000 + d.Day()*1000)})
		if d.After(day("2025-07-24")) && d.Before(day("2025-07-30")) {
			exp = append(exp, DayValue{d, 1_100_000})
			lo = append(lo, DayValue{d, 1_050_000})
			hi = append(hi, DayValue{d, 1_150_000})
		}
	}
	c := Chart{ID: "c1", Title: `Appointments <around> "round 12"`, Desc: "Daily & total", YLabel: "appointments a day", Days: days,
		Lines:    []Line{{Name: "Observed", Class: "observed", Points: obs}, {Name: "Expected", Class: "expected", Points: exp, Dashed: true}},
		Bands:    []Band{{Name: "95% prediction band", Lower: lo, Upper: hi}},
		Windows:  []Window{{From: day("2025-07-25"), To: day("2025-07-29"), Label: "Strike", Class: "window-action"}},
		Shades:   []Shade{{Day: day("2025-08-04"), Class: "holiday", Label: "Bank holiday"}},
		Markers:  []Marker{{Day: day("2025-07-26"), Label: "1", Title: "Event on a Saturday"}},
		Dots:     []Dot{{Day: day("2025-07-28"), Value: 1_028_000, Class: "special-low", Title: "Special cause"}},
		MarkGaps: true,
	}
	for _, sz := range []Size{Wide, Narrow} {
		svg := Draw(c, sz)
		wellFormed(t, svg)
		for _, want := range []string{
			`role="img"`, `<title id="c1-` + sz.Name + `-t">`, `Appointments &lt;around&gt; &#34;round 12&#34;`, `Daily &amp; total`,
			`class="window window-action"`, `Strike: 25 Jul 2025 to 29 Jul 2025`, `class="band"`, `class="line observed"`,
			`stroke-dasharray="6 4"`, `class="shade holiday"`, `class="gap"`, `<title>2 days left out</title>`, `Event on a Saturday`, `class="dot special-low"`, `1 Jul`, `font-size="13"`,
		} {
			if !strings.Contains(svg, want) {
				t.Errorf("%s SVG lacks %q", sz.Name, want)
			}
		}
		// No weekend is on the axis: the line has one point per listed day.
		if strings.Contains(svg, ">5 Jul<") {
			t.Errorf("%s: a Saturday has a tick", sz.Name)
		}
	}
	// Text stays at least 11 px at the smallest width the page's CSS shows
	// each size: narrow on a 390 px phone (page and figure padding take 58
	// px), wide just above the 48rem breakpoint (769 px less 74).
	shown := map[string]float64{"wide": 769 - 74, "narrow": 390 - 58}
	for _, sz := range []Size{Wide, Narrow} {
		if px := float64(sz.Font) * shown[sz.Name] / float64(sz.W); px < 11 {
			t.Errorf("%s: text %.1f px on screen", sz.Name, px)
		}
	}
	if Draw(Chart{Title: "empty"}, Wide) != "" {
		t.Error("no days should render nothing")
	}
}

func TestStepLineBreaksAtRebase(t *testing.T) {
	days := []time.Time{day("2025-01-06"), day("2025-01-13"), day("2025-01-20"), day("2025-01-27")}
	svg := Draw(Chart{ID: "s", Days: days, Lines: []Line{{Name: "Mean", Class: "mean", Step: true,
		Points: []DayValue{{days[0], 10}, {days[1], 10}, {days[2], 20}, {days[3], 20}}}}}, Wide)
	wellFormed(t, svg)
	// Two flat runs, two moves: no diagonal joins the groups.
	path := svg[strings.Index(svg, `class="line mean" d="`):]
	path = path[:strings.Index(path, `"><title>`)]
	if n := strings.Count(path, "M"); n != 2 {
		t.Errorf("step line has %d runs, want 2: %s", n, path)
	}
}

func TestAxisLabels(t *testing.T) {
	for _, c := range []struct {
		v, step float64
		pct     bool
		want    string
	}{{1_250_000, 50_000, false, "1.25M"}, {350_000, 50_000, false, "350k"}, {12, 2, false, "12"}, {0.045, 0.005, true, "4.5%"}, {0.04, 0.01, true, "4%"}} {
		if got := yLabel(c.v, c.step, c.pct); got != c.want {
			t.Errorf("yLabel(%v, %v) = %q, want %q", c.v, c.step, got, c.want)
		}
	}
	for _, c := range []struct{ in, want float64 }{{0, 1}, {7, 10}, {1.2e6, 2e6}, {450, 500}, {100, 100}} {
		if got := niceStep(c.in); got != c.want {
			t.Errorf("niceStep(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

var (
	windowLabelRE = regexp.MustCompile(`<text class="window-label" x="([0-9.]+)" y="([0-9.-]+)" text-anchor="(\w+)">([^<]*)</text>`)
	axisLabelRE   = regexp.MustCompile(`<text class="axis-label" x="([0-9.]+)" y="([0-9.]+)">([^<]*)</text>`)
)

// TestWindowLabelsClearOfAxisTitle: at both sizes the windows' labels
// (before, strike, recovery, as on a strike round's page) touch neither
// the y-axis title nor each other, and stay on the drawing; a crowd of
// windows lowers the plot instead of piling labels up.
func TestWindowLabelsClearOfAxisTitle(t *testing.T) {
	var days []time.Time
	var obs []DayValue
	for d := day("2025-07-11"); !d.After(day("2025-08-12")); d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			days = append(days, d)
			obs = append(obs, DayValue{d, 10_000})
		}
	}
	round := []Window{
		{From: day("2025-07-25"), To: day("2025-07-29"), Label: "Strike", Class: "window-action"},
		{From: day("2025-07-11"), To: day("2025-07-24"), Label: "Before", Class: "window-announce"},
		{From: day("2025-07-30"), To: day("2025-08-12"), Label: "Recovery", Class: "window-recovery"},
	}
	var crowd []Window
	for i, d := range []string{"2025-07-15", "2025-07-17", "2025-07-22", "2025-07-24"} {
		crowd = append(crowd, Window{From: day(d), To: day(d), Label: "Window number " + strconv.Itoa(i+1), Class: "window-action"})
	}
	for _, tc := range []struct {
		name    string
		windows []Window
		markers []Marker
	}{
		{"strike round", round, []Marker{{Day: day("2025-08-04"), Label: "BH", Title: "Bank holiday"}}},
		{"crowded", crowd, nil},
	} {
		for _, sz := range []Size{Wide, Narrow} {
			c := Chart{ID: "w", Days: days, YLabel: "attended appointments with a GP", Windows: tc.windows, Markers: tc.markers,
				Lines: []Line{{Name: "Observed", Class: "observed", Points: obs}}}
			svg := Draw(c, sz)
			wellFormed(t, svg)
			am := axisLabelRE.FindStringSubmatch(svg)
			if am == nil {
				t.Fatalf("%s %s: no axis title", tc.name, sz.Name)
			}
			ax, _ := strconv.ParseFloat(am[1], 64)
			ay, _ := strconv.ParseFloat(am[2], 64)
			boxes := []box{textBox(am[3], ax, ay, "start", sz.Font)}
			names := []string{"the y-axis title"}
			ms := windowLabelRE.FindAllStringSubmatch(svg, -1)
			if len(ms) != len(tc.windows) {
				t.Fatalf("%s %s: %d window labels, want %d", tc.name, sz.Name, len(ms), len(tc.windows))
			}
			for _, m := range ms {
				lx, _ := strconv.ParseFloat(m[1], 64)
				ly, _ := strconv.ParseFloat(m[2], 64)
				b := textBox(m[4], lx, ly, m[3], sz.Font)
				if b.y0 < 0 || b.x0 < 0 || b.x1 > float64(sz.W) {
					t.Errorf("%s %s: label %q off the drawing: %+v", tc.name, sz.Name, m[4], b)
				}
				for i, o := range boxes {
					if b.overlaps(o) {
						t.Errorf("%s %s: label %q overlaps %s", tc.name, sz.Name, m[4], names[i])
					}
				}
				boxes, names = append(boxes, b), append(names, strconv.Quote(m[4]))
			}
		}
	}
}
