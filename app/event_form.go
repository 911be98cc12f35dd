package app

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/validate"
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
// order is its place on the form, so the summary reads top to bottom.
type fieldErr struct {
	ID, Msg string
	order   int
}

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
	Disputes []models.TimelineItem
	Figures  int
	// Conflict is what someone else changed since the form was loaded
	// (the 409 page), and ConflictBy who.
	Conflict   []fieldChange
	ConflictBy string
}

// whenHint is what the start and end inputs accept, in the words of their
// hint, replacing the API's wording on the form.
const whenHint = "must be a date (2025-07-25) or a UK date and time (2025-07-25T07:00)"

// fieldsOf lists every input of kind's form, from the field table the
// validation reads.
func fieldsOf(kind models.Kind) []string { return validate.FormInputs(string(kind)) }

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
	disputes, _, err := s.disputeTitles(c)
	if err != nil {
		return formPage{}, err
	}
	return formPage{pageBase: s.base(c, title, "new"), Kind: kind, Kinds: models.Kinds, V: map[string]string{},
		Errors: map[string]string{}, Options: formOptions, Disputes: disputes}, nil
}

// readForm copies the posted form into values, source rows and a document.
// Numbers that do not parse become field errors here, since the document
// cannot hold them.
func readForm(c *fiber.Ctx, kind models.Kind) (map[string]string, []sourceRow, models.EventDoc, *models.ValidationError) {
	v := map[string]string{}
	for _, f := range fieldsOf(kind) {
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
func formToDoc(kind models.Kind, v map[string]string, rows []sourceRow) (models.EventDoc, *models.ValidationError) {
	errs := &models.ValidationError{}
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
			errs.Add(name, validate.CodeBadType, "must be a number, like 5.4")
			return nil
		}
		return &f
	}
	if s := strings.TrimSpace(v["dispute_id"]); s != "" && kind != models.KindDispute {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			errs.Add("dispute_id", validate.CodeBadType, "must be a dispute")
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
				errs.Add("round_number", validate.CodeBadType, "must be a whole number")
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
	if kind != models.KindDispute {
		impactToDoc(&d, v, errs)
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

// impactToDoc reads the impact overrides; the model validates them.
func impactToDoc(d *models.EventDoc, v map[string]string, errs *models.ValidationError) {
	d.AnnouncedOn = strings.TrimSpace(v["announced_on"])
	d.ImpactWindowStart, d.ImpactWindowEnd = strings.TrimSpace(v["impact_window_start"]), strings.TrimSpace(v["impact_window_end"])
	d.ImpactScope = strings.Fields(strings.ReplaceAll(v["impact_scope"], ",", " "))
	d.ImpactMetrics = strings.Fields(strings.ReplaceAll(v["impact_metrics"], ",", " "))
	if s := strings.TrimSpace(v["impact_recovery_days"]); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			errs.Add("impact_recovery_days", validate.CodeBadType, "must be a whole number of days")
		} else {
			d.ImpactRecoveryDays = &n
		}
	}
	sl := models.ActivitySlice{Status: splitList(v["impact_status"]), HCP: splitList(v["impact_hcp"]),
		Mode: splitList(v["impact_mode"]), Lead: splitList(v["impact_lead"])}
	if !sl.IsZero() {
		d.ImpactSlice = &sl
	}
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

var sourceKey = regexp.MustCompile(`^sources\[(\d+)\]\.(url|title|publisher|published_on)$`)

// mapErrors turns validation keys (title, unions[2], sources[0].url) into
// the ids of the inputs that show them, with the labels and order of the
// field table, and builds the error summary. A select's choice errors are
// reworded by their code: the select already shows the choices the API's
// message lists.
func (p *formPage) mapErrors(ve *models.ValidationError, rows []sourceRow) {
	idx := sourceRowIndex(rows)
	kind := string(p.Kind)
	_, sourcesAt, _ := validate.Lookup(kind, "sources")
	sourcesAt *= 1000
	for _, fe := range ve.FieldErrors() {
		key, msg := fe.Field, fe.Message
		id, label, order := "", key, len(validate.Fields)*1000
		if m := sourceKey.FindStringSubmatch(key); m != nil {
			n, _ := strconv.Atoi(m[1])
			if n < len(idx) {
				id = fmt.Sprintf("source_%s_%d", m[2], idx[n])
				label = fmt.Sprintf("Source %d %s", idx[n]+1, validate.MustLookup(kind, "sources."+m[2]).Label)
				order = sourcesAt + 1 + idx[n]*4 + slices.Index(sourceParts, m[2])
			}
		} else if f, at, ok := validate.Lookup(kind, key); ok && f.OnForm(kind) {
			id, label, order = f.Input, f.Label, at*1000
			if (f.Name == "start" || f.Name == "end") && fe.Code == validate.CodeBadDate {
				msg = whenHint
			}
		} else if validate.Base(key) == "sources" {
			id, label, order = "source_url_0", "Sources", sourcesAt
		}
		if _, isSelect := formOptions[id]; isSelect || id == "body" && p.Kind == models.KindPaySettlement {
			switch fe.Code {
			case validate.CodeBadChoice:
				msg = "must be chosen from the list"
			case validate.CodeRequired:
				msg = "is required: choose one from the list"
			}
		}
		if id != "" {
			if _, ok := p.Errors[id]; !ok {
				p.Errors[id] = msg
			}
		}
		p.Summary = append(p.Summary, fieldErr{ID: id, Msg: label + ": " + msg, order: order})
	}
	slices.SortStableFunc(p.Summary, func(a, b fieldErr) int {
		if a.order != b.order {
			return a.order - b.order
		}
		return strings.Compare(a.Msg, b.Msg)
	})
}

// sourceParts is the order of a source row's inputs.
var sourceParts = []string{"url", "title", "publisher", "published_on"}

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
	v["announced_on"], v["impact_window_start"], v["impact_window_end"] = d.AnnouncedOn, d.ImpactWindowStart, d.ImpactWindowEnd
	v["impact_scope"], v["impact_metrics"] = strings.Join(d.ImpactScope, ", "), strings.Join(d.ImpactMetrics, ", ")
	if d.ImpactRecoveryDays != nil {
		v["impact_recovery_days"] = strconv.Itoa(*d.ImpactRecoveryDays)
	}
	if sl := d.ImpactSlice; sl != nil {
		v["impact_status"], v["impact_hcp"] = strings.Join(sl.Status, ", "), strings.Join(sl.HCP, ", ")
		v["impact_mode"], v["impact_lead"] = strings.Join(sl.Mode, ", "), strings.Join(sl.Lead, ", ")
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
