package app

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

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
	recs, err := s.filteredRecords(c, "", false)
	if err != nil {
		return err
	}
	buf, err := s.timelineWorkbook(recs)
	if err != nil {
		return fmt.Errorf("xlsx download: %w", err)
	}
	attachment(c, "strikeline-timeline", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return c.Send(buf)
}

func (s *Server) timelineWorkbook(recs []exportRecord) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Timeline"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	// An Excel table needs a data row: an empty download has one blank row.
	last := max(len(recs), 1) + 1
	lastCell, _ := excelize.CoordinatesToCellName(len(exportColumns), last)
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
	for i, col := range exportColumns {
		if col.Width > 0 {
			if err := sw.SetColWidth(i+1, i+1, col.Width); err != nil {
				return nil, err
			}
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	header := make([]any, len(exportColumns))
	for i, col := range exportColumns {
		header[i] = col.Name
	}
	if err := sw.SetRow("A1", header); err != nil {
		return nil, err
	}
	row := make([]any, len(exportColumns))
	for i := range recs {
		for j, col := range exportColumns {
			switch v := col.value(s, &recs[i]).(type) {
			case nil:
				row[j] = nil
			case time.Time:
				if col.Type == colDate { // already a calendar day
					row[j] = excelize.Cell{StyleID: dateStyle, Value: v}
				} else {
					row[j] = excelize.Cell{StyleID: timeStyle, Value: londonWallClock(v)}
				}
			case string:
				if v == "" {
					row[j] = nil
				} else {
					row[j] = v
				}
			default:
				row[j] = v
			}
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

// londonWallClock is t as a London clock shows it, with no zone: a
// workbook's date cells are wall-clock serial numbers.
func londonWallClock(t time.Time) time.Time {
	l := t.In(models.London)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

func ptr[T any](v T) *T { return &v }
