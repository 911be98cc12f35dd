package app

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/analysis"
	"github.com/strikeline/strikeline/reports/xlsx"
)

const xlsxMIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// reportImpactXLSX answers GET /reports/impact.xlsx?event=…|dispute=…|from=…&to=…
// [&area=…][&metric=…][&status=…&hcp=…&mode=…&lead=…|&slice=all] with an
// impact workbook.
func (s *Server) reportImpactXLSX(c *fiber.Ctx) error {
	req, err := parseWorkbookRequest(c.Query)
	if err != nil {
		return err
	}
	// The report builder's multi-selects repeat their parameters.
	ir := s.impactRequest(c)
	req.Areas, req.Metrics, req.Slice, req.AllAppointments = ir.Areas, ir.Metrics, ir.Slice, ir.AllAppointments
	if len(c.Context().QueryArgs().PeekMulti("event")) > 1 {
		req.EventIDs = nil
		for _, raw := range multi(c, "event") {
			id, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || id <= 0 {
				return &models.ValidationError{Fields: map[string]string{"event": "must be event ids"}}
			}
			req.EventIDs = append(req.EventIDs, id)
		}
	}
	req.BaseURL, req.Version = s.cfg.BaseURL, s.version
	req.Sources, err = s.importSources(c)
	if err != nil {
		return err
	}
	rep, err := analysis.BuildWorkbook(c.UserContext(), s.store, s.activity, req)
	if errors.Is(err, analysis.ErrNoData) || errors.Is(err, analysis.ErrNoEvents) {
		return httpError(fiber.StatusUnprocessableEntity, err.Error())
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, xlsxMIME)
	c.Attachment(xlsx.FileName(rep))
	return xlsx.Write(c.Response().BodyWriter(), rep)
}

// parseWorkbookRequest reads the report parameters shared by the web route
// and the report builder form.
func parseWorkbookRequest(q query) (analysis.WorkbookRequest, error) {
	var req analysis.WorkbookRequest
	v := &models.ValidationError{Fields: map[string]string{}}
	for _, p := range splitList(q("event")) {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id <= 0 {
			v.Fields["event"] = "must be event ids"
			continue
		}
		req.EventIDs = append(req.EventIDs, id)
	}
	if d := q("dispute"); d != "" {
		id, err := strconv.ParseInt(d, 10, 64)
		if err != nil || id <= 0 {
			v.Fields["dispute"] = "must be a dispute id"
		} else {
			req.DisputeID = &id
		}
	}
	for _, f := range []struct {
		name string
		dst  **time.Time
	}{{"from", &req.From}, {"to", &req.To}} {
		if raw := q(f.name); raw != "" {
			t, err := time.Parse(time.DateOnly, raw)
			if err != nil {
				v.Fields[f.name] = "must be a date like 2025-07-01"
				continue
			}
			*f.dst = &t
		}
	}
	if req.From != nil && req.To != nil && req.To.Before(*req.From) {
		v.Fields["to"] = "must not be before from"
	}
	if len(req.EventIDs) == 0 && req.DisputeID == nil && req.From == nil && req.To == nil {
		v.Fields["event"] = "choose events, a dispute, or a date range"
	}
	req.Areas, req.Metrics = splitList(q("area")), splitList(q("metric"))
	if len(v.Fields) > 0 {
		return req, v
	}
	return req, nil
}

// importSources lists the import runs behind the data for the Method
// sheet.
func (s *Server) importSources(c *fiber.Ctx) ([]xlsx.DataSource, error) {
	return analysis.ImportSources(c.UserContext(), s.store)
}
