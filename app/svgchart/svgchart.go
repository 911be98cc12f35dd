// Package svgchart draws small, accessible SVG line charts of daily values
// on the server, so pages show activity without JavaScript. It is a pure
// function of its input: no database, no HTTP.
package svgchart

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"time"
)

// DayValue is one day's figure (Day is a civil date at UTC midnight).
type DayValue struct {
	Day   time.Time
	Value float64
}

// Spec describes a chart. Band marks the event window (inclusive days);
// leave it zero for none.
type Spec struct {
	Title, Desc      string
	YLabel           string
	Points           []DayValue
	BandFrom, BandTo time.Time
	Width, Height    int
}

// Chart geometry: margins leave room for the axis labels.
const (
	marginLeft   = 64
	marginRight  = 36
	marginTop    = 16
	marginBottom = 40
)

// Render returns the SVG markup of s. Every piece of text is escaped, so the
// result is safe to embed in HTML. It returns "" when there are no points.
func Render(s Spec) string {
	if len(s.Points) == 0 {
		return ""
	}
	w, h := s.Width, s.Height
	if w <= 0 {
		w = 720
	}
	if h <= 0 {
		h = 260
	}
	pts := s.Points
	first, last := pts[0].Day, pts[0].Day
	maxV := 0.0
	for _, p := range pts {
		if p.Day.Before(first) {
			first = p.Day
		}
		if p.Day.After(last) {
			last = p.Day
		}
		maxV = math.Max(maxV, p.Value)
	}
	// One extra day so the last point and an inclusive band end fit.
	span := last.Sub(first).Hours()/24 + 1
	plotW := float64(w - marginLeft - marginRight)
	plotH := float64(h - marginTop - marginBottom)
	yMax := niceCeil(maxV)
	x := func(t time.Time) float64 { return marginLeft + plotW*(t.Sub(first).Hours()/24+0.5)/span }
	y := func(v float64) float64 { return marginTop + plotH*(1-v/yMax) }

	var b strings.Builder
	id := "c" + strconv.FormatInt(first.Unix()%1e6, 36)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-t %s-d" class="chart">`, w, h, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(s.Title), id, esc(s.Desc))
	// Event window.
	if !s.BandFrom.IsZero() && !s.BandTo.IsZero() {
		x0 := x(s.BandFrom) - plotW/span/2
		x1 := x(s.BandTo) + plotW/span/2
		x0, x1 = math.Max(x0, marginLeft), math.Min(x1, float64(w-marginRight))
		if x1 > x0 {
			fmt.Fprintf(&b, `<rect class="band" x="%.1f" y="%d" width="%.1f" height="%.0f" fill="#f4d6c6"><title>Event window %s to %s</title></rect>`,
				x0, marginTop, x1-x0, plotH, s.BandFrom.Format("2 Jan 2006"), s.BandTo.Format("2 Jan 2006"))
		}
	}
	// Y axis: five gridlines with labels.
	for i := 0; i <= 4; i++ {
		v := yMax * float64(i) / 4
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#d0d4d9" stroke-width="1"/>`, marginLeft, w-marginRight, y(v), y(v))
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" font-size="12" fill="#1f2933">%s</text>`, marginLeft-6, y(v)+4, formatNum(v))
	}
	if s.YLabel != "" {
		fmt.Fprintf(&b, `<text x="14" y="%.1f" transform="rotate(-90 14 %.1f)" text-anchor="middle" font-size="12" fill="#1f2933">%s</text>`,
			marginTop+plotH/2, marginTop+plotH/2, esc(s.YLabel))
	}
	// X axis: about six date ticks.
	days := int(span)
	step := max(1, days/6)
	fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#52606d" stroke-width="1"/>`, marginLeft, w-marginRight, marginTop+plotH, marginTop+plotH)
	for d := 0; d < days; d += step {
		t := first.AddDate(0, 0, d)
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#52606d"/>`, x(t), x(t), marginTop+plotH, marginTop+plotH+5)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="12" fill="#1f2933">%s</text>`, x(t), marginTop+plotH+20, t.Format("2 Jan 06"))
	}
	// The series.
	var path strings.Builder
	for i, p := range pts {
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		fmt.Fprintf(&path, "%s%.1f %.1f ", cmd, x(p.Day), y(p.Value))
	}
	fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="#1d4f91" stroke-width="2"/>`, strings.TrimSpace(path.String()))
	b.WriteString(`</svg>`)
	return b.String()
}

func esc(s string) string { return html.EscapeString(s) }

// niceCeil rounds v up to 1, 2 or 5 times a power of ten, so gridlines fall
// on round numbers.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// formatNum writes axis values compactly: 1.2M, 350k, 12.
func formatNum(v float64) string {
	switch {
	case v >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', -1, 64) + "M"
	case v >= 1e3:
		return strconv.FormatFloat(v/1e3, 'f', -1, 64) + "k"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
