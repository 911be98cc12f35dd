package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// activityAnswer is the body of GET /api/v1/activity: the points, which
// file kind each month came from, the GP coverage of the months, and how
// counts were made.
type activityAnswer struct {
	Area        string                 `json:"area"`
	AreaInfo    models.AreaInfo        `json:"area_info"`
	Granularity string                 `json:"granularity"`
	Points      []models.ActivityPoint `json:"points"`
	Sources     []models.SourceMonths  `json:"sources,omitempty"`
	Coverage    []models.CoverageMonth `json:"coverage"`
	Method      string                 `json:"method"`
	Unadjusted  []string               `json:"months_without_coverage,omitempty"`
}

// activityAnswer reads q: monthly series from the daily and monthly files
// together, finer ones from the daily data; with adjust, counts scaled to
// every open practice.
func (s *Server) activityAnswer(ctx context.Context, q models.ActivityQuery, adjust bool) (*activityAnswer, error) {
	var ans activityAnswer
	if q.Granularity == "month" {
		m, err := s.store.ActivityMonthly(ctx, q)
		if err != nil {
			return nil, err
		}
		ans.Points, ans.Sources = m.Points, m.Sources
	} else {
		pts, err := s.store.ActivitySeries(ctx, q)
		if err != nil {
			return nil, err
		}
		ans.Points = pts
	}
	var err error
	ans.Area = q.Area
	if ans.AreaInfo, err = s.store.DescribeArea(ctx, q.Area, q.Boundaries); err != nil {
		return nil, err
	}
	if ans.Coverage, err = s.store.Coverage(ctx, q.Area, q.From, q.To, q.Boundaries); err != nil {
		return nil, err
	}
	ans.Granularity = q.Granularity
	if ans.Granularity == "" {
		ans.Granularity = "day"
	}
	ans.Method = "appointment counts as published"
	if adjust {
		ans.Points, ans.Unadjusted = models.AdjustForCoverage(ans.Points, ans.Coverage)
		ans.Method = models.CoverageMethod
	}
	return &ans, nil
}

// parseBoundaries reads ?boundaries=current|YYYY-MM (zero: current).
func parseBoundaries(ve *models.ValidationError, v string) time.Time {
	if v == "" || v == "current" {
		return time.Time{}
	}
	t, err := time.Parse("2006-01", v)
	if err != nil {
		if ve.Fields == nil {
			ve.Fields = map[string]string{}
		}
		ve.Fields["boundaries"] = "must be current or a month YYYY-MM"
	}
	return t
}

// apiCoverage serves GET /api/v1/coverage (and .csv): the GP coverage of
// an area month by month (from, to, area, boundaries).
func (s *Server) apiCoverage(asCSV bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ve := &models.ValidationError{}
		from, to := parseCivil(ve, "from", c.Query("from")), parseCivil(ve, "to", c.Query("to"))
		b := parseBoundaries(ve, c.Query("boundaries"))
		if len(ve.Fields) > 0 {
			return ve
		}
		cov, err := s.store.Coverage(c.UserContext(), c.Query("area"), from, to, b)
		if err != nil {
			return err
		}
		if asCSV || strings.Contains(c.Get(fiber.HeaderAccept), "text/csv") {
			t := csvTable{Header: []string{"month", "included_practices", "open_practices", "patients_included", "patients_open", "coverage_percent"}}
			for _, m := range cov {
				t.Rows = append(t.Rows, []string{m.Month.Format("2006-01-02"), strconv.FormatInt(m.IncludedPractices, 10), strconv.FormatInt(m.OpenPractices, 10),
					strconv.FormatInt(m.IncludedPatients, 10), strconv.FormatInt(m.OpenPatients, 10), fmt.Sprintf("%.2f", m.Percent)})
			}
			return sendCSV(c, "coverage", t)
		}
		info, err := s.store.DescribeArea(c.UserContext(), c.Query("area"), b)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"area": info, "months": cov})
	}
}

