package impact

import (
	"fmt"
	"math"
	"sort"
)

// XmR constants used by NHS "Making Data Count" and NHSRplotthedots.
const (
	// LimitFactor scales the mean moving range to the process limits
	// (3 / d2 with d2 = 1.128).
	LimitFactor = 2.66
	// NearLimitFactor scales it to the "2-sigma" near-limit lines.
	NearLimitFactor = 2 * LimitFactor / 3
	// ScreenFactor is the moving-range screening threshold: moving ranges at
	// or above ScreenFactor × mean MR are dropped when screening.
	ScreenFactor = 3.267
	// ShortGroup is the group size below which NHSRplotthedots warns that
	// limits are trial limits.
	ShortGroup = 12
)

// Rule names the special-cause rule that labels a point.
type Rule string

// The rules, in label precedence order (DOMAIN §4.3).
const (
	RuleNone          Rule = ""
	RuleOutsideLimits Rule = "outside_limits"
	RuleTrend         Rule = "trend"
	RuleTwoOfThree    Rule = "two_of_three"
	RuleShift         Rule = "shift"
)

// SPCOptions tunes SPC. The zero value matches the MDC Excel tool: no
// moving-range screening, every point of a group in its centre line, no
// rebasing, no improvement direction.
type SPCOptions struct {
	// ScreenMovingRanges drops moving ranges ≥ 3.267 × mean MR and recomputes
	// the mean MR (NHSRplotthedots' screen_outliers). Off by default here so
	// results match the MDC Excel tool.
	ScreenMovingRanges bool
	// BaselinePoints, when positive, computes each group's mean and moving
	// ranges from its first BaselinePoints points only and keeps those
	// limits for the rest of the group (NHSRplotthedots'
	// fix_after_n_points).
	BaselinePoints int
	// Rebase lists the indices at which a new group starts: mean, limits and
	// rules restart there. Index 0 and indices out of range are ignored.
	Rebase []int
	// Improvement is +1 when higher is better, −1 when lower is better and 0
	// when neither; it only affects SPCPoint.PointType.
	Improvement int
}

// SPCGroup is one rebase group's centre line and limits.
type SPCGroup struct {
	Start, End int // indices of the first and last point, inclusive
	// BaselineN is the number of points the centre line was computed from.
	BaselineN int
	Mean      float64
	// MeanMR is the mean moving range after any screening; MRUsed and
	// MRDropped count the moving ranges kept and screened out.
	MeanMR    float64
	MRUsed    int
	MRDropped int
	UPL, LPL  float64 // process limits: Mean ± 2.66·MeanMR
	NearUPL   float64 // Mean + (2·2.66/3)·MeanMR
	NearLPL   float64 // Mean − (2·2.66/3)·MeanMR
}

// SPCPoint is one point of an XmR chart with its group's lines and flags.
type SPCPoint struct {
	Index int
	Value float64
	Group int // index into SPCResult.Groups

	Mean, UPL, LPL, NearUPL, NearLPL float64

	// MovingRange is |x_i − x_{i−1}| within the group; HasMovingRange is
	// false for a group's first point.
	MovingRange    float64
	HasMovingRange bool

	RelativeToMean int  // +1 above, −1 below, 0 on the mean
	CloseToLimits  bool // beyond a near-limit line but not beyond the limit

	// The rules that fire on this point (several may).
	OutsideLimits bool
	Trend         bool
	TwoOfThree    bool
	Shift         bool

	// Rule is the one that labels the point, by precedence outside limits,
	// trend, two-of-three, shift.
	Rule Rule
	// Label is NHSRplotthedots' special_cause_type text, e.g. "Above UCL",
	// "7 Point Trend (Increasing)", "2 in 3 Below CL", "7 Points Above CL" or
	// "Common Cause".
	Label string
	// PointType is NHSRplotthedots' point_type: "common_cause",
	// "special_cause_improvement", "special_cause_concern" or, with no
	// improvement direction, "special_cause_neutral_high"/"_low".
	PointType string
}

// SPCResult is a computed XmR chart.
type SPCResult struct {
	Points   []SPCPoint
	Groups   []SPCGroup
	Screened bool // whether moving-range screening was applied
	// Warnings flag groups too short for stable limits and non-finite values.
	Warnings []string
	// Method states the calculation in words, for the chart's footnote.
	Method string
}

