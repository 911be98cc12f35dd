package models

import (
	"strings"
)

// Dimension is one of the four coded GPAD categories that the activity
// series can be filtered and grouped by.
type Dimension string

// The GPAD dimensions, named as in query strings (group_by=status,hcp).
const (
	DimStatus Dimension = "status"
	DimHCP    Dimension = "hcp"
	DimMode   Dimension = "mode"
	DimLead   Dimension = "lead"
)

// Dimensions lists the dimensions in column order.
var Dimensions = []Dimension{DimStatus, DimHCP, DimMode, DimLead}

// DimensionIndex is d's position in Dimensions.
func DimensionIndex(d Dimension) int {
	for i, x := range Dimensions {
		if x == d {
			return i
		}
	}
	panic("models: unknown dimension " + string(d))
}

// Code is a category stored as a small integer. 0 is always Unknown.
type Code int16

// category is one code with its canonical published label and every other
// spelling seen in the published files.
type category struct {
	Code    Code
	Label   string
	Aliases []string
}

// vocab holds, in one place, every category code and its published labels.
// Labels keep the publisher's spelling, double spaces included ("8  to 14
// Days"); the empty string is Unknown because some re-exports store the
// literal "Unknown" as an empty field.
var vocab = map[Dimension][]category{
	DimStatus: {
		{0, "Unknown", []string{"", "Appt Status Not Provided"}},
		{1, "Attended", nil},
		{2, "DNA", nil},
	},
	DimHCP: {
		{0, "Unknown", []string{"", "HCP Type Not Provided"}},
		{1, "GP", nil},
		{2, "Other Practice staff", nil},
	},
	DimMode: {
		{0, "Unknown", []string{""}},
		{1, "Face-to-Face", nil},
		{2, "Telephone", nil},
		// Daily files say "Video Conference/Online", monthly files "Video/Online".
		{3, "Video Conference/Online", []string{"Video/Online"}},
		{4, "Home Visit", nil},
	},
	DimLead: {
		// "Data Quality" in current files, "Data Issue" in older ones and
		// the practice crosstab.
		{0, "Unknown / Data Quality", []string{"", "Unknown / Data Issue", "Unknown"}},
		{1, "Same Day", nil},
		{2, "1 Day", nil},
		{3, "2 to 7 Days", nil},
		{4, "8  to 14 Days", nil},
		{5, "15  to 21 Days", nil},
		{6, "22  to 28 Days", nil},
		{7, "More than 28 Days", nil},
	},
}

// lookup maps dimension → normalised label → code.
var lookup = func() map[Dimension]map[string]Code {
	m := map[Dimension]map[string]Code{}
	for d, cats := range vocab {
		m[d] = map[string]Code{}
		for _, c := range cats {
			m[d][normLabel(c.Label)] = c.Code
			for _, a := range c.Aliases {
				m[d][normLabel(a)] = c.Code
			}
		}
	}
	return m
}()

// normLabel folds case and runs of spaces, so a file or a query that says
// "8 to 14 days" still finds the published "8  to 14 Days".
func normLabel(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// exact maps the labels exactly as published, the hot path when parsing.
var exact = func() map[Dimension]map[string]Code {
	m := map[Dimension]map[string]Code{}
	for d, cats := range vocab {
		m[d] = map[string]Code{}
		for _, c := range cats {
			m[d][c.Label] = c.Code
			for _, a := range c.Aliases {
				m[d][a] = c.Code
			}
		}
	}
	return m
}()

// ParseCode returns the code of a published label (or alias) in dimension d.
func ParseCode(d Dimension, label string) (Code, bool) {
	if c, ok := exact[d][label]; ok {
		return c, true
	}
	c, ok := lookup[d][normLabel(label)]
	return c, ok
}

// CodeLabel returns the canonical published label of code c in dimension d.
func CodeLabel(d Dimension, c Code) string {
	for _, cat := range vocab[d] {
		if cat.Code == c {
			return cat.Label
		}
	}
	return "Unknown"
}

// CodeLabels lists the canonical labels of dimension d in code order.
func CodeLabels(d Dimension) []string {
	var out []string
	for _, c := range vocab[d] {
		out = append(out, c.Label)
	}
	return out
}

// Area levels in the areas table.
const (
	LevelNational = 0
	LevelRegion   = 1
	LevelICB      = 2
	LevelSubICB   = 3
	LevelPCN      = 4
	LevelPractice = 5
)

// Label kinds for the open vocabularies kept in activity_labels (lists that
// NHS England extends from time to time, so they are not closed enums).
const (
	LabelSetting  = "service_setting"
	LabelContext  = "context_type"
	LabelCategory = "national_category"
	LabelSupplier = "supplier"
	LabelMetric   = "oc_metric"
)
