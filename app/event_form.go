package app

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// The sources editor works without JavaScript: existing rows plus blank
// ones, and an "add another source" submit that re-renders with one more.
const (
	blankSourceRows = 1
	maxSourceRows   = 50
)

// option is one choice of a select.
type option struct{ Value, Label string }

// fieldErr is one line of the error summary; ID is the input it links to.
type fieldErr struct{ ID, Msg string }

// sourceRow is one row of the sources editor.
type sourceRow struct {
	I                                  int
	URL, Title, Publisher, PublishedOn string
}

type formPage struct {
	pageBase
	Kind     models.Kind
	Kinds    []models.Kind
	Action   string
	IsEdit   bool
	ID       int64
	Version  int
	V        map[string]string
	Errors   map[string]string
	Summary  []fieldErr
	Sources  []sourceRow
	Options  map[string][]option
	Disputes []models.Event
	Figures  int
}

// formFields are the inputs each kind's form has, beyond the common ones.
var formFields = map[models.Kind][]string{
	models.KindDispute:          {"status", "parties"},
	models.KindStrikeRound:      {"round_number", "action_type", "scope"},
	models.KindPaySettlement:    {"pay_year", "headline_pct", "average_pct", "lump_sum", "outcome", "body", "effective_date"},
	models.KindRegulatoryChange: {"body", "instrument", "what_changes", "affects"},
	models.KindMilestone:        {"milestone_type", "turnout_pct", "yes_pct"},
}

var commonFields = []string{"title", "summary", "start", "end", "dispute_id", "staff_group", "nation", "unions", "notes", "spc_rebase"}

func vocabOptions(codes []string, label func(string) string) []option {
	out := make([]option, len(codes))
	for i, c := range codes {
		out[i] = option{c, label(c)}
	}
	return out
}

var formOptions = map[string][]option{
	"staff_group":    vocabOptions(models.StaffGroups, models.StaffGroupLabel),
	"nation":         vocabOptions(models.Nations, func(s string) string { return s }),
	"status":         vocabOptions(models.DisputeStatuses, codeLabel),
	"action_type":    vocabOptions(models.ActionTypes, codeLabel),
	"outcome":        vocabOptions(models.Outcomes, codeLabel),
	"pay_body":       vocabOptions(models.PayBodies, func(s string) string { return s }),
	"instrument":     vocabOptions(models.Instruments, codeLabel),
	"milestone_type": vocabOptions(models.MilestoneTypes, codeLabel),
}

// newFormPage prepares the form for kind with the dispute choices.
func (s *Server) newFormPage(c *fiber.Ctx, kind models.Kind, title string) (formPage, error) {
	disputes, _, err := s.disputeTitles(c.UserContext())
	if err != nil {
		return formPage{}, err
	}
	return formPage{pageBase: s.base(c, title, "new"), Kind: kind, Kinds: models.Kinds, V: map[string]string{},
		Errors: map[string]string{}, Options: formOptions, Disputes: disputes}, nil
}

// readForm copies the posted form into values, source rows and a document.
// Numbers that do not parse become field errors here, since the document
// cannot hold them.
func readForm(c *fiber.Ctx, kind models.Kind) (map[string]string, []sourceRow, models.EventDoc, map[string]string) {
	v := map[string]string{}
	for _, f := range append(append([]string{}, commonFields...), formFields[kind]...) {
		v[f] = c.FormValue(f)
	}
	rows, _ := strconv.Atoi(c.FormValue("source_rows"))
	rows = min(max(rows, 1), maxSourceRows)
	var srcs []sourceRow
	for i := 0; i < rows; i++ {
		n := strconv.Itoa(i)
		srcs = append(srcs, sourceRow{I: i, URL: c.FormValue("source_url_" + n), Title: c.FormValue("source_title_" + n),
			Publisher: c.FormValue("source_publisher_" + n), PublishedOn: c.FormValue("source_published_on_" + n)})
	}
	doc, errs := formToDoc(kind, v, srcs)
	return v, srcs, doc, errs
}

var listSep = regexp.MustCompile(`[,\n]+`)

func splitList(s string) []string {
	var out []string
	for _, p := range listSep.Split(s, -1) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// formToDoc builds the document from form values. Blank source rows are
// skipped; the rows that remain keep their row numbers for error messages.
func formToDoc(kind models.Kind, v map[string]string, rows []sourceRow) (models.EventDoc, map[string]string) {
	errs := map[string]string{}
	d := models.EventDoc{Kind: kind, Title: v["title"], Summary: v["summary"], Notes: v["notes"],
		Start: strings.TrimSpace(v["start"]), End: strings.TrimSpace(v["end"]), StaffGroup: v["staff_group"],
		Nation: v["nation"], Unions: splitList(v["unions"]), SPCRebase: v["spc_rebase"] != ""}
	num := func(name string) *float64 {
		s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v[name]), "%"))
		if s == "" {
			return nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			errs[name] = "must be a number, like 5.4"
			return nil
		}
		return &f
	}
	if s := strings.TrimSpace(v["dispute_id"]); s != "" && kind != models.KindDispute {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			errs["dispute_id"] = "must be a dispute"
		} else {
			d.DisputeID = &id
		}
	}
	switch kind {
	case models.KindDispute:
		d.Status, d.Parties = v["status"], splitList(v["parties"])
	case models.KindStrikeRound:
		d.ActionType = v["action_type"]
		d.Scope = strings.Fields(strings.ReplaceAll(v["scope"], ",", " "))
		if s := strings.TrimSpace(v["round_number"]); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				errs["round_number"] = "must be a whole number"
			} else {
				d.RoundNumber = &n
			}
		}
	case models.KindPaySettlement:
		d.PayYear, d.LumpSum, d.Outcome, d.Body = strings.TrimSpace(v["pay_year"]), v["lump_sum"], v["outcome"], v["body"]
		d.EffectiveDate = strings.TrimSpace(v["effective_date"])
		d.HeadlinePct, d.AveragePct = num("headline_pct"), num("average_pct")
	case models.KindRegulatoryChange:
		d.Body, d.Instrument, d.WhatChanges, d.Affects = v["body"], v["instrument"], v["what_changes"], v["affects"]
	case models.KindMilestone:
		d.MilestoneType = v["milestone_type"]
		d.TurnoutPct, d.YesPct = num("turnout_pct"), num("yes_pct")
	}
	d.Sources = []models.Source{}
	for _, r := range rows {
		if strings.TrimSpace(r.URL+r.Title+r.Publisher+r.PublishedOn) == "" {
			continue
		}
		d.Sources = append(d.Sources, models.Source{URL: strings.TrimSpace(r.URL), Title: r.Title, Publisher: r.Publisher,
			PublishedOn: strings.TrimSpace(r.PublishedOn)})
	}
	return d, errs
}

