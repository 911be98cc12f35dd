package impact

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Seasonality chooses whether ITS adds the annual sine/cosine pair.
type Seasonality int

// The seasonality choices. The zero value follows DOMAIN §4.2.
const (
	// SeasonalAuto includes the pair when the modelled series spans at least
	// 365 days (first to last modelled day, inclusive): with less than a
	// year there is nothing to estimate it from, and with a year or more,
	// leaving it out lets seasonality masquerade as the step.
	SeasonalAuto Seasonality = iota
	// SeasonalOn always includes the pair.
	SeasonalOn
	// SeasonalOff never includes it.
	SeasonalOff
)

// ITSOptions tunes ITS. The zero value is DOMAIN §4.2 exactly.
type ITSOptions struct {
	Seasonality Seasonality
	// MaxLags overrides the Newey–West truncation lag when positive; zero
	// means the rule L = ⌊4(T/100)^(2/9)⌋.
	MaxLags int
	// Exclude drops the days of other events (e.g. strike rounds inside a
	// long series) from the fit. Time t still counts calendar days.
	Exclude []DateRange
}

// Names of the ITS model terms, in design-matrix column order.
const (
	TermConst     = "const"
	TermTime      = "t"
	TermPost      = "post"
	TermTimePost  = "t_post" // (t − t0)·post
	TermTuesday   = "tue"
	TermWednesday = "wed"
	TermThursday  = "thu"
	TermFriday    = "fri"
	TermSin       = "sin_annual"
	TermCos       = "cos_annual"
)

// Coefficient is one estimated model term with Newey–West standard error,
// normal z statistic, two-sided p-value and 95% normal confidence interval.
type Coefficient struct {
	Term     string
	Estimate float64
	SE       float64
	Z        float64
	P        float64
	Lower    float64
	Upper    float64
}

// ITSDay is one modelled (working) day.
type ITSDay struct {
	Day            time.Time
	T              float64 // calendar days since the first modelled day
	Post           bool    // on or after the intervention day
	Observed       float64
	Fitted         float64
	Counterfactual float64 // fitted with the level and slope changes set to zero
	Residual       float64
}

// ITSResult is the fitted interrupted time series.
type ITSResult struct {
	InterventionDay time.Time
	Start           time.Time // the day with t = 0: the first modelled day
	T0              float64   // the intervention day's t
	N               int       // observations modelled (T in DOMAIN §4.2)
	MaxLags         int       // Newey–West truncation lag L used
	Seasonal        bool      // whether the sine/cosine pair was included

	Terms        []string      // column names, in order
	Coefficients []Coefficient // one per term, same order
	// Covariance is the HAC covariance matrix of the coefficients, row-major
	// in Terms order.
	Covariance [][]float64

	Level Coefficient // β2: the step on the intervention day
	Slope Coefficient // β3: the change in slope per calendar day

	Days []ITSDay // the modelled days, ascending

	// PostObserved and PostCounterfactual sum the post-period days.
	PostObserved       float64
	PostCounterfactual float64
	// MeanRelativeChange is (PostObserved − PostCounterfactual) /
	// PostCounterfactual.
	MeanRelativeChange float64

	// Method states the model in words, for the report's footnote.
	Method string
}

// ErrRankDeficient is returned (wrapped) when the design matrix has
// dependent columns, e.g. a weekday never observed or no post-period days.
var ErrRankDeficient = errors.New("design matrix is rank deficient")

// Reasons ITS refuses a series, each returned wrapped with the days it
// concerns, so a caller can tell a reader why with errors.Is.
var (
	// ErrNoWorkingDays: the series has no modelled day at all.
	ErrNoWorkingDays = errors.New("no working days with observations")
	// ErrNoDaysBefore: no modelled day comes before the intervention.
	ErrNoDaysBefore = errors.New("no modelled day before the intervention")
	// ErrNoDaysAfter: no modelled day comes on or after the intervention
	// (the data ends before it).
	ErrNoDaysAfter = errors.New("no modelled day on or after the intervention")
	// ErrTooFewDays: fewer modelled days than the model has terms.
	ErrTooFewDays = errors.New("too few modelled days for the model")
)

// NeweyWestLags returns the DOMAIN §4.2 truncation lag ⌊4(T/100)^(2/9)⌋ for
// T observations.
func NeweyWestLags(n int) int {
	return int(math.Floor(4 * math.Pow(float64(n)/100, 2.0/9.0)))
}

