package app

import (
	"github.com/gofiber/fiber/v2"
)

// utf8BOM makes Excel and LibreOffice read the file as UTF-8 (without it
// they guess a legacy code page and £ becomes Â£).
const utf8BOM = "\ufeff"

// downloadCSV is /timeline.csv: the filtered timeline as RFC 4180 CSV in
// UTF-8 with a byte-order mark (?bom=0 leaves it out), columns from
// exportColumns, user text neutralised against formula injection.
func (s *Server) downloadCSV(c *fiber.Ctx) error {
	recs, err := s.filteredRecords(c, "", false)
	if err != nil {
		return err
	}
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
	fields := make([]string, len(exportColumns))
	quote := make([]bool, len(exportColumns))
	for i, col := range exportColumns {
		fields[i], quote[i] = col.Name, col.Type == colText
	}
	b = appendCSVRecord(b, fields, nil)
	for i := range recs {
		for j, col := range exportColumns {
			fields[j] = csvCell(col, col.value(s, &recs[i]))
		}
		b = appendCSVRecord(b, fields, quote)
	}
	attachment(c, "strikeline-timeline", "csv", "text/csv; charset=utf-8; header=present")
	return c.Send(b)
}