// apiLabelled serves GET /api/v1/activity/roles and /durations (and
// .csv): the SDS role group and actual duration daily files, with from,
// to, granularity, area, value (repeatable published labels: role=Nurses)
// and group_by=role|duration.
func (s *Server) apiLabelled(dim string, asCSV bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ve := &models.ValidationError{}
		q := models.LabelQuery{
			From:        parseCivil(ve, "from", c.Query("from")),
			To:          parseCivil(ve, "to", c.Query("to")),
			Area:        c.Query("area"),
			Granularity: c.Query("granularity", "day"),
			Values:      repeated(c, dim),
		}
		group := multi(c, "group_by")
		for _, g := range group {
			if g != dim {
				ve.Fields = map[string]string{"group_by": "must be " + dim}
			}
		}
		q.Group = len(group) > 0
		if len(ve.Fields) > 0 {
			return ve
		}
		pts, err := s.store.LabelSeries(c.UserContext(), dim, q)
		if err != nil {
			return err
		}
		if asCSV || strings.Contains(c.Get(fiber.HeaderAccept), "text/csv") {
			return writeActivityCSV(c, dim+"s", group, pts)
		}
		return c.JSON(fiber.Map{"area": q.Area, "granularity": q.Granularity, "points": pts})
	}
}

// apiOverview serves GET /api/v1/activity/overview (and .csv): England
// monthly totals from the National Overview file, group_by up to four of
// status, hcp, mode, setting, context, category.
func (s *Server) apiOverview(asCSV bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ve := &models.ValidationError{}
		from, to := parseCivil(ve, "from", c.Query("from")), parseCivil(ve, "to", c.Query("to"))
		if len(ve.Fields) > 0 {
			return ve
		}
		group := multi(c, "group_by")
		pts, err := s.store.OverviewSeries(c.UserContext(), from, to, group)
		if err != nil {
			return err
		}
		if asCSV || strings.Contains(c.Get(fiber.HeaderAccept), "text/csv") {
			return writeActivityCSV(c, "overview", group, pts)
		}
		return c.JSON(fiber.Map{"area": "ENGLAND", "granularity": "month", "points": pts})
	}
}

// apiOCDayTime serves GET /api/v1/online-consultations/day-time:
// submissions by month, weekday and two-hour band (from, to, area), to
// see whether requests spread through the day after the contract change
// of 1 October 2025.
func (s *Server) apiOCDayTime(c *fiber.Ctx) error {
	ve := &models.ValidationError{}
	from, to := parseCivil(ve, "from", c.Query("from")), parseCivil(ve, "to", c.Query("to"))
	if len(ve.Fields) > 0 {
		return ve
	}
	pts, err := s.store.OCDayTime(c.UserContext(), c.Query("area"), from, to)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"area": c.Query("area"), "points": pts, "shares": models.OCBandShares(pts)})
}

// ocDayTimeTable is the by-time-of-day view on a regulatory change's page:
// each band's share of England's submissions in the months around it.
type ocDayTimeTable struct {
	Months []string
	Rows   []ocBandRow
	Link   string
}

type ocBandRow struct {
	Band   string
	Shares []string
}

// ocDayTimeView reads the three months before and after start; nil when
// no by-day-and-time file covers them.
func (s *Server) ocDayTimeView(ctx context.Context, start time.Time) *ocDayTimeTable {
	m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
	from, to := m.AddDate(0, -3, 0), m.AddDate(0, 4, -1)
	pts, err := s.store.OCDayTime(ctx, "", from, to)
	if err != nil {
		s.log.Warn("online consultations by time of day", "err", err)
		return nil
	}
	bs := models.OCBandShares(pts)
	if len(bs.Months) == 0 {
		return nil
	}
	t := &ocDayTimeTable{Link: "/api/v1/online-consultations/day-time?from=" + from.Format("2006-01-02") + "&to=" + to.Format("2006-01-02")}
	for _, mo := range bs.Months {
		t.Months = append(t.Months, mo.Format("Jan 2006"))
	}
	for b, band := range bs.Bands {
		r := ocBandRow{Band: band}
		for _, p := range bs.Percent[b] {
			r.Shares = append(r.Shares, fmt.Sprintf("%.1f%%", p))
		}
		t.Rows = append(t.Rows, r)
	}
	return t
}
