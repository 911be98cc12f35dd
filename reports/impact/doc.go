// Package impact holds Strikeline's impact arithmetic: pure, deterministic
// functions over daily metric series that measure what changed around an
// event (docs/methods.md describes every method). Nothing here touches a
// database, the clock or a random source, so a number in a report can always
// be recomputed from the series it was computed from.
//
// The package offers four things:
//
//   - Baseline: the weekday-matched baseline for short windows such as strike
//     rounds, with per-day and window prediction intervals laid out as
//     CausalImpact does, and NetEffect for the window ± 2 weeks. Bank
//     holidays and the Christmas–New Year season stay out of every baseline;
//     BaselineRatio gives ratio metrics a window figure Σnum / Σden.
//   - ITS: an interrupted time series with Newey–West standard errors for
//     step changes such as the October 2025 online-consultation contract
//     change (§4.2). It matches statsmodels to 1e-6 (see testdata/).
//   - SPC: NHS "Making Data Count" XmR charts exactly as NHSRplotthedots
//     draws them (§4.3).
//   - Metrics: the one place where each reported metric (§4.6) is defined
//     from GPAD category counts.
//
// Days are civil dates. A time.Time is read as the calendar date it shows in
// its own location and results carry UTC midnights, so callers may pass UTC or
// Europe/London midnights alike. Bank holidays come from reports/holidays.
package impact