// SPC computes an XmR (individuals) chart of values as NHSRplotthedots does
// (DOMAIN §4.3): per group, centre line = mean of the baseline points, moving
// ranges |x_i − x_{i−1}|, limits mean ± 2.66·mean(MR), near-limit lines
// mean ± (2·2.66/3)·mean(MR), and the special-cause rules
//
//   - outside limits: a point strictly above the upper or below the lower limit;
//   - shift: 7 consecutive points on the same side of the mean (a point on the
//     mean breaks the run), all 7 flagged;
//   - trend: 7 consecutive points each strictly above (or below) the one
//     before, all 7 flagged;
//   - two of three: a run of 3 consecutive points all on the same side of the
//     mean of which at least 2 are beyond the near-limit line but not beyond
//     the limit; those close points are flagged. (NHSRplotthedots requires
//     the third point to be on the same side too, and so does this.)
//
// Rules never look across a rebase boundary. Values must be finite: a NaN or
// infinite value makes its group's lines meaningless, and a warning says so.
func SPC(values []float64, opts SPCOptions) SPCResult {
	res := SPCResult{Screened: opts.ScreenMovingRanges, Points: make([]SPCPoint, len(values))}
	res.Method = spcMethod(opts)
	if len(values) == 0 {
		return res
	}
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			res.Warnings = append(res.Warnings, fmt.Sprintf("value %d is not finite (%v): its group's lines are meaningless", i, v))
		}
	}
	for gi, b := range groupBounds(len(values), opts.Rebase) {
		g := xmrGroup(values, b[0], b[1], opts)
		res.Groups = append(res.Groups, g)
		if n := g.End - g.Start + 1; n < ShortGroup {
			res.Warnings = append(res.Warnings, fmt.Sprintf(
				"group %d (points %d–%d) has %d points, fewer than %d: its limits are trial limits", gi, g.Start, g.End, n, ShortGroup))
		}
		flagGroup(values, g, gi, res.Points, opts.Improvement)
	}
	return res
}

// groupBounds splits 0..n−1 at the rebase indices.
func groupBounds(n int, rebase []int) [][2]int {
	starts := []int{0}
	rs := append([]int(nil), rebase...)
	sort.Ints(rs)
	for _, r := range rs {
		if r > 0 && r < n && r != starts[len(starts)-1] {
			starts = append(starts, r)
		}
	}
	out := make([][2]int, len(starts))
	for i, s := range starts {
		end := n - 1
		if i+1 < len(starts) {
			end = starts[i+1] - 1
		}
		out[i] = [2]int{s, end}
	}
	return out
}

// xmrGroup computes one group's lines from values[start..end].
func xmrGroup(values []float64, start, end int, opts SPCOptions) SPCGroup {
	g := SPCGroup{Start: start, End: end}
	base := end
	if opts.BaselinePoints > 0 {
		base = min(end, start+opts.BaselinePoints-1)
	}
	g.BaselineN = base - start + 1
	for i := start; i <= base; i++ {
		g.Mean += values[i]
	}
	g.Mean /= float64(g.BaselineN)

	var mrs []float64
	for i := start + 1; i <= base; i++ {
		mrs = append(mrs, math.Abs(values[i]-values[i-1]))
	}
	g.MeanMR, g.MRUsed = meanOf(mrs), len(mrs)
	if opts.ScreenMovingRanges && len(mrs) > 0 {
		limit := ScreenFactor * g.MeanMR
		var kept []float64
		for _, mr := range mrs {
			if mr < limit {
				kept = append(kept, mr)
			}
		}
		g.MeanMR, g.MRUsed, g.MRDropped = meanOf(kept), len(kept), len(mrs)-len(kept)
	}
	g.UPL, g.LPL = g.Mean+LimitFactor*g.MeanMR, g.Mean-LimitFactor*g.MeanMR
	g.NearUPL, g.NearLPL = g.Mean+NearLimitFactor*g.MeanMR, g.Mean-NearLimitFactor*g.MeanMR
	return g
}

