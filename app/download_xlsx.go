package app

import (
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"github.com/strikeline/strikeline/importers/events"
	"github.com/strikeline/strikeline/models"
)

// downloadXLSX is /timeline.xlsx: the filtered timeline as a one-sheet
// workbook with the columns of exportColumns. Numbers are number cells,
// dates and times real date cells in London time (a workbook has no time
// zones), text plain string cells (which a spreadsheet never runs as a
// formula, so they need no quote in front). The header is an Excel table
// with filters, frozen, and the sheet's dimension covers every row, so
// streaming readers (openpyxl read-only) see them all.
func (s *Server) downloadXLSX(c *fiber.Ctx) error {
	recs, err := s.filteredDownload(c)
	if err != nil {
		return err
	}
	buf, err := timelineWorkbook(recs)
	if err != nil {
		return fmt.Errorf("xlsx download: %w", err)
	}
	attachment(c, "strikeline-timeline", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return c.Send(buf)
}

func timelineWorkbook(recs []events.Record) ([]byte, error) {
	header := exportHeader()
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Timeline"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	// An Excel table needs a data row: an empty download has one blank row.
	last := max(len(recs), 1) + 1
	lastCell, _ := excelize.CoordinatesToCellName(len(header), last)
	// The stream writer copies the dimension and print settings set before
	// it starts. Printed, the columns fit one landscape page wide.
	if err := f.SetSheetDimension(sheet, "A1:"+lastCell); err != nil {
		return nil, err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return nil, err
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0)}); err != nil {
		return nil, err
	}
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd")})
	if err != nil {
		return nil, err
	}
	timeStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm")})
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	for i, name := range header {
		if w := columnFormats[name].Width; w > 0 {
			if err := sw.SetColWidth(i+1, i+1, w); err != nil {
				return nil, err
			}
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	row := make([]any, len(header))
	for i, name := range header {
		row[i] = name
	}
	if err := sw.SetRow("A1", row); err != nil {
		return nil, err
	}
	for i := range recs {
		for j, text := range exportCells(&recs[i]) {
			row[j] = xlsxCell(columnFormats[header[j]].Type, text, dateStyle, timeStyle)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return nil, err
		}
	}
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + lastCell, Name: "Timeline", StyleName: "TableStyleMedium2", ShowRowStripes: ptr(true)}); err != nil {
		return nil, err
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// xlsxCell is a cell's text as a typed workbook value: a number, a date
// or date-time cell (London wall clock), or a plain string, which a
// spreadsheet never runs as a formula. Text that does not parse as its
// column's type stays text rather than being lost.
func xlsxCell(typ colType, text string, dateStyle, timeStyle int) any {
	if text == "" {
		return nil
	}
	switch typ {
	case colInt:
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return n
		}
	case colNumber:
		if f, err := strconv.ParseFloat(text, 64); err == nil {
			return f
		}
	case colDate:
		if d, err := time.Parse(time.DateOnly, text); err == nil {
			return excelize.Cell{StyleID: dateStyle, Value: d}
		}
	case colTime:
		if t, err := time.Parse(time.RFC3339, text); err == nil {
			return excelize.Cell{StyleID: timeStyle, Value: londonWallClock(t)}
		}
	}
	return text
}

// londonWallClock is t as a London clock shows it, with no zone: a
// workbook's date cells are wall-clock serial numbers.
func londonWallClock(t time.Time) time.Time {
	l := t.In(models.London)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

func ptr[T any](v T) *T { return &v }
