package app

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"
)

// downloadXLSX is /timeline.xlsx: the filtered timeline as a one-sheet
// workbook, every cell plain text (neutralised like the CSV).
func (s *Server) downloadXLSX(c *fiber.Ctx) error {
	events, err := s.filteredEvents(c, "")
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Timeline"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("xlsx download: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("xlsx download: %w", err)
	}
	header := make([]any, len(exportHeader))
	for i, h := range exportHeader {
		header[i] = h
	}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return fmt.Errorf("xlsx download: %w", err)
	}
	_ = f.SetRowStyle(sheet, 1, 1, bold)
	for i := range events {
		row := s.exportRow(&events[i])
		cells := make([]any, len(row))
		for j, v := range row {
			cells[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &cells); err != nil {
			return fmt.Errorf("xlsx download: %w", err)
		}
	}
	_ = f.SetColWidth(sheet, "C", "C", 60)
	_ = f.SetColWidth(sheet, "I", "I", 80)
	_ = f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	buf, err := f.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("xlsx download: %w", err)
	}
	attachment(c, "strikeline-timeline", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return c.Send(buf.Bytes())
}