// meanOf returns the mean of xs, or NaN for none (a one-point group has no
// moving range, hence no limits).
func meanOf(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// flagGroup fills the points of group g and applies the rules within it.
func flagGroup(values []float64, g SPCGroup, gi int, pts []SPCPoint, improvement int) {
	y := values[g.Start : g.End+1]
	n := len(y)
	out := pts[g.Start : g.End+1]
	for i, v := range y {
		p := SPCPoint{
			Index: g.Start + i, Value: v, Group: gi,
			Mean: g.Mean, UPL: g.UPL, LPL: g.LPL, NearUPL: g.NearUPL, NearLPL: g.NearLPL,
		}
		if i > 0 {
			p.MovingRange, p.HasMovingRange = math.Abs(v-y[i-1]), true
		}
		p.OutsideLimits = v > g.UPL || v < g.LPL
		p.RelativeToMean = sign(v - g.Mean)
		p.CloseToLimits = !p.OutsideLimits && (v < g.NearLPL || v > g.NearUPL)
		out[i] = p
	}

	// Shift: a point ends a run if it and the 6 before share a non-zero side.
	for i := 6; i < n; i++ {
		s := out[i].RelativeToMean
		run := s != 0
		for k := 1; k <= 6 && run; k++ {
			run = out[i-k].RelativeToMean == s
		}
		if run {
			for k := 0; k <= 6; k++ {
				out[i-k].Shift = true
			}
		}
	}

	// Trend: 6 consecutive strict steps in one direction.
	for i := 6; i < n; i++ {
		dir := sign(y[i] - y[i-1])
		run := dir != 0
		for k := 1; k <= 5 && run; k++ {
			run = sign(y[i-k]-y[i-k-1]) == dir
		}
		if run {
			for k := 0; k <= 6; k++ {
				out[i-k].Trend = true
			}
		}
	}

	// Two of three: any window of 3 with all points on one side of the mean
	// and at least 2 close to the limits flags its close points.
	for i := 0; i+2 < n; i++ {
		side := out[i].RelativeToMean + out[i+1].RelativeToMean + out[i+2].RelativeToMean
		close := 0
		for k := i; k <= i+2; k++ {
			if out[k].CloseToLimits {
				close++
			}
		}
		if (side == 3 || side == -3) && close >= 2 {
			for k := i; k <= i+2; k++ {
				if out[k].CloseToLimits {
					out[k].TwoOfThree = true
				}
			}
		}
	}

	for i := range out {
		p := &out[i]
		above := "Below"
		if p.RelativeToMean > 0 {
			above = "Above"
		}
		direction := 0 // +1 high/increasing, −1 low/decreasing
		switch {
		case p.OutsideLimits:
			p.Rule = RuleOutsideLimits
			if p.RelativeToMean == 1 {
				p.Label, direction = "Above UCL", 1
			} else {
				p.Label, direction = "Below LCL", -1
			}
		case p.Trend:
			p.Rule = RuleTrend
			// As NHSRplotthedots: a point inside a trend takes the direction
			// of the step after it when the next point is in a trend too,
			// otherwise of the step before it (this settles a peak shared by
			// a rising and a falling run).
			var d int
			if i+1 < n && out[i+1].Trend {
				d = sign(y[i+1] - y[i])
			} else if i > 0 {
				d = sign(y[i] - y[i-1])
			}
			if d == 1 {
				p.Label, direction = "7 Point Trend (Increasing)", 1
			} else {
				p.Label, direction = "7 Point Trend (Decreasing)", -1
			}
		case p.TwoOfThree:
			p.Rule = RuleTwoOfThree
			p.Label = "2 in 3 " + above + " CL"
		case p.Shift:
			p.Rule = RuleShift
			p.Label = "7 Points " + above + " CL"
		default:
			p.Label = "Common Cause"
		}
		if p.Rule == RuleTwoOfThree || p.Rule == RuleShift {
			direction = -1
			if above == "Above" {
				direction = 1
			}
		}
		p.PointType = pointType(direction, improvement)
	}
}

func pointType(direction, improvement int) string {
	switch {
	case direction == 0:
		return "common_cause"
	case improvement == 0 && direction > 0:
		return "special_cause_neutral_high"
	case improvement == 0:
		return "special_cause_neutral_low"
	case direction*improvement > 0:
		return "special_cause_improvement"
	default:
		return "special_cause_concern"
	}
}

func sign(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

func spcMethod(o SPCOptions) string {
	screen := "moving ranges not screened"
	if o.ScreenMovingRanges {
		screen = fmt.Sprintf("moving ranges ≥ %.3f × mean MR screened out and the mean MR recomputed", ScreenFactor)
	}
	base := "all points of each group"
	if o.BaselinePoints > 0 {
		base = fmt.Sprintf("the first %d points of each group", o.BaselinePoints)
	}
	return fmt.Sprintf("XmR chart (NHS Making Data Count, as NHSRplotthedots): centre line = mean of %s; "+
		"limits = mean ± 2.66 × mean moving range (%s); near-limit lines = mean ± (2 × 2.66 / 3) × mean MR. "+
		"Special cause: outside limits, 7-point trend, 2 of 3 beyond a near-limit line, 7 points one side of the mean (label precedence in that order).",
		base, screen)
}
