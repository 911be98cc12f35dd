package app

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// multi reads a repeatable parameter, also accepting comma lists (no
// published label contains a comma).
func multi(c *fiber.Ctx, key string) []string {
	var out []string
	for _, v := range c.Context().QueryArgs().PeekMulti(key) {
		for _, part := range strings.Split(string(v), ",") {
			if p := strings.TrimSpace(part); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func parseCivil(ve *models.ValidationError, field, v string) time.Time {
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		if ve.Fields == nil {
			ve.Fields = map[string]string{}
		}
		ve.Fields[field] = "must be a date YYYY-MM-DD"
	}
	return t
}

// apiActivity serves GET /api/v1/activity (JSON, or CSV with Accept:
// text/csv or the .csv path): from, to, granularity=day|week|month, area,
// status, hcp, mode, lead (repeatable, published labels), group_by.
func (s *Server) apiActivity(asCSV bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ve := &models.ValidationError{}
		q := models.ActivityQuery{
			From:        parseCivil(ve, "from", c.Query("from")),
			To:          parseCivil(ve, "to", c.Query("to")),
			Area:        c.Query("area"),
			Granularity: c.Query("granularity", "day"),
			Status:      multi(c, "status"),
			HCP:         multi(c, "hcp"),
			Mode:        multi(c, "mode"),
			Lead:        multi(c, "lead"),
			GroupBy:     multi(c, "group_by"),
			Boundaries:  parseBoundaries(ve, c.Query("boundaries")),
		}
		adjust := c.Query("adjust")
		if adjust != "" && adjust != "coverage" {
			ve.Fields = map[string]string{"adjust": `must be "coverage" or absent`}
		}
		if len(ve.Fields) > 0 {
			return ve
		}
		ans, err := s.activityAnswer(c.UserContext(), q, adjust == "coverage")
		if err != nil {
			return err
		}
		if asCSV || strings.Contains(c.Get(fiber.HeaderAccept), "text/csv") {
			return writeActivityCSV(c, "activity", q.GroupBy, ans.Points)
		}
		return c.JSON(ans)
	}
}

// apiOC serves GET /api/v1/online-consultations: from, to, area, metric.
func (s *Server) apiOC(c *fiber.Ctx) error {
	ve := &models.ValidationError{}
	from, to := parseCivil(ve, "from", c.Query("from")), parseCivil(ve, "to", c.Query("to"))
	if len(ve.Fields) > 0 {
		return ve
	}
	pts, err := s.store.OCSeries(c.UserContext(), from, to, c.Query("area"), c.Query("metric"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"points": pts})
}

// apiCategories serves GET /api/v1/activity/categories (JSON, or CSV with
// Accept: text/csv or the .csv path): the national-categories series, with
// from, to, granularity, area, category, setting, context (repeatable,
// published labels; not split on commas, as category names are free text)
// and group_by (category, setting, context).
func (s *Server) apiCategories(asCSV bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ve := &models.ValidationError{}
		q := models.CategoryQuery{
			From:        parseCivil(ve, "from", c.Query("from")),
			To:          parseCivil(ve, "to", c.Query("to")),
			Area:        c.Query("area"),
			Granularity: c.Query("granularity", "day"),
			Category:    repeated(c, "category"),
			Setting:     repeated(c, "setting"),
			Context:     repeated(c, "context"),
			GroupBy:     multi(c, "group_by"),
		}
		if len(ve.Fields) > 0 {
			return ve
		}
		pts, err := s.store.CategorySeries(c.UserContext(), q)
		if err != nil {
			return err
		}
		if asCSV || strings.Contains(c.Get(fiber.HeaderAccept), "text/csv") {
			return writeActivityCSV(c, "categories", q.GroupBy, pts)
		}
		return c.JSON(fiber.Map{"area": q.Area, "granularity": q.Granularity, "points": pts})
	}
}

// apiPractices serves GET /api/v1/activity/practices (JSON, or CSV with
// Accept: text/csv or the .csv path): monthly series from the
// practice-level files, with from, to, area (down to a PCN or practice),
// status, hcp, mode, lead, category and group_by.
func (s *Server) apiPractices(asCSV bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ve := &models.ValidationError{}
		q := models.PracticeQuery{
			From:     parseCivil(ve, "from", c.Query("from")),
			To:       parseCivil(ve, "to", c.Query("to")),
			Area:     c.Query("area"),
			Status:   multi(c, "status"),
			HCP:      multi(c, "hcp"),
			Mode:     multi(c, "mode"),
			Lead:     multi(c, "lead"),
			Category: repeated(c, "category"),
			GroupBy:  multi(c, "group_by"),
		}
		if len(ve.Fields) > 0 {
			return ve
		}
		pts, err := s.store.PracticeSeries(c.UserContext(), q)
		if err != nil {
			return err
		}
		if asCSV || strings.Contains(c.Get(fiber.HeaderAccept), "text/csv") {
			return writeActivityCSV(c, "practices", q.GroupBy, pts)
		}
		return c.JSON(fiber.Map{"area": q.Area, "granularity": "month", "points": pts})
	}
}

// repeated reads every value of a repeatable parameter as it is.
func repeated(c *fiber.Ctx, key string) []string {
	var out []string
	for _, v := range c.Context().QueryArgs().PeekMulti(key) {
		if p := strings.TrimSpace(string(v)); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func writeActivityCSV(c *fiber.Ctx, name string, groupBy []string, pts []models.ActivityPoint) error {
	t := csvTable{Header: []string{"period"}, Text: []bool{false}}
	for _, g := range groupBy {
		t.Header = append(t.Header, strings.ToLower(strings.TrimSpace(g)))
		t.Text = append(t.Text, true) // published labels, from the NHS files
	}
	t.Header = append(t.Header, "count")
	for _, p := range pts {
		rec := []string{p.Period.Format("2006-01-02")}
		for _, g := range groupBy {
			rec = append(rec, p.Group[strings.ToLower(strings.TrimSpace(g))])
		}
		t.Rows = append(t.Rows, append(rec, strconv.FormatInt(p.Count, 10)))
	}
	return sendCSV(c, name, t)
}
