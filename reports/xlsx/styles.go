package xlsx

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// Number formats used throughout the workbook.
const (
	fmtDate     = "dd mmm yyyy"
	fmtDateTime = "dd mmm yyyy hh:mm"
	fmtCount    = "#,##0"
	fmtDecimal  = "#,##0.0"
	fmtPct      = "0.0%"
)

const windowFill = "FCE4D6" // light orange: event window rows and chart band

// styles holds every style id the workbook uses. They are created once per
// file (excelize caps a workbook at 65,430 styles, and reusing ids keeps
// styles.xml small).
type styles struct {
	title, subtitle, header, text, wrap, link int
	date, dateTime, count, decimal, pct, int  int
	// Window-row variants of the per-day cells.
	wText, wDate, wCount, wDecimal, wPct int
	// Totals row.
	tLabel, tCount, tDecimal, tPct int
	// Key/value rows of the Method sheet: bold top-aligned keys, values
	// left-aligned whatever their type.
	key, kvInt, kvAlpha, kvPct, kvDateTime int
	// centred short text (Window, N columns).
	centre, wCentre int
	general         int
	// Summary: section headings, wrapped sentences, links that wrap.
	section, sentence int
	// The Summary table's number cells, top-aligned like its wrapped text
	// so a row's figures line up with the first line of its title.
	sumInt, sumIntLink, sumCentre, sumCount, sumPct, sumPctBold, sumDate int
}

func newStyles(f *excelize.File) (*styles, error) {
	var s styles
	var err error
	mk := func(dst *int, st *excelize.Style) {
		if err != nil {
			return
		}
		*dst, err = f.NewStyle(st)
	}
	num := func(code string, fill bool, bold bool) *excelize.Style {
		st := &excelize.Style{CustomNumFmt: &code, Font: &excelize.Font{Bold: bold}}
		if fill {
			st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{windowFill}}
		}
		if bold {
			st.Border = []excelize.Border{{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 6}}
		}
		return st
	}
	windowText := &excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{windowFill}}}
	mk(&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14, Color: "1F3864"}})
	mk(&s.subtitle, &excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}})
	mk(&s.header, &excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F3864"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
	})
	mk(&s.text, &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}})
	mk(&s.wrap, &excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	mk(&s.link, &excelize.Style{Font: &excelize.Font{Color: "0563C1", Underline: "single"}})
	mk(&s.date, num(fmtDate, false, false))
	mk(&s.dateTime, num(fmtDateTime, false, false))
	mk(&s.count, num(fmtCount, false, false))
	mk(&s.decimal, num(fmtDecimal, false, false))
	mk(&s.pct, num(fmtPct, false, false))
	mk(&s.int, num("0", false, false))
	mk(&s.wText, windowText)
	mk(&s.wDate, num(fmtDate, true, false))
	mk(&s.wCount, num(fmtCount, true, false))
	mk(&s.wDecimal, num(fmtDecimal, true, false))
	mk(&s.wPct, num(fmtPct, true, false))
	mk(&s.tLabel, &excelize.Style{Font: &excelize.Font{Bold: true},
		Border: []excelize.Border{{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 6}}})
	mk(&s.tCount, num(fmtCount, false, true))
	mk(&s.tDecimal, num(fmtDecimal, false, true))
	mk(&s.tPct, num(fmtPct, false, true))
	left := func(code string) *excelize.Style {
		return &excelize.Style{CustomNumFmt: &code, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top"}}
	}
	mk(&s.key, &excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}})
	mk(&s.kvInt, left("0"))
	mk(&s.kvAlpha, left("0.00"))
	mk(&s.kvPct, left(fmtPct))
	mk(&s.kvDateTime, left(fmtDateTime))
	mk(&s.centre, &excelize.Style{Alignment: &excelize.Alignment{Horizontal: "center"}})
	mk(&s.wCentre, &excelize.Style{Alignment: &excelize.Alignment{Horizontal: "center"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{windowFill}}})
	mk(&s.general, &excelize.Style{NumFmt: 0})
	mk(&s.section, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: "1F3864"}})
	mk(&s.sentence, &excelize.Style{Font: &excelize.Font{Size: 12}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	pb := fmtPct
	top := func(st *excelize.Style) *excelize.Style {
		if st.Alignment == nil {
			st.Alignment = &excelize.Alignment{}
		}
		st.Alignment.Vertical = "top"
		return st
	}
	mk(&s.sumInt, top(num("0", false, false)))
	idLink := top(num("0", false, false))
	idLink.Font = &excelize.Font{Color: "0563C1", Underline: "single"}
	mk(&s.sumIntLink, idLink)
	mk(&s.sumCentre, top(&excelize.Style{Alignment: &excelize.Alignment{Horizontal: "center"}}))
	mk(&s.sumCount, top(num(fmtCount, false, false)))
	mk(&s.sumPct, top(num(fmtPct, false, false)))
	mk(&s.sumPctBold, top(&excelize.Style{CustomNumFmt: &pb, Font: &excelize.Font{Bold: true}}))
	mk(&s.sumDate, top(num(fmtDate, false, false)))
	if err != nil {
		return nil, fmt.Errorf("xlsx: create styles: %w", err)
	}
	return &s, nil
}
