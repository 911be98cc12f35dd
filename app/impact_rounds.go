package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/app/svgchart"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/analysis"
	"github.com/strikeline/strikeline/reports/impact"
	"github.com/strikeline/strikeline/reports/xlsx"
)

// roundsRequest reads ?metric=&area=&status=&hcp=&mode=&lead=[&slice=all].
func (s *Server) roundsRequest(c *fiber.Ctx) analysis.RoundsRequest {
	ir := s.impactRequest(c)
	r := analysis.RoundsRequest{Areas: ir.Areas, Slice: ir.Slice, AllAppointments: ir.AllAppointments, BeforeCompute: ir.BeforeCompute}
	if len(ir.Metrics) > 0 {
		r.Metric = ir.Metrics[0]
	}
	return r
}

// compareRounds runs the comparison and sorts it by ?sort=&order=. The
// comparison is stored once made, under the state it was made at (see
// storedKey), so a request reads one stored row instead of every round's;
// an anonymous request finds it in the register memo under the same state,
// with no query at all. Each request sorts its own copy: the memo's is
// shared.
func (s *Server) compareRounds(c *fiber.Ctx) (*analysis.Rounds, error) {
	r, err := memoised(s, c, "rounds\x00"+string(c.Request().URI().QueryString()), func(context.Context) (*analysis.Rounds, error) {
		return s.storedRounds(c)
	})
	if err != nil {
		return nil, err
	}
	sorted := *r
	// A copy that stays a list when empty: the API's items is never null.
	sorted.Items = make([]analysis.RoundRow, len(r.Items))
	copy(sorted.Items, r.Items)
	sorted.Sort(c.Query("sort", "date"), c.Query("order") == "desc")
	return &sorted, nil
}

