package app

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"path/filepath"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/importers/events"
)

// carryLimit is the largest file a preview hands back to the browser in a
// hidden field, so the planner can import it without choosing it again;
// no upload is kept on the server between the two requests.
const carryLimit = 1 << 20

type eventsImportPage struct {
	pageBase
	Error   string
	Report  *events.Report
	Lines   []string // the report as text lines
	SkipBad bool
	// Carry holds the previewed file for the "Import" button.
	Carry, CarryName string
}

// pageEventsImport is the upload form for bulk timeline records.
func (s *Server) pageEventsImport(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "events_import", eventsImportPage{pageBase: s.base(c, "Import timeline records", "new")})
}

// postEventsImport previews (a dry run) or imports an uploaded CSV, XLSX or
// JSON file of timeline records. A bad file is shown on the form with its
// report and a 422; nothing is written unless the whole import succeeds.
func (s *Server) postEventsImport(c *fiber.Ctx) error {
	p := eventsImportPage{pageBase: s.base(c, "Import timeline records", "new"), SkipBad: c.FormValue("skip_bad") == "1"}
	name, data, err := uploadedEventsFile(c)
	if err != nil {
		p.Error = err.Error()
		return s.render(c, fiber.StatusUnprocessableEntity, "events_import", p)
	}
	f, err := events.Parse(name, bytes.NewReader(data))
	if err != nil {
		p.Error = err.Error()
		var fe *events.FormatError
		if errors.As(err, &fe) {
			p.Error = fe.Reason
		}
		return s.render(c, fiber.StatusUnprocessableEntity, "events_import", p)
	}
	preview := c.FormValue("action") != "import"
	rep, err := events.Import(c.UserContext(), s.store, f, events.Options{Actor: actor(c), DryRun: preview, SkipBad: p.SkipBad})
	if err != nil {
		return err
	}
	p.Report = rep
	var buf bytes.Buffer
	rep.Write(&buf)
	p.Lines = strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	if preview && len(data) <= carryLimit && rep.Result.Added+rep.Result.Changed > 0 {
		p.Carry, p.CarryName = base64.StdEncoding.EncodeToString(data), name
	}
	status := fiber.StatusOK
	if rep.Rejected && !preview {
		status = fiber.StatusUnprocessableEntity
	}
	return s.render(c, status, "events_import", p)
}

// uploadedEventsFile is the multipart "file", or the file a preview
// carried in the form.
func uploadedEventsFile(c *fiber.Ctx) (string, []byte, error) {
	if carried := c.FormValue("carry"); carried != "" {
		data, err := base64.StdEncoding.DecodeString(carried)
		if err != nil || len(data) > carryLimit {
			return "", nil, errors.New("the previewed file could not be read back; choose it again")
		}
		return filepath.Base(c.FormValue("carry_name")), data, nil
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return "", nil, errors.New("choose a .csv, .xlsx or .json file")
	}
	switch strings.ToLower(filepath.Ext(fh.Filename)) {
	case ".csv", ".xlsx", ".json":
	default:
		return "", nil, errors.New("the file must be a .csv, .xlsx or .json file")
	}
	if fh.Size > events.MaxFileBytes {
		return "", nil, errors.New("the file is too large (at most 16 MB)")
	}
	r, err := fh.Open()
	if err != nil {
		return "", nil, err
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, events.MaxFileBytes+1))
	if err != nil {
		return "", nil, err
	}
	return filepath.Base(fh.Filename), data, nil
}
