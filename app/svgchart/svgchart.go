// Package svgchart draws small, accessible SVG charts of daily or weekly
// values on the server, so pages show activity without JavaScript. It is a
// pure function of its input: no database, no HTTP.
//
// A chart is drawn at one of two sizes (Wide for desktops, Narrow for
// phones) with the same font size in its own coordinates, so the text stays
// legible when the browser scales the picture to the screen: pages send
// both and let CSS show the one that fits.
package svgchart

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// DayValue is one day's figure (Day is a civil date at UTC midnight).
type DayValue struct {
	Day   time.Time
	Value float64
}

// Line is one series drawn as a line. Step draws each value as a flat
// segment across its day (control limits that change only at a rebase).
type Line struct {
	Name   string
	Class  string // CSS class, also the colour key: observed, expected, fitted, counterfactual, mean, limit, nearlimit
	Points []DayValue
	Dashed bool
	Step   bool
}

// Band is a shaded interval, e.g. a 95% prediction band.
type Band struct {
	Name         string
	Lower, Upper []DayValue // same days
}

// Window shades inclusive days and labels them at the top.
type Window struct {
	From, To time.Time
	Label    string
	Class    string // window-announce, window-action, window-recovery, window-post
}

// Shade marks single days behind everything (weekends, bank holidays).
type Shade struct {
	Day   time.Time
	Class string // weekend or holiday
	Label string // tooltip, e.g. "Bank holiday: Christmas Day"
}

// Marker is a labelled vertical line at a day (a logged event). Its Label
// is short (a number) and its Title the full text.
type Marker struct {
	Day          time.Time
	Label, Title string
	Class        string // marker or rebase
}

// Dot is a highlighted point (an SPC special cause).
type Dot struct {
	Day   time.Time
	Value float64
	Class string
	Title string
}

// Chart is everything one chart shows. Days are the x categories in
// order: values on a day not listed are not drawn, so a caller that lists
// only working days gets a working-day axis.
type Chart struct {
	ID      string // unique on the page; prefixes element ids
	Title   string
	Desc    string
	YLabel  string
	Percent bool // y values are fractions, labelled as percentages
	Days    []time.Time
	Lines   []Line
	Bands   []Band
	Windows []Window
	Shades  []Shade
	Markers []Marker
	Dots    []Dot
	// ZeroBased starts the y axis at zero.
	ZeroBased bool
	// MarkGaps draws a thin line wherever listed days skip calendar days
	// (a working-day axis skipping a weekend), so the reader sees where
	// days were left out.
	MarkGaps bool
}

// Size is a drawing size.
type Size struct {
	Name                     string
	W, H                     int
	Left, Right, Top, Bottom int
	XTicks, YTicks           int
	Font                     int
}

// The two sizes. Each is drawn in its own coordinates with a 13-unit
// font. The page's CSS shows Narrow up to 48rem (a 390 px phone gives it
// about 332 px: 12.7 px text) and Wide above (at least about 695 px: 11.9
// px text), so axis text never drops below 11 px.
var (
	Wide   = Size{Name: "wide", W: 760, H: 320, Left: 70, Right: 16, Top: 40, Bottom: 40, XTicks: 8, YTicks: 5, Font: 13}
	Narrow = Size{Name: "narrow", W: 340, H: 300, Left: 50, Right: 8, Top: 40, Bottom: 40, XTicks: 4, YTicks: 4, Font: 13}
)