// storedRounds reads the comparison stored at the current state, or makes
// and stores it.
func (s *Server) storedRounds(c *fiber.Ctx) (*analysis.Rounds, error) {
	ctx := c.UserContext()
	req := s.roundsRequest(c)
	key, err := s.storedKey(c, -1)
	if err != nil {
		return nil, err
	}
	ask, _ := json.Marshal(struct {
		M   string
		A   []string
		S   models.ActivitySlice
		All bool
	}{req.Metric, req.Areas, req.Slice, req.AllAppointments})
	h := sha256.Sum256(ask)
	name := "rounds/" + hex.EncodeToString(h[:12])
	r := &analysis.Rounds{}
	body, ok, err := s.store.ImpactResult(ctx, 0, 0, name, key)
	if err != nil {
		return nil, err
	}
	if !ok || json.Unmarshal(body, r) != nil {
		if r, err = analysis.CompareRounds(ctx, s.store, s.activity, req); err != nil {
			return nil, err
		}
		if body, err = json.Marshal(r); err != nil {
			return nil, fmt.Errorf("encoding the rounds: %w", err)
		}
		// Event 0, version 0: the comparison of every event, keyed by
		// the state; a new state supersedes the old one.
		if err := s.store.PutImpactResult(ctx, models.ImpactResult{SliceKey: name, DataState: key, Body: string(body)}); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// apiRounds answers GET /api/v1/impact/rounds (JSON), .csv and .xlsx: every
// strike round with imported activity side by side, and the regulatory
// changes' level changes.
func (s *Server) apiRounds(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := s.compareRounds(c)
		if err != nil {
			return err
		}
		switch format {
		case "csv":
			head, rows := roundsTable(r)
			t := csvTable{Header: head, Text: make([]bool, len(head))}
			for i, h := range head {
				// Titles, unions and slice descriptions come from records
				// and NHS labels; the rest are numbers, dates and codes.
				t.Text[i] = h == "title" || h == "unions" || h == "slice"
			}
			for _, row := range rows {
				rec := make([]string, len(row))
				for i, v := range row {
					rec[i] = csvCell(v)
				}
				t.Rows = append(t.Rows, rec)
			}
			return sendCSV(c, "impact-rounds", t)
		case "xlsx":
			head, rows := roundsTable(r)
			t := xlsx.Table{Sheet: "Rounds", Title: "Strike rounds compared: " + r.MetricLabel, Rows: rows}
			for _, h := range head {
				rate := r.Unit == impact.UnitRatio && (h == "observed" || h == "expected")
				t.Columns = append(t.Columns, xlsx.Column{Name: h, Percent: strings.Contains(h, "effect") || rate, Date: h == "from" || h == "to"})
			}
			c.Set(fiber.HeaderContentType, xlsxMIME)
			c.Attachment("impact-rounds.xlsx")
			return xlsx.WriteTable(c.Response().BodyWriter(), t)
		}
		return c.JSON(r)
	}
}

// roundsTable lays the rounds out as rows for CSV and the workbook.
func roundsTable(r *analysis.Rounds) ([]string, [][]any) {
	head := []string{"event_id", "title", "from", "to", "working_days", "unions", "staff_group", "slice",
		"observed", "expected", "effect", "effect_lower", "effect_upper", "net_effect", "net_effect_lower", "net_effect_upper",
		"nhse_appointments_rescheduled", "nhse_staff_absent_peak"}
	var rows [][]any
	for _, x := range r.Items {
		rows = append(rows, []any{float64(x.EventID), x.Title, x.From, x.To, float64(x.WorkingDays), strings.Join(x.Unions, ", "),
			x.StaffGroup, x.Slice, x.Observed, x.Expected, x.Value, x.Lower, x.Upper, x.NetValue, x.NetLower, x.NetUpper,
			figure(x.Published, "appointments_rescheduled"), figure(x.Published, "staff_absent_peak")})
	}
	return head, rows
}

func figure(fs []models.Figure, metric string) *float64 {
	for _, f := range fs {
		if f.Metric == metric {
			v := float64(f.Value)
			return &v
		}
	}
	return nil
}

func csvCell(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case *float64:
		if x == nil {
			return ""
		}
		return strconv.FormatFloat(*x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// roundLine is one table row of /impact, formatted.
type roundLine struct {
	ID                                   int64
	Title, Dates, Unions, Staff, Slice   string
	WorkingDays                          int
	Observed, Expected, Effect, Interval string
	Net, Rescheduled, StaffAbsent        string
	Clear                                bool // the interval excludes zero
}

// changeLine is one regulatory change row of /impact, formatted.
type changeLine struct {
	ID                                  int64
	Title, Date, Slice, Level, Interval string
	Relative, Error                     string
}

func fmtPct(v float64) string {
	return strings.Replace(strconv.FormatFloat(v*100, 'f', 1, 64)+"%", "-", "−", 1)
}

func fmtAmount(v float64, unit string) string {
	if unit == impact.UnitRatio {
		return strconv.FormatFloat(v*100, 'f', 2, 64) + "%"
	}
	return thousands(int64(v + 0.5*sign(v)))
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

// thousands writes n with comma separators: 61,000.
func thousands(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "−" + s
	}
	return s
}

func lines(r *analysis.Rounds) []roundLine {
	var out []roundLine
	for _, x := range r.Items {
		l := roundLine{ID: x.EventID, Title: x.Title, Dates: roundDates(x.From, x.To), Unions: strings.Join(x.Unions, ", "),
			Staff: x.StaffGroup, Slice: x.Slice, WorkingDays: x.WorkingDays,
			Observed: fmtAmount(x.Observed, r.Unit), Expected: fmtAmount(x.Expected, r.Unit),
			Effect: fmtPct(x.Value), Interval: fmtPct(x.Lower) + " to " + fmtPct(x.Upper), Clear: x.Upper < 0 || x.Lower > 0}
		if x.NetValue != nil {
			l.Net = fmtPct(*x.NetValue) + " (" + fmtPct(*x.NetLower) + " to " + fmtPct(*x.NetUpper) + ")"
		}
		if v := figure(x.Published, "appointments_rescheduled"); v != nil {
			l.Rescheduled = thousands(int64(*v))
		}
		if v := figure(x.Published, "staff_absent_peak"); v != nil {
			l.StaffAbsent = thousands(int64(*v))
		}
		out = append(out, l)
	}
	return out
}

// roundDates writes a round's first and last day as a reader says them
// ("14–16 Jun 2023"), so the column stays narrow; CSV and the workbook
// keep ISO dates.
func roundDates(from, to string) string {
	a, err1 := time.Parse(time.DateOnly, from)
	b, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil {
		return from + " to " + to
	}
	return analysis.DayRange(a, b)
}

type roundsPage struct {
	pageBase
	R       *analysis.Rounds
	Lines   []roundLine
	Changes []changeLine
	Chart   template.HTML
	Metrics []impact.Metric
	Filters []labelFilter
	// Files are the role group and duration filters, with the labels
	// imported so far; Dataset and Area echo the request.
	Files    []labelFilter
	Dataset  string
	Area     string
	Sort     string
	Desc     bool
	Query    string // the current filters, for the sort and download links
	Selected map[string]bool
	// SortLinks are the header links, in RoundSortKeys order (date,
	// effect, net, working days, title); a second click reverses.
	SortLinks []string
}

// pageRounds is /impact: every strike round side by side with a
// dot-and-whisker chart of the effects, sortable by column (links, no
// JavaScript), and the regulatory changes below.
func (s *Server) pageRounds(c *fiber.Ctx) error {
	// The page below its chrome is the same for every anonymous reader at
	// one state, so it is kept in the register memo like the event page.
	p, err := memoised(s, c, "rounds-page\x00"+string(c.Request().URI().QueryString()), func(context.Context) (roundsPage, error) {
		return s.roundsPageData(c)
	})
	if err != nil {
		return err
	}
	p.pageBase = s.base(c, "Strike rounds compared", "impact")
	return s.render(c, fiber.StatusOK, "impact", p)
}

// roundsPageData works out /impact's content: the comparison, its chart,
// the lines of the table and the regulatory changes.
func (s *Server) roundsPageData(c *fiber.Ctx) (roundsPage, error) {
	r, err := s.compareRounds(c)
	if err != nil {
		return roundsPage{}, err
	}
	p := roundsPage{R: r, Metrics: impact.Metrics(),
		Filters: activityFilters(), Sort: c.Query("sort", "date"), Desc: c.Query("order") == "desc", Selected: map[string]bool{}}
	p.Dataset, p.Area = c.Query("dataset"), strings.Join(multi(c, "area"), ",")
	if p.Files, err = s.fileFilters(c.UserContext()); err != nil {
		return roundsPage{}, err
	}
	var q []string
	for _, k := range []string{"metric", "area", "status", "hcp", "mode", "lead", "dataset", "role", "duration"} {
		for _, v := range multi(c, k) {
			q = append(q, k+"="+url.QueryEscape(v))
			p.Selected[k+"="+v] = true
		}
	}
	if c.Query("slice") == "all" {
		q = append(q, "slice=all")
		p.Selected["slice=all"] = true
	}
	p.Query = strings.Join(q, "&")
	// The chart is always in date order, whatever the table's sort.
	dated := *r
	dated.Items = append([]analysis.RoundRow(nil), r.Items...)
	dated.Sort("date", false)
	spec := svgchart.DotSpec{Title: "Effect of each strike round on " + strings.ToLower(r.MetricLabel),
		Desc:   fmt.Sprintf("Relative effect during each of %d strike rounds, with its 95%% interval, in date order; the same figures are in the table below.", len(r.Items)),
		XLabel: "Effect during the action (vs expected)", Percent: true}
	for _, x := range dated.Items {
		label := x.From
		if x.Round != nil {
			label = "Round " + strconv.Itoa(*x.Round) + " · " + x.From[:7]
		}
		spec.Rows = append(spec.Rows, svgchart.Estimate{Label: label, Value: x.Value, Lower: x.Lower, Upper: x.Upper,
			Href: "/events/" + strconv.FormatInt(x.EventID, 10)})
	}
	p.Chart = template.HTML(svgchart.DotWhisker(spec)) // escaped by the chart package
	p.Lines = lines(r)
	for _, x := range r.Changes {
		l := changeLine{ID: x.EventID, Title: x.Title, Date: x.Date, Slice: x.Slice}
		switch {
		case x.NotMeasured != nil:
			// In words with the real dates; the engine's text is for the API.
			l.Error = x.NotMeasured.Sentence(string(models.KindRegulatoryChange))
		case x.Error != "":
			l.Error = analysis.NotMeasured{Code: analysis.NotMeasuredOther}.Sentence(string(models.KindRegulatoryChange))
		}
		if x.Error == "" {
			l.Level, l.Interval = fmtAmount(x.Level, r.Unit), fmtAmount(x.LevelLower, r.Unit)+" to "+fmtAmount(x.LevelUpper, r.Unit)
			l.Relative = fmtPct(x.MeanRelativeChange)
		}
		p.Changes = append(p.Changes, l)
	}
	for _, k := range analysis.RoundSortKeys {
		order := ""
		if k == p.Sort && !p.Desc {
			order = "&order=desc"
		}
		p.SortLinks = append(p.SortLinks, "?"+strings.TrimPrefix(p.Query+"&", "&")+"sort="+k+order)
	}
	return p, nil
}