// ITS fits the interrupted time series of DOMAIN §4.2 to series, with the
// intervention on interventionDay:
//
//	Y_t = β0 + β1·t + β2·post_t + β3·(t − t0)·post_t + Σ_{Tue..Fri} γ_w·[weekday = w]
//	      + δ1·sin(2π·doy/365.25) + δ2·cos(2π·doy/365.25) + ε_t
//
// Only working days are modelled: Saturdays, Sundays, England & Wales bank
// holidays, missing days and days in opts.Exclude are dropped. t counts
// calendar days from the first modelled day and doy is the day of the year
// (1 on 1 January). Coefficients are ordinary least squares; the covariance
// is Newey–West (Bartlett weights 1 − l/(L+1), l = 0..L over consecutive
// modelled rows) with no small-sample correction, and intervals and p-values
// use the normal distribution. This is what statsmodels
// OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": L}) computes; the tests
// check it against numbers produced by statsmodels itself.
func ITS(series Series, interventionDay time.Time, opts ITSOptions) (ITSResult, error) {
	values, err := series.index()
	if err != nil {
		return ITSResult{}, fmt.Errorf("its: %w", err)
	}
	for i, r := range opts.Exclude {
		if err := r.Validate(); err != nil {
			return ITSResult{}, fmt.Errorf("its: exclude[%d]: %w", i, err)
		}
	}
	if opts.MaxLags < 0 {
		return ITSResult{}, fmt.Errorf("its: max lags %d is negative", opts.MaxLags)
	}

	days := make([]day, 0, len(values))
	for d := range values {
		if d.workingDay() && !inAny(d, opts.Exclude) {
			days = append(days, d)
		}
	}
	slices.Sort(days)
	if len(days) == 0 {
		return ITSResult{}, fmt.Errorf("its: %w", ErrNoWorkingDays)
	}
	first, last := days[0], days[len(days)-1]
	iv := toDay(interventionDay)
	switch {
	case iv <= first:
		return ITSResult{}, fmt.Errorf("its: %w: intervention day %s, first modelled day %s", ErrNoDaysBefore, iv, first)
	case iv > last:
		return ITSResult{}, fmt.Errorf("its: %w: intervention day %s, last modelled day %s", ErrNoDaysAfter, iv, last)
	}

	seasonal := opts.Seasonality == SeasonalOn ||
		(opts.Seasonality == SeasonalAuto && int(last-first)+1 >= 365)
	terms := []string{TermConst, TermTime, TermPost, TermTimePost, TermTuesday, TermWednesday, TermThursday, TermFriday}
	if seasonal {
		terms = append(terms, TermSin, TermCos)
	}
	n, p := len(days), len(terms)
	if n <= p {
		return ITSResult{}, fmt.Errorf("its: %w: %d observations for %d terms", ErrTooFewDays, n, p)
	}

	t0 := float64(iv - first)
	x := mat.NewDense(n, p, nil)
	y := mat.NewVecDense(n, nil)
	for i, d := range days {
		t := float64(d - first)
		post := 0.0
		if d >= iv {
			post = 1
		}
		row := []float64{1, t, post, (t - t0) * post, 0, 0, 0, 0}
		if wd := d.weekday(); wd >= time.Tuesday && wd <= time.Friday {
			row[4+int(wd-time.Tuesday)] = 1
		}
		if seasonal {
			angle := 2 * math.Pi * float64(d.time().YearDay()) / 365.25
			row = append(row, math.Sin(angle), math.Cos(angle))
		}
		x.SetRow(i, row)
		y.SetVec(i, values[d])
	}

	beta, xtxInv, err := ols(x, y)
	if err != nil {
		return ITSResult{}, fmt.Errorf("its: %w", err)
	}

	var fitted mat.VecDense
	fitted.MulVec(x, beta)
	resid := make([]float64, n)
	for i := range resid {
		resid[i] = y.AtVec(i) - fitted.AtVec(i)
	}

	lags := opts.MaxLags
	if lags == 0 {
		lags = NeweyWestLags(n)
	}
	cov := hacCovariance(x, resid, xtxInv, lags)

	res := ITSResult{
		InterventionDay: iv.time(),
		Start:           first.time(),
		T0:              t0,
		N:               n,
		MaxLags:         lags,
		Seasonal:        seasonal,
		Terms:           terms,
		Coefficients:    make([]Coefficient, p),
		Covariance:      make([][]float64, p),
		Days:            make([]ITSDay, n),
	}
	z := distuv.UnitNormal.Quantile(0.5 + Confidence/2)
	for j := range p {
		res.Covariance[j] = make([]float64, p)
		for k := range p {
			res.Covariance[j][k] = cov.At(j, k)
		}
		est, se := beta.AtVec(j), math.Sqrt(cov.At(j, j))
		c := Coefficient{Term: terms[j], Estimate: est, SE: se, Lower: est - z*se, Upper: est + z*se}
		c.Z = est / se
		c.P = 2 * distuv.UnitNormal.Survival(math.Abs(c.Z))
		res.Coefficients[j] = c
	}
	res.Level, res.Slope = res.Coefficients[2], res.Coefficients[3]

	b2, b3 := beta.AtVec(2), beta.AtVec(3)
	for i, d := range days {
		post := x.At(i, 2) == 1
		cf := fitted.AtVec(i) - b2*x.At(i, 2) - b3*x.At(i, 3)
		res.Days[i] = ITSDay{
			Day: d.time(), T: x.At(i, 1), Post: post,
			Observed: y.AtVec(i), Fitted: fitted.AtVec(i), Counterfactual: cf, Residual: resid[i],
		}
		if post {
			res.PostObserved += y.AtVec(i)
			res.PostCounterfactual += cf
		}
	}
	if res.PostCounterfactual != 0 {
		res.MeanRelativeChange = (res.PostObserved - res.PostCounterfactual) / res.PostCounterfactual
	}
	seasonTerm := ""
	if seasonal {
		seasonTerm = " + annual sine/cosine (2π·doy/365.25)"
	}
	res.Method = fmt.Sprintf("Interrupted time series on %d working days (Mon–Fri, bank holidays removed): "+
		"Y = β0 + β1·t + β2·post + β3·(t − t0)·post + weekday dummies Tue–Fri%s; OLS with Newey–West (Bartlett, "+
		"maxlags %d, no small-sample correction) standard errors and normal 95%% intervals. Counterfactual: β2 = β3 = 0; "+
		"mean relative change = (Σ observed − Σ counterfactual) / Σ counterfactual over the post period.",
		n, seasonTerm, lags)
	return res, nil
}