// sourceRowIndex maps the n-th non-blank source back to its form row.
func sourceRowIndex(rows []sourceRow) []int {
	var idx []int
	for _, r := range rows {
		if strings.TrimSpace(r.URL+r.Title+r.Publisher+r.PublishedOn) != "" {
			idx = append(idx, r.I)
		}
	}
	return idx
}

var sourceLabels = map[string]string{"url": "address", "title": "title", "publisher": "publisher", "published_on": "date"}

var sourceKey = regexp.MustCompile(`^sources\[(\d+)\]\.(url|title|publisher|published_on)$`)

// mapErrors turns validation keys (title, unions[2], sources[0].url) into
// the ids of the inputs that show them, and builds the error summary.
func (p *formPage) mapErrors(fields map[string]string, rows []sourceRow) {
	idx := sourceRowIndex(rows)
	inputs := map[string]bool{}
	for _, f := range append(append([]string{}, commonFields...), formFields[p.Kind]...) {
		inputs[f] = true
	}
	for key, msg := range fields {
		id := ""
		label := key
		if m := sourceKey.FindStringSubmatch(key); m != nil {
			n, _ := strconv.Atoi(m[1])
			if n < len(idx) {
				id = fmt.Sprintf("source_%s_%d", m[2], idx[n])
				label = fmt.Sprintf("Source %d %s", idx[n]+1, sourceLabels[m[2]])
			}
		} else {
			base, _, _ := strings.Cut(key, "[")
			if inputs[base] {
				id = base
				label = codeLabel(base)
			} else if base == "sources" {
				id = "source_url_0"
				label = "Sources"
			}
		}
		if _, isSelect := formOptions[id]; (isSelect || id == "body" && p.Kind == models.KindPaySettlement) && strings.Contains(msg, "one of") {
			// The model lists the codes; a select already shows the choices.
			msg = "must be chosen from the list"
			if strings.HasPrefix(fields[key], "is required") {
				msg = "is required: choose one from the list"
			}
		}
		if id != "" {
			if _, ok := p.Errors[id]; !ok {
				p.Errors[id] = msg
			}
		}
		p.Summary = append(p.Summary, fieldErr{ID: id, Msg: label + " " + msg})
	}
	sortFieldErrs(p.Summary)
}

func sortFieldErrs(fe []fieldErr) {
	for i := 1; i < len(fe); i++ {
		for j := i; j > 0 && fe[j].Msg < fe[j-1].Msg; j-- {
			fe[j], fe[j-1] = fe[j-1], fe[j]
		}
	}
}

// docToForm fills the form from a stored document (edit).
func docToForm(d models.EventDoc) (map[string]string, []sourceRow) {
	f := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	v := map[string]string{"title": d.Title, "summary": d.Summary, "notes": d.Notes, "start": formWhen(d.Start),
		"end": formWhen(d.End), "staff_group": d.StaffGroup, "nation": d.Nation, "unions": strings.Join(d.Unions, ", "),
		"status": d.Status, "parties": strings.Join(d.Parties, "\n"), "action_type": d.ActionType,
		"scope": strings.Join(d.Scope, ", "), "pay_year": d.PayYear, "headline_pct": f(d.HeadlinePct),
		"average_pct": f(d.AveragePct), "lump_sum": d.LumpSum, "outcome": d.Outcome, "body": d.Body,
		"effective_date": d.EffectiveDate, "instrument": d.Instrument, "what_changes": d.WhatChanges,
		"affects": d.Affects, "milestone_type": d.MilestoneType, "turnout_pct": f(d.TurnoutPct), "yes_pct": f(d.YesPct)}
	if d.DisputeID != nil {
		v["dispute_id"] = strconv.FormatInt(*d.DisputeID, 10)
	}
	if d.SPCRebase {
		v["spc_rebase"] = "on"
	}
	if d.RoundNumber != nil {
		v["round_number"] = strconv.Itoa(*d.RoundNumber)
	}
	var rows []sourceRow
	for i, s := range d.Sources {
		rows = append(rows, sourceRow{I: i, URL: s.URL, Title: s.Title, Publisher: s.Publisher, PublishedOn: s.PublishedOn})
	}
	return v, withBlankRows(rows, blankSourceRows)
}

// formWhen shows a stored date-time as London wall-clock time, the form the
// input accepts back; dates stay as they are.
func formWhen(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.In(models.London).Format("2006-01-02T15:04")
}

// withBlankRows appends n empty rows to the sources editor.
func withBlankRows(rows []sourceRow, n int) []sourceRow {
	for i := 0; i < n && len(rows) < maxSourceRows; i++ {
		rows = append(rows, sourceRow{I: len(rows)})
	}
	return rows
}