// Draw returns the SVG markup of c at size sz. Every piece of text is
// escaped, so the result is safe to embed in HTML. It returns "" when c
// has no days.
func Draw(c Chart, sz Size) string {
	if len(c.Days) == 0 {
		return ""
	}
	idx := make(map[time.Time]int, len(c.Days))
	for i, d := range c.Days {
		idx[civil(d)] = i
	}
	plotW := float64(sz.W - sz.Left - sz.Right)
	n := float64(len(c.Days))
	slot := plotW / n
	x := func(i int) float64 { return float64(sz.Left) + slot*(float64(i)+0.5) }
	// The window labels decide how far down the plot starts: they sit in
	// rows above it, clear of the y-axis title and of each other.
	labels, plotTop := placeLabels(c, sz, x, slot)
	plotH := float64(sz.H) - plotTop - float64(sz.Bottom)

	lo, hi := math.Inf(1), math.Inf(-1)
	see := func(v float64) {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	seeAll := func(pts []DayValue) {
		for _, p := range pts {
			if _, ok := idx[civil(p.Day)]; ok {
				see(p.Value)
			}
		}
	}
	for _, l := range c.Lines {
		seeAll(l.Points)
	}
	for _, b := range c.Bands {
		seeAll(b.Lower)
		seeAll(b.Upper)
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	}
	if c.ZeroBased && lo > 0 {
		lo = 0
	}
	step := niceStep((hi - lo) / float64(sz.YTicks-1))
	yMin, yMax := math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	if yMax == yMin {
		yMax = yMin + step
	}
	y := func(v float64) float64 { return plotTop + plotH*(1-(v-yMin)/(yMax-yMin)) }
	top, bottom := plotTop, plotTop+plotH

	var b strings.Builder
	id := esc(c.ID + "-" + sz.Name)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-t %s-d" class="chart chart-%s" font-size="%d" font-family="system-ui, sans-serif">`,
		sz.W, sz.H, id, id, sz.Name, sz.Font)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(c.Title), id, esc(c.Desc))

	for _, s := range c.Shades {
		i, ok := idx[civil(s.Day)]
		if !ok {
			continue
		}
		fmt.Fprintf(&b, `<rect class="shade %s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s</title></rect>`,
			esc(s.Class), x(i)-slot/2, top, slot, plotH, esc(s.Label))
	}
	if c.MarkGaps {
		for i := 1; i < len(c.Days); i++ {
			skipped := int(civil(c.Days[i]).Sub(civil(c.Days[i-1])).Hours()/24) - 1
			if skipped <= 0 {
				continue
			}
			fmt.Fprintf(&b, `<line class="gap" x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f"><title>%s left out</title></line>`,
				x(i)-slot/2, x(i)-slot/2, top, bottom, esc(plural(skipped, "day", "days")))
		}
	}
	for wi, w := range c.Windows {
		i0, i1, ok := span(c.Days, w.From, w.To)
		if !ok {
			continue
		}
		x0, x1 := x(i0)-slot/2, x(i1)+slot/2
		fmt.Fprintf(&b, `<rect class="window %s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s: %s to %s</title></rect>`,
			esc(w.Class), x0, top, x1-x0, plotH, esc(w.Label), w.From.Format("2 Jan 2006"), w.To.Format("2 Jan 2006"))
		l := labels[wi]
		fmt.Fprintf(&b, `<text class="window-label" x="%.1f" y="%.1f" text-anchor="%s">%s</text>`, l.x, l.y, l.anchor, esc(w.Label))
	}

	// Y axis: gridlines with labels.
	for v := yMin; v <= yMax+step/2; v += step {
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/>`, sz.Left, sz.W-sz.Right, y(v), y(v))
		fmt.Fprintf(&b, `<text class="tick" x="%d" y="%.1f" text-anchor="end">%s</text>`, sz.Left-6, y(v)+4, yLabel(v, step, c.Percent))
	}
	if c.YLabel != "" {
		fmt.Fprintf(&b, `<text class="axis-label" x="%d" y="%d">%s</text>`, 4, sz.Font, esc(c.YLabel))
	}
	// X axis: a few date ticks.
	fmt.Fprintf(&b, `<line class="axis" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/>`, sz.Left, sz.W-sz.Right, bottom, bottom)
	every := max(1, int(math.Ceil(n/float64(sz.XTicks))))
	for i := 0; i < len(c.Days); i += every {
		fmt.Fprintf(&b, `<line class="axis" x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f"/>`, x(i), x(i), bottom, bottom+5)
		anchor := "middle"
		if i == 0 && x(i)-float64(sz.Left) < 20 {
			anchor = "start"
		}
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%.1f" text-anchor="%s">%s</text>`, x(i), bottom+float64(sz.Font)+6, anchor, c.Days[i].Format("2 Jan"))
	}

	for _, band := range c.Bands {
		for _, seg := range segments(idx, band.Upper) {
			lower := map[int]float64{}
			for _, p := range band.Lower {
				if i, ok := idx[civil(p.Day)]; ok {
					lower[i] = p.Value
				}
			}
			var pts []string
			for _, p := range seg {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(p.i), y(p.v)))
			}
			for k := len(seg) - 1; k >= 0; k-- {
				lv, ok := lower[seg[k].i]
				if !ok {
					lv = seg[k].v
				}
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(seg[k].i), y(lv)))
			}
			if len(seg) == 1 {
				// One day: a bar the width of its slot.
				p := seg[0]
				fmt.Fprintf(&b, `<rect class="band" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s</title></rect>`,
					x(p.i)-slot/4, y(p.v), slot/2, math.Max(0, y(lower[p.i])-y(p.v)), esc(band.Name))
				continue
			}
			fmt.Fprintf(&b, `<polygon class="band" points="%s"><title>%s</title></polygon>`, strings.Join(pts, " "), esc(band.Name))
		}
	}
	for _, l := range c.Lines {
		var d strings.Builder
		for _, seg := range segments(idx, l.Points) {
			for k, p := range seg {
				switch {
				case l.Step && k > 0 && seg[k-1].v == p.v:
					fmt.Fprintf(&d, "H%.1f ", x(p.i)+slot/2)
				case l.Step:
					fmt.Fprintf(&d, "M%.1f %.1fH%.1f ", x(p.i)-slot/2, y(p.v), x(p.i)+slot/2)
				case k == 0:
					fmt.Fprintf(&d, "M%.1f %.1f ", x(p.i), y(p.v))
				default:
					fmt.Fprintf(&d, "L%.1f %.1f ", x(p.i), y(p.v))
				}
			}
			if len(seg) == 1 && !l.Step {
				p := seg[0]
				fmt.Fprintf(&b, `<circle class="pt %s" cx="%.1f" cy="%.1f" r="3"/>`, esc(l.Class), x(p.i), y(p.v))
			}
		}
		if d.Len() == 0 {
			continue
		}
		dash := ""
		if l.Dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(&b, `<path class="line %s" d="%s"%s><title>%s</title></path>`, esc(l.Class), strings.TrimSpace(d.String()), dash, esc(l.Name))
	}
	for _, m := range c.Markers {
		i, ok := idx[civil(m.Day)]
		if !ok {
			i, ok = nearest(c.Days, m.Day)
		}
		if !ok {
			continue
		}
		fmt.Fprintf(&b, `<g class="%s"><title>%s</title><line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke-dasharray="3 3"/><text x="%.1f" y="%.1f" text-anchor="middle">%s</text></g>`,
			esc(nonEmpty(m.Class, "marker")), esc(m.Title), x(i), x(i), top, bottom, x(i), top-6, esc(m.Label))
	}
	for _, dt := range c.Dots {
		i, ok := idx[civil(dt.Day)]
		if !ok {
			continue
		}
		fmt.Fprintf(&b, `<circle class="dot %s" cx="%.1f" cy="%.1f" r="5"><title>%s</title></circle>`, esc(dt.Class), x(i), y(dt.Value), esc(dt.Title))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// label is a window label's place: its anchor point and alignment.
type label struct {
	x, y   float64
	anchor string
}

// box is the area a piece of text covers, in drawing units.
type box struct{ x0, x1, y0, y1 float64 }

func (a box) overlaps(b box) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }

// charEm is a generous average advance of the chart's sans-serif font
// (semi-bold labels included), in ems: estimates err towards more room.
const charEm = 0.62

// textBox is the box of text s at baseline y, anchored at x ("start",
// "middle" or "end"), at font size font: a cap height above the baseline
// and a descender below, with a little padding either side.
func textBox(s string, x, y float64, anchor string, font int) box {
	w := float64(utf8.RuneCountInString(s)) * charEm * float64(font)
	switch anchor {
	case "end":
		x -= w
	case "middle":
		x -= w / 2
	}
	f := float64(font)
	return box{x0: x - 2, x1: x + w + 2, y0: y - 0.8*f, y1: y + 0.25*f}
}

// axisTitleBox is where the y-axis title is drawn: at the top left.
func axisTitleBox(c Chart, sz Size) (box, bool) {
	if c.YLabel == "" {
		return box{}, false
	}
	return textBox(c.YLabel, 4, float64(sz.Font), "start", sz.Font), true
}

// placeLabels puts each window's label in the first row above the plot
// where it touches neither the y-axis title, a marker's label nor a label
// already placed; a label starts at its window, or ends at it when the
// window lies in the right part of the chart. When the rows the size
// leaves above the plot are not enough, the plot starts a row lower (at
// most three), so a narrow chart keeps every label readable. It returns
// the labels by window index and the top of the plot.
func placeLabels(c Chart, sz Size, x func(int) float64, slot float64) (map[int]label, float64) {
	rowH := float64(sz.Font + 2)
	var out map[int]label
	for extra := 0; extra <= 3; extra++ {
		top := float64(sz.Top) + float64(extra)*rowH
		var taken []box
		if t, ok := axisTitleBox(c, sz); ok {
			taken = append(taken, t)
		}
		for _, m := range c.Markers {
			if i, ok := nearest(c.Days, m.Day); ok {
				taken = append(taken, textBox(m.Label, x(i), top-6, "middle", sz.Font))
			}
		}
		out = map[int]label{}
		fits := true
		for wi, w := range c.Windows {
			i0, i1, ok := span(c.Days, w.From, w.To)
			if !ok {
				continue
			}
			x0, x1 := x(i0)-slot/2, x(i1)+slot/2
			l := label{x: x0, anchor: "start"}
			if x0 > float64(sz.W)*0.6 {
				l = label{x: x1, anchor: "end"}
			}
			placed := false
			for r := 0; ; r++ {
				l.y = top - 6 - float64(r)*rowH
				bx := textBox(w.Label, l.x, l.y, l.anchor, sz.Font)
				if bx.y0 < 0 {
					break // no row left above the plot
				}
				if !overlapsAny(bx, taken) {
					taken, placed = append(taken, bx), true
					break
				}
			}
			if !placed {
				fits = false
				l.y = top - 6 // the last resort, if even three rows do not do
			}
			out[wi] = l
		}
		if fits {
			return out, top
		}
	}
	return out, float64(sz.Top) + 3*rowH
}

