package xlsx

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// Column is one column of a Table.
type Column struct {
	Name    string
	Percent bool    // values are fractions shown as percentages
	Date    bool    // values are days as YYYY-MM-DD, written as date cells
	Width   float64 // 0: 14
}

// Table is a one-sheet workbook of plain rows, such as the rounds
// comparison. Cells hold strings, numbers, nil (blank) or *float64.
type Table struct {
	Sheet   string
	Title   string
	Columns []Column
	Rows    [][]any
}

// WriteTable writes t as a workbook: a title, a bold header frozen above
// the rows as an Excel table with filters, and the rows with text
// neutralised (no cell starts a formula), days in Date columns as date
// cells. The sheet's dimension covers every row, which streaming readers
// (openpyxl's read-only mode) trust.
func WriteTable(w io.Writer, t Table) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	sh := t.Sheet
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	pct, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptrStr("0.0%")})
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	count, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptrStr("#,##0")})
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	day, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptrStr("yyyy-mm-dd")})
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	// The stream writer keeps a dimension set before it starts; its own
	// would be A1.
	last, _ := excelize.CoordinatesToCellName(max(len(t.Columns), 1), len(t.Rows)+2)
	if err := f.SetSheetDimension(sh, "A1:"+last); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(sh)
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	for i, c := range t.Columns {
		wd := c.Width
		if wd == 0 {
			wd = 14
		}
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: title, Value: Neutralise(t.Title)}}); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	head := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = excelize.Cell{StyleID: bold, Value: Neutralise(c.Name)}
	}
	if err := sw.SetRow("A2", head); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	for r, row := range t.Rows {
		cells := make([]any, len(row))
		for i, v := range row {
			if p, ok := v.(*float64); ok {
				if p == nil {
					continue
				}
				v = *p
			}
			isDate := i < len(t.Columns) && t.Columns[i].Date
			switch x := v.(type) {
			case string:
				if isDate {
					if x == "" {
						continue
					}
					d, err := time.Parse(time.DateOnly, x)
					if err != nil {
						return fmt.Errorf("xlsx: row %d, %s: %w", r+3, t.Columns[i].Name, err)
					}
					cells[i] = excelize.Cell{StyleID: day, Value: d}
					continue
				}
				cells[i] = Neutralise(x)
			case float64:
				st := count
				if i < len(t.Columns) && t.Columns[i].Percent {
					st = pct
				}
				cells[i] = excelize.Cell{StyleID: st, Value: x}
			default:
				cells[i] = x
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+3)
		if err := sw.SetRow(cell, cells); err != nil {
			return fmt.Errorf("xlsx: row %d: %w", r+3, err)
		}
	}
	if len(t.Rows) > 0 {
		if err := sw.AddTable(&excelize.Table{Range: "A2:" + last, Name: "Rounds", StyleName: "TableStyleLight1"}); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return f.Write(w)
}

func ptrStr(s string) *string { return &s }
