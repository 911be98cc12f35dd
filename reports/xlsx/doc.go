// Package xlsx writes Strikeline impact reports as Excel workbooks.
//
// Its one job is layout: it takes a Report of plain values (the glue from
// the impact engine fills it in) and writes a workbook whose per-event sheets
// recompute the weekday-matched baseline with live formulas, each carrying
// the value Go computed as its cached result, so Excel, LibreOffice and
// parsers that do not recalculate all show the same numbers. The cached
// day intervals come from the engine's one formula (impact.PredictionInterval)
// applied to the sheet's own cells, which also checks that each day's
// baseline cells are the days the engine used.
//
// Every sheet is written with excelize's StreamWriter. Sheet decorations
// that live outside the cell data (hyperlinks, charts) are registered
// before a sheet's stream is opened; the stream writer then emits them
// with the rows. No sheet is ever written in both modes.
package xlsx