func overlapsAny(b box, bs []box) bool {
	for _, o := range bs {
		if b.overlaps(o) {
			return true
		}
	}
	return false
}

// Both draws c at both sizes, wide first; the page's CSS shows one.
func Both(c Chart) string { return Draw(c, Wide) + Draw(c, Narrow) }

type pt struct {
	i int
	v float64
}

// segments splits pts into runs of consecutive x categories, so a line
// breaks where days are missing rather than bridging them.
func segments(idx map[time.Time]int, pts []DayValue) [][]pt {
	var out [][]pt
	var cur []pt
	for _, p := range pts {
		i, ok := idx[civil(p.Day)]
		if !ok || math.IsNaN(p.Value) || math.IsInf(p.Value, 0) {
			continue
		}
		if len(cur) > 0 && i != cur[len(cur)-1].i+1 {
			out = append(out, cur)
			cur = nil
		}
		cur = append(cur, pt{i, p.Value})
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// span finds the first and last listed days within [from, to].
func span(days []time.Time, from, to time.Time) (int, int, bool) {
	i0, i1 := -1, -1
	for i, d := range days {
		if !d.Before(civil(from)) && !d.After(civil(to)) {
			if i0 < 0 {
				i0 = i
			}
			i1 = i
		}
	}
	return i0, i1, i0 >= 0
}

// nearest is the first listed day on or after t (a marker on a weekend
// sits on the next working day), if t is within the chart.
func nearest(days []time.Time, t time.Time) (int, bool) {
	t = civil(t)
	if len(days) == 0 || t.Before(days[0]) || t.After(days[len(days)-1]) {
		return 0, false
	}
	for i, d := range days {
		if !d.Before(t) {
			return i, true
		}
	}
	return 0, false
}

func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func esc(s string) string { return html.EscapeString(s) }

// niceStep rounds v up to 1, 2 or 5 times a power of ten, so gridlines
// fall on round numbers.
func niceStep(v float64) float64 {
	if v <= 0 || math.IsNaN(v) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// yLabel writes axis values compactly: 1.2M, 350k, 12, 4.5%.
func yLabel(v, step float64, percent bool) string {
	if percent {
		dec := max(0, int(math.Ceil(-math.Log10(step*100)-1e-9)))
		return strconv.FormatFloat(v*100, 'f', dec, 64) + "%"
	}
	a := math.Abs(v)
	switch {
	case a >= 1e6:
		return trim(v/1e6, step/1e6) + "M"
	case a >= 1e3 && step >= 100:
		return trim(v/1e3, step/1e3) + "k"
	}
	return trim(v, step)
}

func trim(v, step float64) string {
	dec := max(0, int(math.Ceil(-math.Log10(step)-1e-9)))
	return strconv.FormatFloat(v, 'f', dec, 64)
}
