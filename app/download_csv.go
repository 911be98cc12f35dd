package app

import (
	"github.com/gofiber/fiber/v2"
)

// utf8BOM makes Excel and LibreOffice read the file as UTF-8 (without it
// they guess a legacy code page and £ becomes Â£).
const utf8BOM = "\ufeff"

// downloadCSV is /timeline.csv: the filtered timeline as RFC 4180 CSV in
// UTF-8 with a byte-order mark (?bom=0 leaves it out), columns from
// exportColumns; user text is neutralised against formula injection and
// always quoted.
func (s *Server) downloadCSV(c *fiber.Ctx) error {
	recs, err := s.filteredDownload(c)
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
	header := exportHeader()
	var b []byte
	if bom {
		b = append(b, utf8BOM...)
	}
	b = appendCSVRecord(b, header, nil)
	quote := make([]bool, len(header))
	for i, name := range header {
		quote[i] = columnFormats[name].Type == colText
	}
	for i := range recs {
		cells := exportCells(&recs[i])
		for j := range cells {
			if quote[j] {
				cells[j] = neutralise(cells[j])
			}
		}
		b = appendCSVRecord(b, cells, quote)
	}
	attachment(c, "strikeline-timeline", "csv", "text/csv; charset=utf-8; header=present")
	return c.Send(b)
}
