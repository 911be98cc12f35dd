package svgchart

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Estimate is one row of a dot-and-whisker chart: a value with its
// interval, a label and, optionally, a link (e.g. /events/12).
type Estimate struct {
	Label               string
	Value, Lower, Upper float64
	Href                string
}

// DotSpec describes a dot-and-whisker chart: one row per estimate, top to
// bottom in the order given, values on a shared horizontal axis with a
// line at zero. Percent formats the axis as percentages of fractions.
type DotSpec struct {
	Title, Desc string
	XLabel      string
	Rows        []Estimate
	Percent     bool
}

// Dot-and-whisker geometry. The view box is narrow on purpose: scaled to a
// 390 px phone screen its 16-unit text is still about 12 px.
const (
	dotWidth  = 480
	dotLabelW = 165
	dotRight  = 30
	dotTop    = 10
	dotRowH   = 28
	dotBottom = 46
	// dotNoteH is the line that explains a clipped interval's arrow.
	dotNoteH = 22
)

// DotWhisker returns the SVG markup of s, or "" when it has no rows. Rows
// whose interval excludes zero are drawn solid, the others hollow, so the
// chart reads without colour.
func DotWhisker(s DotSpec) string {
	if len(s.Rows) == 0 {
		return ""
	}
	// A relative effect cannot fall below −100%, and an interval past
	// +100% says only that the round is unmeasurable on its own: one such
	// round would otherwise stretch the axis until every other dot sits on
	// zero. Intervals past the edge end in an arrow; the circle's title
	// and the table beside the chart give them in full.
	capLo, capHi := math.Inf(-1), math.Inf(1)
	if s.Percent {
		capLo, capHi = -1, 1
	}
	lo, hi := 0.0, 0.0
	for _, r := range s.Rows {
		for _, v := range []float64{r.Value, r.Lower, r.Upper} {
			if !math.IsInf(v, 0) && !math.IsNaN(v) {
				v = math.Max(capLo, math.Min(capHi, v))
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	step := 0.01
	if hi > lo {
		step = niceStep((hi - lo) / 4)
	}
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	if hi == lo {
		hi = lo + step
	}
	clipped := false
	for _, r := range s.Rows {
		clipped = clipped || r.Lower < lo || r.Upper > hi
	}
	h := dotTop + dotRowH*len(s.Rows) + dotBottom
	if clipped {
		h += dotNoteH
	}
	plotW := float64(dotWidth - dotLabelW - dotRight)
	plotBottom := float64(dotTop + dotRowH*len(s.Rows))
	x := func(v float64) float64 {
		v = math.Max(lo, math.Min(hi, v))
		return dotLabelW + plotW*(v-lo)/(hi-lo)
	}
	var b strings.Builder
	id := "d" + strconv.Itoa(len(s.Rows)) + strconv.Itoa(int(math.Abs(lo*1000)))
	// A picture with links in it is not an image to assistive technology
	// (role img hides its children): a group, so each row's link is
	// reachable and named by its label.
	role := "img"
	for _, r := range s.Rows {
		if r.Href != "" {
			role = "group"
		}
	}
	// Its largest size is the dot-chart class's in the stylesheet: the
	// pages' Content-Security-Policy ignores style attributes.
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="%s" aria-labelledby="%s-t %s-d" class="chart dot-chart">`, dotWidth, h, role, id, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(s.Title), id, esc(s.Desc))
	for v := lo; v <= hi+step/2; v += step {
		stroke, width := "#d0d4d9", 1
		if math.Abs(v) < step/1e6 {
			stroke, width = "#52606d", 2
		}
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%.1f" stroke="%s" stroke-width="%d"/>`, x(v), x(v), dotTop, plotBottom, stroke, width)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="16" fill="#1f2933">%s</text>`, x(v), plotBottom+18, axisLabel(v, s.Percent))
	}
	if s.XLabel != "" {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="16" fill="#1f2933">%s</text>`, dotLabelW+plotW/2, plotBottom+38, esc(s.XLabel))
	}
	for i, r := range s.Rows {
		cy := float64(dotTop + dotRowH*i + dotRowH/2)
		solid := r.Upper < 0 || r.Lower > 0
		fill := "#fff"
		if solid {
			fill = "#1d4f91"
		}
		if r.Href != "" {
			fmt.Fprintf(&b, `<a href="%s">`, esc(r.Href))
		}
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" font-size="16" fill="#1f2933">%s</text>`, 4, cy+5, esc(truncate(r.Label, 20)))
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#1d4f91" stroke-width="2"/>`, x(r.Lower), x(r.Upper), cy, cy)
		if r.Upper > hi {
			fmt.Fprintf(&b, `<path class="beyond" d="M%.1f %.1fl-8 -5v10z" fill="#1d4f91"/>`, x(hi)+2, cy)
		}
		if r.Lower < lo {
			fmt.Fprintf(&b, `<path class="beyond" d="M%.1f %.1fl8 -5v10z" fill="#1d4f91"/>`, x(lo)-2, cy)
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="5" fill="%s" stroke="#1d4f91" stroke-width="2"><title>%s: %s (95%% interval %s to %s)</title></circle>`,
			x(r.Value), cy, fill, esc(r.Label), axisLabel(r.Value, s.Percent), axisLabel(r.Lower, s.Percent), axisLabel(r.Upper, s.Percent))
		if r.Href != "" {
			b.WriteString(`</a>`)
		}
	}
	if clipped {
		fmt.Fprintf(&b, `<text x="4" y="%.1f" font-size="14" fill="#52606d">▶ interval runs past the chart: see the table</text>`, plotBottom+float64(dotBottom)+14)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func axisLabel(v float64, percent bool) string {
	if percent {
		r := math.Round(v*1000) / 10
		if r == 0 {
			r = 0 // no "−0%"
		}
		return strings.Replace(strconv.FormatFloat(r, 'f', -1, 64), "-", "−", 1) + "%"
	}
	return yLabel(v, 1, false)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
