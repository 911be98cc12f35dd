package app

import (
	"github.com/gofiber/fiber/v2"
)

// utf8BOM makes Excel and LibreOffice read the file as UTF-8 (without it
// they guess a legacy code page and £ becomes Â£).
const utf8BOM = "\ufeff"

// csvTable is one CSV answer before it is written: the header, the rows
// as text (dates as YYYY-MM-DD, instants RFC 3339 with an offset, one
// form per column), and which columns hold text from outside (records,
// NHS labels) that a spreadsheet could read as a formula.
type csvTable struct {
	Header []string
	Text   []bool
	Rows   [][]string
}

// sendCSV writes t as every CSV the site serves is written: RFC 4180 with
// CRLF, UTF-8 with a byte-order mark (?bom=0 leaves it out), text columns
// neutralised against formula injection and always quoted, as an
// attachment named base and the day.
func sendCSV(c *fiber.Ctx, base string, t csvTable) error {
	bom := true
	switch c.Query("bom") {
	case "", "1":
	case "0":
		bom = false
	default:
		return &Error{Status: fiber.StatusUnprocessableEntity, Msg: "validation failed", Fields: map[string]string{"bom": "must be 0 or 1"}}
	}
	var b []byte
	if bom {
		b = append(b, utf8BOM...)
	}
	b = appendCSVRecord(b, t.Header, nil)
	for _, row := range t.Rows {
		for j := range row {
			if j < len(t.Text) && t.Text[j] {
				row[j] = neutralise(row[j])
			}
		}
		b = appendCSVRecord(b, row, t.Text)
	}
	attachment(c, base, "csv", "text/csv; charset=utf-8; header=present")
	return c.Send(b)
}

// downloadCSV is /timeline.csv: the filtered timeline, columns from
// exportColumns.
func (s *Server) downloadCSV(c *fiber.Ctx) error {
	recs, err := s.timelineRows(c)
	if err != nil {
		return err
	}
	t := csvTable{Header: exportHeader()}
	t.Text = make([]bool, len(t.Header))
	for i, name := range t.Header {
		t.Text[i] = columnFormats[name].Type == colText
	}
	for i := range recs {
		t.Rows = append(t.Rows, exportCells(&recs[i]))
	}
	return sendCSV(c, "strikeline-timeline", t)
}
