package xlsx

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestWriteTable: the rounds workbook is read right by streaming readers
// and spreadsheets: its dimension covers every row, days are date cells,
// numbers number cells, and the header is a table with filters.
func TestWriteTable(t *testing.T) {
	v := 0.25
	tab := Table{Sheet: "Rounds", Title: "Rounds compared",
		Columns: []Column{{Name: "event_id"}, {Name: "title"}, {Name: "from", Date: true}, {Name: "effect", Percent: true}},
		Rows: [][]any{
			{float64(7), "=HYPERLINK(\"x\")", "2025-07-25", -0.15},
			{float64(8), "Second", "2025-11-14", &v},
			{float64(9), "Third", "", (*float64)(nil)},
		}}
	var buf bytes.Buffer
	if err := WriteTable(&buf, tab); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if dim, _ := f.GetSheetDimension("Rounds"); dim != "A1:D5" {
		t.Errorf("dimension %q, want A1:D5", dim)
	}
	raw, _ := f.GetCellValue("Rounds", "C3", excelize.Options{RawCellValue: true})
	shown, _ := f.GetCellValue("Rounds", "C3")
	if typ, _ := f.GetCellType("Rounds", "C3"); raw != "45863" || shown != "2025-07-25" || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("from C3: raw %q shown %q type %v, want the date serial 45863 shown 2025-07-25", raw, shown, typ)
	}
	if got, _ := f.GetCellValue("Rounds", "C5"); got != "" {
		t.Errorf("an empty day wrote %q", got)
	}
	if raw, _ := f.GetCellValue("Rounds", "A4", excelize.Options{RawCellValue: true}); raw != "8" {
		t.Errorf("event_id A4 %q, want the number 8", raw)
	}
	if f, _ := f.GetCellFormula("Rounds", "B3"); f != "" {
		t.Errorf("a title became the formula %q", f)
	}
	tables, err := f.GetTables("Rounds")
	if err != nil || len(tables) != 1 || tables[0].Range != "A2:D5" {
		t.Errorf("tables %+v (%v), want one over A2:D5", tables, err)
	}
}
