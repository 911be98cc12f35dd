package xlsx

import (
	"iter"
	"time"
)

// Report is everything one impact workbook shows. All text fields may hold
// user-supplied text: the writer neutralises it and never builds a formula
// or hyperlink target from it.
type Report struct {
	Title       string
	GeneratedAt time.Time
	Version     string // Strikeline version that produced the figures
	// From and To bound the report's date range; they name the file.
	From, To time.Time

	Method       Method
	BankHolidays []time.Time // England & Wales bank holidays excluded in range
	Sources      []DataSource
	Events       []EventImpact
	Timeline     []TimelineRow
	Data         DataSeries
	Dictionary   []DictEntry
}

// Method describes how the figures were computed, for the Method sheet.
type Method struct {
	Name          string  // e.g. "Weekday-matched baseline"
	BaselineWeeks int     // N, same-weekday days averaged
	MaxWeeks      int     // furthest look-back for N valid days
	Alpha         float64 // 1 − interval coverage; 0 means 0.05
	SPC           string  // SPC options in words, e.g. "XmR, MR screening off"
	Formula       string  // the method stated in words, shown verbatim
	// Summary is the method in one line for the Summary sheet; empty
	// gives a standard line.
	Summary string
}

// DataSource is one import run the report's figures come from.
type DataSource struct {
	FileName   string
	SHA256     string // hex checksum of the imported file
	Format     string
	Rows       int64
	ImportedAt time.Time
}

// Link is a titled URL. Only http and https URLs become hyperlinks; any
// other URL is shown as text.
type Link struct {
	Title string
	URL   string
}

// EventImpact is one event's impact on one metric and scope. It becomes a
// row of the Summary sheet and a sheet of its own; its Sources are listed
// on the Sources sheet.
type EventImpact struct {
	ID          int64
	Kind        string // e.g. "strike"
	Title       string
	Scope       string // area the series covers, e.g. "England"
	Metric      string // metric key, e.g. "appointments_total"
	MetricLabel string // human label, e.g. "Total appointments"
	// Measure names the metric with the slice it was measured on, e.g.
	// "Attended appointments with a GP"; the Summary shows it with the
	// scope. Empty falls back to MetricLabel.
	Measure string
	// Ratio marks metrics that are fractions (DNA rate, GP share): they are
	// formatted as percentages instead of counts.
	Ratio       bool
	URL         string
	WindowStart time.Time
	WindowEnd   time.Time
	Sources     []Link

	// Days lists consecutive days, ascending, covering at least every
	// baseline day any window day refers to, the window, and whatever
	// margin the caller wants shown after it (two weeks is customary).
	Days []DayImpact
	// Total holds the engine's window totals. Lower and Upper are written
	// as values (their degrees of freedom come from Welch–Satterthwaite,
	// which a sheet formula does not reproduce); the other totals are
	// formulas whose cached values must agree with these.
	Total Totals
	SPC   string // SPC signal label, e.g. "Special cause: shift (low)"
	// LeftOut says which days the baselines left out and why (bank
	// holidays, Christmas to New Year, other events' windows), written
	// below the totals; "" for none.
	LeftOut string
	// WindowLeftOut says which of the window's own days its total leaves
	// out and why (bank holidays, Christmas to New Year: not ordinary days,
	// so not compared with ordinary ones), in the words of LeftOut; "" for
	// none.
	WindowLeftOut string
	// Sentence is the effect in plain English for the Summary, e.g.
	// "Attended appointments in England were 8.2% below expected during
	// the strike (…)". Empty for rows that add no sentence (an event's
	// further metrics).
	Sentence string

	// Modes names the series of the activity-by-mode chart; each ByMode
	// row has one count per mode, in this order.
	Modes  []string
	ByMode []ModeDay
}

// DayImpact is one day of an event sheet.
type DayImpact struct {
	Date        time.Time
	Observed    float64
	HasObserved bool // false leaves the observed cell empty
	InWindow    bool
	// Included marks window days with an estimate that count in the
	// totals (not a bank holiday, observed, enough baseline days). Only
	// these rows get formulas.
	Included bool
	// BaselineDates are the N days averaged for an included day. Each must
	// be a day of Days with an observation: the formulas reference their
	// observed cells.
	BaselineDates []time.Time
	// Expected, Lower and Upper are the engine's figures. The writer
	// recomputes them from the referenced cells for the cached values and
	// refuses to write a workbook whose formulas would disagree with the
	// engine by more than 1e-9 relative.
	Expected, Lower, Upper float64
	Note                   string // why a window day is excluded, or short
	// Denominator is a ratio metric's denominator on the day (e.g. attended
	// + DNA for the DNA rate). The window rate weights each day by it, so
	// it is Σnumerator / Σdenominator, never a mean or sum of daily rates.
	Denominator float64
}

// Totals are an event window's cumulative figures from the engine.
// Observed and Expected are checked against the sheet's sums; Lower and
// Upper are written as given; Diff and Pct are carried for callers but the
// sheet derives them by formula from the totals.
type Totals struct {
	Observed, Expected, Lower, Upper float64
	Diff                             float64 // Observed − Expected
	Pct                              float64 // Diff / Expected, a fraction
	// RelLower and RelUpper are the engine's interval of Pct (fractions),
	// written as values on the Summary.
	RelLower, RelUpper float64
}

// ModeDay is one day of the activity-by-mode chart.
type ModeDay struct {
	Date   time.Time
	Counts []float64
}

// TimelineRow is one event of the report's range for the Timeline sheet.
type TimelineRow struct {
	ID         int64
	Kind       string
	Title      string
	Start, End time.Time
	Union      string
	StaffGroup string
	URL        string
	Sources    []Link
}

// DataRow is one observation of the underlying series.
type DataRow struct {
	Date     time.Time
	Dataset  string
	Area     string
	Metric   string
	Category string // breakdown value, e.g. a mode; empty for totals
	Value    float64
}

// DataSeries is the underlying series for the Data sheet. Rows is pulled
// once while the sheet streams, so millions of rows never sit in memory;
// a non-nil error from it aborts the write.
type DataSeries struct {
	Rows iter.Seq2[DataRow, error]
}

// DictEntry explains one field for the Data dictionary sheet.
type DictEntry struct {
	Field, Meaning, Unit string
}
