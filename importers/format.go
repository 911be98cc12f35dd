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
	"STPNM":        "ICB_NAME",
}

// maxHeaderQuote is how much of an unrecognised header a message quotes
// (the header is the file's first line, whatever it holds: one 50 MB line
// once).
const maxHeaderQuote = 100

// HeaderError says a header matched no format that may be imported here.
type HeaderError struct {
	Header []string
	Kind   string
	// Other is the format the header matched when it is of another kind
	// than the one asked for.
	Other Format
}

// maxMessage caps the length of an error shown on the import page.
const maxMessage = 1200

func (e *HeaderError) Error() string {
	var b strings.Builder
	switch {
	case e.Other != "":
		fmt.Fprintf(&b, "This is the %s file, not %s: import it with \"strikeline import %s\" (or choose %s on the upload form).",
			formatTitle(e.Other), kindNoun(e.Kind), formatKind(e.Other), formatKind(e.Other))
	default:
		if s := recognise(normHeader(e.Header)); s != "" {
			b.WriteString(s)
		} else {
			fmt.Fprintf(&b, "This file is not one Strikeline reads: its header (%s) matches none of the NHS files below.", models.SafeText(strings.Join(e.Header, ","), maxHeaderQuote))
		}
	}
	b.WriteString(" Accepted files:")
	for _, f := range formats {
		if e.Kind != "" && f.kind != e.Kind {
			continue
		}
		fmt.Fprintf(&b, "\n  - %s: %s", f.format, formatTitle(f.format))
	}
	return models.SafeText(b.String(), maxMessage)
}

func kindNoun(kind string) string {
	if kind == KindOC {
		return "online consultation submissions"
	}
	return "GP appointments"
}

func formatTitle(f Format) string {
	if t, ok := formatTitles[f]; ok {
		return t
	}
	return string(f)
}

// recognised are NHS files that are known but not stored, each with the
// columns that identify it and the sentence that says so.
var recognised = []struct {
	cols     []string
	sentence string
}{
	{[]string{"PCN_CODE", "APPOINTMENT_DATE", "COUNT_OF_APPOINTMENTS"}, "This is the PCN granular file (PCN_GRANULAR.csv), which Strikeline does not store: the same appointments are in the sub-ICB daily and practice-level files."},
	{[]string{"GP_CODE", "COUNT_OF_APPOINTMENTS"}, "This looks like a practice-level appointments file, but some of its columns are missing or renamed."},
	{[]string{"APPOINTMENT_DATE", "COUNT_OF_APPOINTMENTS"}, "This looks like a GPAD daily appointments file, but its category columns are not those of any published layout."},
}

// recognise returns the sentence for a known but unsupported header.
func recognise(h []string) string {
	has := map[string]bool{}
	for _, c := range h {
		has[c] = true
	}
	for _, r := range recognised {
		ok := true
		for _, c := range r.cols {
			ok = ok && has[c]
		}
		if ok {
			return r.sentence
		}
	}
	return ""
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
		if ok && !figureless(f.format, idx) {
			return f, idx, nil
		}
	}
	he := &HeaderError{Header: header, Kind: kind}
	if kind != "" {
		if f, _, err := Detect(header, ""); err == nil {
			he.Other = f.format
		}
	}
	return formatSpec{}, nil, he
}
