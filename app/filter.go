package app

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// EventQuery is the parsed form of the timeline/list query string, shared by
// the API, the pages and the downloads so a URL means the same everywhere.
type EventQuery struct {
	Filter  models.EventFilter
	Page    int
	PerPage int
}

// query reads one parameter; the getter is queryOf(c) in handlers.
type query func(key string, def ...string) string

// listParams are the parameters that take a list, given as a comma list or
// repeated (kind=strike_round&kind=milestone), as the API documents.
var listParams = map[string]bool{"kind": true}

// queryOf reads c's query string: a repeated list parameter joins its
// values with commas; any other parameter is its first value.
func queryOf(c *fiber.Ctx) query {
	return func(key string, def ...string) string {
		if listParams[key] {
			vals := c.Context().QueryArgs().PeekMulti(key)
			if len(vals) > 1 {
				parts := make([]string, len(vals))
				for i, v := range vals {
					parts[i] = string(v)
				}
				return strings.Join(parts, ",")
			}
		}
		return c.Query(key, def...)
	}
}

// parseEventQuery validates the list parameters: kind (a comma list,
// or repeated), from, to, year, union, staff_group, dispute, q, page,
// per_page, status (editorial state). Errors name the parameter.
func parseEventQuery(q query, fixed models.Kind) (EventQuery, error) {
	v := &models.ValidationError{Fields: map[string]string{}}
	out := EventQuery{Page: 1, PerPage: 50}
	f := &out.Filter
	if fixed != "" {
		f.Kinds = []models.Kind{fixed}
	} else if k := q("kind"); k != "" {
		for _, part := range strings.Split(k, ",") {
			kind := models.Kind(strings.TrimSpace(part))
			if kind == "" {
				continue
			}
			if !kind.Valid() {
				v.Fields["kind"] = "unknown kind " + strconv.Quote(string(kind))
				continue
			}
			f.Kinds = append(f.Kinds, kind)
		}
	}
	if s := q("from"); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			v.Fields["from"] = "must be a date like 2025-01-31"
		} else {
			f.From = &t
		}
	}
	if s := q("to"); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			v.Fields["to"] = "must be a date like 2025-12-31"
		} else {
			// "to" is inclusive of the whole day.
			end := t.Add(24*time.Hour - time.Nanosecond)
			f.To = &end
		}
	}
	if s := q("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil || y < 1900 || y > 2200 {
			v.Fields["year"] = "must be a year like 2025"
		} else {
			from := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
			to := time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)
			f.From, f.To = &from, &to
		}
	}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		v.Fields["to"] = "must not be before from"
	}
	f.Union = strings.TrimSpace(q("union"))
	if !printable(f.Union) {
		v.Fields["union"] = "must be text without control characters"
	}
	if sg := q("staff_group"); sg != "" {
		if !containsStr(models.StaffGroups, sg) {
			v.Fields["staff_group"] = "must be one of " + strings.Join(models.StaffGroups, ", ")
		}
		f.StaffGroup = sg
	}
	if d := q("dispute"); d != "" {
		id, err := strconv.ParseInt(d, 10, 64)
		if err != nil || id <= 0 {
			v.Fields["dispute"] = "must be a dispute id"
		} else {
			f.DisputeID = &id
		}
	}
	if st := q("status"); st != "" {
		if st != models.PubDraft && st != models.PubPublished && st != models.PubWithdrawn {
			v.Fields["status"] = "must be draft (awaiting review), published or withdrawn"
		}
		f.Status = st
	}
	f.Query = q("q")
	if len(f.Query) > 200 {
		v.Fields["q"] = "must be at most 200 characters"
	} else if !printable(f.Query) {
		v.Fields["q"] = "must be text without control characters"
	}
	if p := q("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 100000 {
			v.Fields["page"] = "must be a positive whole number"
		} else {
			out.Page = n
		}
	}
	if p := q("per_page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 1000 {
			v.Fields["per_page"] = "must be between 1 and 1000"
		} else {
			out.PerPage = n
		}
	}
	f.Limit, f.Offset = out.PerPage, (out.Page-1)*out.PerPage
	if len(v.Fields) > 0 {
		return out, v
	}
	return out, nil
}

// checkQuery refuses a request whose query string holds a parameter name
// or value that is not printable text, with a 422 naming the parameter.
// It runs before every handler, so no handler, page or download can pass
// such text to the database (PostgreSQL fails NUL and invalid UTF-8 with
// an error) or echo it back.
func checkQuery(c *fiber.Ctx) error {
	var bad string
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		if bad != "" {
			return
		}
		if ks := string(k); !printable(ks) {
			bad = strconv.QuoteToASCII(ks)
		} else if !printable(string(v)) {
			bad = ks
		}
	})
	if bad == "" {
		return c.Next()
	}
	return &models.ValidationError{Fields: map[string]string{bad: "must be text without control characters"}}
}

// printable reports whether s is valid UTF-8 without NUL or other control
// characters. PostgreSQL rejects invalid UTF-8 and NUL in text parameters
// with an error (a 500 if it got that far), and neither can match a
// stored field anyway, since the validator never stores them.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
