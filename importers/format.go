package importers

import (
	"fmt"
	"strings"

	"github.com/strikeline/strikeline/models"
)

// Format names a supported file layout.
type Format string

// The supported formats.
const (
	FormatSubICBDaily     Format = "gpad_subicb_daily"
	FormatNatCatDaily     Format = "gpad_national_category_daily"
	FormatPracticeMonthly Format = "gpad_practice_monthly"
	FormatOC              Format = "oc_submissions"
)

// Kinds group formats for the CLI: "strikeline import gpad" accepts the
// GPAD formats, "strikeline import oc" the online-consultation one.
const (
	KindGPAD = "gpad"
	KindOC   = "oc"
)

type formatSpec struct {
	format   Format
	kind     string
	required []string
	target   models.LoadTarget
}

// formatKind is the kind ("gpad", "oc") of format f.
func formatKind(f Format) string {
	for _, s := range formats {
		if s.format == f {
			return s.kind
		}
	}
	return ""
}

// formats is checked in order; the first whose required columns are all
// present wins.
var formats = []formatSpec{
	{FormatSubICBDaily, KindGPAD, []string{"SUB_ICB_LOCATION_CODE", "SUB_ICB_LOCATION_ONS_CODE", "SUB_ICB_LOCATION_NAME", "ICB_ONS_CODE", "REGION_ONS_CODE", "APPOINTMENT_DATE", "APPT_STATUS", "HCP_TYPE", "APPT_MODE", "TIME_BETWEEN_BOOK_AND_APPT", "COUNT_OF_APPOINTMENTS"}, models.TargetSubICBDaily},
	{FormatNatCatDaily, KindGPAD, []string{"SUB_ICB_LOCATION_CODE", "SUB_ICB_LOCATION_ONS_CODE", "SUB_ICB_LOCATION_NAME", "ICB_ONS_CODE", "REGION_ONS_CODE", "APPOINTMENT_DATE", "SERVICE_SETTING", "CONTEXT_TYPE", "NATIONAL_CATEGORY", "COUNT_OF_APPOINTMENTS"}, models.TargetNatCatDaily},
	{FormatPracticeMonthly, KindGPAD, []string{"APPOINTMENT_MONTH_START_DATE", "GP_CODE", "GP_NAME", "PCN_CODE", "PCN_NAME", "SUB_ICB_LOCATION_CODE", "SUB_ICB_LOCATION_NAME", "HCP_TYPE", "APPT_MODE", "NATIONAL_CATEGORY", "TIME_BETWEEN_BOOK_AND_APPT", "APPT_STATUS", "COUNT_OF_APPOINTMENTS"}, models.TargetPracticeMonthly},
	{FormatOC, KindOC, []string{"MONTH", "GP_CODE", "GP_NAME", "PCN_CODE", "PCN_NAME", "SUB_ICB_LOCATION_CODE", "SUB_ICB_LOCATION_NAME", "METRIC", "VALUE"}, models.TargetOCMonthly},
}

// headerAliases maps the CCG-era column names (files before July 2022) to
// the current ones.
var headerAliases = map[string]string{
	"CCG_CODE":     "SUB_ICB_LOCATION_CODE",
	"CCG_ONS_CODE": "SUB_ICB_LOCATION_ONS_CODE",
	"CCG_NAME":     "SUB_ICB_LOCATION_NAME",
	"STP_ONS_CODE": "ICB_ONS_CODE",
	"STP_ONS":      "ICB_ONS_CODE",
}

// maxHeaderQuote is how much of an unrecognised header a message quotes.
const maxHeaderQuote = 300

// HeaderError says a header matched no known format.
type HeaderError struct {
	Header []string
	Kind   string
}

func (e *HeaderError) Error() string {
	var b strings.Builder
	// The header is the file's first line, whatever it holds (one 50 MB
	// line once): quote only its start.
	fmt.Fprintf(&b, "unrecognised header %q; expected one of:", models.SafeText(strings.Join(e.Header, ","), maxHeaderQuote))
	for _, f := range formats {
		if e.Kind != "" && f.kind != e.Kind {
			continue
		}
		fmt.Fprintf(&b, "\n  %s: %s", f.format, strings.Join(f.required, ","))
	}
	return b.String()
}

// normHeader upper-cases, trims and strips a BOM, applying CCG aliases.
func normHeader(h []string) []string {
	out := make([]string, len(h))
	for i, c := range h {
		c = strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(c, "\ufeff")))
		if a, ok := headerAliases[c]; ok {
			c = a
		}
		out[i] = c
	}
	return out
}

// Detect picks the format from a header row (restricted to kind unless
// kind is "") and returns the column index of each required column.
func Detect(header []string, kind string) (formatSpec, map[string]int, error) {
	h := normHeader(header)
	idx := map[string]int{}
	for i, c := range h {
		if _, dup := idx[c]; !dup {
			idx[c] = i
		}
	}
	for _, f := range formats {
		if kind != "" && f.kind != kind {
			continue
		}
		ok := true
		for _, r := range f.required {
			if _, has := idx[r]; !has {
				ok = false
				break
			}
		}
		if ok {
			return f, idx, nil
		}
	}
	return formatSpec{}, nil, &HeaderError{Header: header, Kind: kind}
}
