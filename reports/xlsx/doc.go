// Package xlsx writes Strikeline impact reports as Excel workbooks.
//
// Its one job is turning a Report of plain values (the glue from the impact
// engine fills it in) into a workbook: the layout, and the live formulas by
// which each per-event sheet recomputes the weekday-matched baseline, each
// carrying the value Go computed as its cached result, so Excel,
// LibreOffice and parsers that do not recalculate all show the same
// numbers. The cached day intervals come from impact.PredictionInterval,
// the engine's own formula; the live formulas are the independent check.
//
// Every sheet is written with excelize's StreamWriter. Sheet decorations
// that live outside the cell data (hyperlinks, charts) are registered
// before a sheet's stream is opened; the stream writer then emits them
// with the rows. No sheet is ever written in both modes.
package xlsx
