package app

import (
	"net/url"
	"testing"

	"github.com/strikeline/strikeline/models"
)

// FuzzParseEventQuery feeds arbitrary query strings to the list parser:
// no panic, and anything accepted is within the documented bounds.
// Explore with: go test ./app -run '^$' -fuzz FuzzParseEventQuery
func FuzzParseEventQuery(f *testing.F) {
	for _, s := range []string{"", "kind=strike_round,dispute&from=2025-01-01&to=2025-12-31", "year=2025&page=2&per_page=1000",
		"q=%27%3B+DROP+TABLE+events%3B--", "from=2025-02-30", "to=0000-01-01&from=9999-12-31", "page=-1&per_page=0",
		"dispute=9223372036854775808", "kind=,,,", "staff_group=nurses&union=RCN", "q=%ff%fe", "year=1899"} {
		f.Add(s, "")
		f.Add(s, string(models.KindMilestone))
	}
	f.Fuzz(func(t *testing.T, raw string, fixed string) {
		vals, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		get := func(k string, def ...string) string {
			if v := vals.Get(k); v != "" {
				return v
			}
			if len(def) > 0 {
				return def[0]
			}
			return ""
		}
		kind := models.Kind(fixed)
		if !kind.Valid() {
			kind = ""
		}
		q, err := parseEventQuery(get, kind)
		if err != nil {
			if _, ok := err.(*models.ValidationError); !ok {
				t.Fatalf("error is not a validation error: %T %v", err, err)
			}
			return
		}
		f := q.Filter
		switch {
		case q.Page < 1 || q.Page > 100000, q.PerPage < 1 || q.PerPage > 1000:
			t.Fatalf("page %d per_page %d out of bounds", q.Page, q.PerPage)
		case f.Limit != q.PerPage || f.Offset != (q.Page-1)*q.PerPage || f.Offset < 0:
			t.Fatalf("limit %d offset %d do not match the page", f.Limit, f.Offset)
		case f.From != nil && f.To != nil && f.To.Before(*f.From):
			t.Fatalf("to %v before from %v", f.To, f.From)
		case len(f.Query) > 200:
			t.Fatalf("q of %d bytes accepted", len(f.Query))
		case !printable(f.Query) || !printable(f.Union):
			t.Fatalf("q %q or union %q with control characters or invalid UTF-8 accepted", f.Query, f.Union)
		case f.DisputeID != nil && *f.DisputeID <= 0:
			t.Fatalf("dispute %d accepted", *f.DisputeID)
		}
		for _, k := range f.Kinds {
			if !k.Valid() {
				t.Fatalf("unknown kind %q accepted", k)
			}
		}
		if kind != "" && (len(f.Kinds) != 1 || f.Kinds[0] != kind) {
			t.Fatalf("fixed kind %q overridden: %v", kind, f.Kinds)
		}
	})
}
