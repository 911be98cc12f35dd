package app

import (
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"github.com/strikeline/strikeline/importers/events"
)

// downloadXLSX is /timeline.xlsx: the filtered timeline as a one-sheet
// workbook, every cell plain text (neutralised like the CSV).
func (s *Server) downloadXLSX(c *fiber.Ctx) error {
	evs, err := s.filteredEvents(c, "")
	if err != nil {
		return err
	}
	recs, err := s.exportRecords(c, evs)
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
	names := events.Header()
	header := make([]any, len(names))
	for i, h := range names {
		header[i] = h
	}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return fmt.Errorf("xlsx download: %w", err)
	}
	_ = f.SetRowStyle(sheet, 1, 1, bold)
	for i := range recs {
		row := exportRow(&recs[i])
		cells := make([]any, len(row))
		for j, v := range row {
			cells[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &cells); err != nil {
			return fmt.Errorf("xlsx download: %w", err)
		}
	}
	for i, h := range names {
		width := map[string]float64{"kind": 18, "start": 26, "end": 26, "title": 60, "summary": 80, "notes": 60, "sources": 80, "figures": 40}[h]
		if width > 0 {
			col, _ := excelize.ColumnNumberToName(i + 1)
			_ = f.SetColWidth(sheet, col, col, width)
		}
	}
	_ = f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	buf, err := f.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("xlsx download: %w", err)
	}
	attachment(c, "strikeline-timeline", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return c.Send(buf.Bytes())
}