// ols solves least squares by QR (better conditioned than the normal
// equations when t runs to a thousand days) and returns β and (X'X)⁻¹ =
// R⁻¹R⁻ᵀ.
func ols(x *mat.Dense, y *mat.VecDense) (*mat.VecDense, *mat.Dense, error) {
	_, p := x.Dims()
	var qr mat.QR
	qr.Factorize(x)
	var beta mat.VecDense
	if err := qr.SolveVecTo(&beta, false, y); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrRankDeficient, err)
	}
	var r mat.Dense
	qr.RTo(&r)
	// A pivot that is tiny next to the largest one means a dependent column;
	// SolveTo's condition check only catches the extreme case.
	var maxDiag float64
	for j := range p {
		maxDiag = math.Max(maxDiag, math.Abs(r.At(j, j)))
	}
	for j := range p {
		if math.Abs(r.At(j, j)) <= 1e-10*maxDiag {
			return nil, nil, fmt.Errorf("%w (column %d)", ErrRankDeficient, j)
		}
	}
	rt := mat.NewTriDense(p, mat.Upper, nil)
	for i := range p {
		for j := i; j < p; j++ {
			rt.SetTri(i, j, r.At(i, j))
		}
	}
	var rinv mat.TriDense
	if err := rinv.InverseTri(rt); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrRankDeficient, err)
	}
	var xtxInv mat.Dense
	xtxInv.Mul(&rinv, rinv.T())
	return &beta, &xtxInv, nil
}

// hacCovariance returns the Newey–West covariance (X'X)⁻¹ S (X'X)⁻¹ with
// S = Σ_t u_t u_tᵀ + Σ_{l=1..L} (1 − l/(L+1)) Σ_t (u_t u_{t−l}ᵀ + u_{t−l} u_tᵀ),
// u_t = e_t x_t, and no small-sample factor (statsmodels' default).
func hacCovariance(x *mat.Dense, resid []float64, xtxInv *mat.Dense, lags int) *mat.Dense {
	n, p := x.Dims()
	u := mat.NewDense(n, p, nil)
	for i := range n {
		for j := range p {
			u.Set(i, j, x.At(i, j)*resid[i])
		}
	}
	s := mat.NewDense(p, p, nil)
	s.Mul(u.T(), u)
	for l := 1; l <= lags && l < n; l++ {
		w := 1 - float64(l)/float64(lags+1)
		var g mat.Dense
		g.Mul(u.Slice(l, n, 0, p).T(), u.Slice(0, n-l, 0, p))
		for j := range p {
			for k := range p {
				s.Set(j, k, s.At(j, k)+w*(g.At(j, k)+g.At(k, j)))
			}
		}
	}
	var tmp, cov mat.Dense
	tmp.Mul(xtxInv, s)
	cov.Mul(&tmp, xtxInv)
	return &cov
}
