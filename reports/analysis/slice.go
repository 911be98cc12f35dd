package analysis

import (
	"errors"
	"fmt"
	"strings"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/impact"
)

// Where a slice came from, for the result's description.
const (
	SliceDefault = "default" // derived from the event's staff group or subject
	SliceEvent   = "event"   // set by a planner on the record
	SliceRequest = "request" // asked for in this request only
)

// DefaultSlice is the slice an event is analysed on unless a planner or a
// request says otherwise: a doctors' strike is measured on appointments
// with a GP, a nurses' strike on those with other practice staff, and a GP
// contract change on the appointment modes it is about. Other events read
// every appointment.
func DefaultSlice(e *models.Event) models.ActivitySlice {
	// A contract change is about how patients reach the practice, whoever
	// it is negotiated with (the GP contract's staff group is GPs), so the
	// modes it names come first.
	if e.Kind == models.KindRegulatoryChange && e.Instrument == "contract" {
		text := strings.ToLower(e.Title + " " + e.Summary + " " + e.WhatChanges)
		var modes []string
		if strings.Contains(text, "online") || strings.Contains(text, "video") {
			modes = append(modes, models.CodeLabel(models.DimMode, mustCode(models.DimMode, impact.ModeVideoOnline)))
		}
		if strings.Contains(text, "telephone") || strings.Contains(text, "phone") {
			modes = append(modes, impact.ModeTelephone)
		}
		if strings.Contains(text, "face-to-face") || strings.Contains(text, "face to face") {
			modes = append(modes, impact.ModeFaceToFace)
		}
		if len(modes) > 0 {
			return models.ActivitySlice{Mode: modes}
		}
	}
	switch e.StaffGroup {
	case "resident_doctors", "consultants", "sas_doctors", "gps":
		return models.ActivitySlice{HCP: []string{impact.HCPGP}}
	case "nurses":
		return models.ActivitySlice{HCP: []string{impact.HCPOther}}
	}
	return models.ActivitySlice{}
}

func mustCode(d models.Dimension, label string) models.Code {
	c, ok := models.ParseCode(d, label)
	if !ok {
		panic(fmt.Sprintf("analysis: %s label %q is not in the vocabulary", d, label)) // caught by the tests
	}
	return c
}

// DescribeSlice says in words what a slice and areas select, e.g.
// "appointments with a GP, England".
func DescribeSlice(sl models.ActivitySlice, areas []string) string {
	return sliceWhat(sl) + ", " + describeAreas(areas)
}

// MeasureOf names what a metric counted on a slice, for a sentence or a
// table: "Attended appointments with a GP", "DNA rate of appointments by
// telephone". Filters the metric already fixes (attended is a status; the
// GP share is across HCP types) are not repeated.
func MeasureOf(key, label string, sl models.ActivitySlice) string {
	measure := ShortLabel(label)
	if m, ok := impact.MetricByKey(key); ok && m.Numerator.Dataset == impact.Appointments {
		for _, x := range []struct {
			set  bool
			drop *[]string
		}{{len(m.Numerator.Status) > 0, &sl.Status}, {len(m.Numerator.HCP) > 0, &sl.HCP},
			{len(m.Numerator.Mode) > 0, &sl.Mode}, {len(m.Numerator.Lead) > 0, &sl.Lead}} {
			if x.set {
				*x.drop = nil
			}
		}
	}
	q, ok := strings.CutPrefix(sliceWhat(sl), "appointments ")
	if !ok {
		return measure
	}
	low := strings.ToLower(measure)
	if strings.Contains(low, "appointments") || strings.Contains(low, "visits") {
		return measure + " " + q
	}
	return measure + " of appointments " + q
}

// sliceWhat says what a slice selects, without the area: "appointments
// with a GP", "all appointments".
func sliceWhat(sl models.ActivitySlice) string {
	switch sl.Dataset {
	case models.SliceRoles:
		if len(sl.Role) == 0 {
			return "all appointments of the SDS role group file"
		}
		return "appointments by role group " + strings.Join(sl.Role, " or ")
	case models.SliceDurations:
		if len(sl.Duration) == 0 {
			return "all appointments of the actual duration file"
		}
		return "appointments lasting " + strings.Join(sl.Duration, " or ")
	}
	var parts []string
	if len(sl.Status) > 0 {
		parts = append(parts, "status "+strings.Join(sl.Status, " or "))
	}
	if len(sl.HCP) > 0 {
		var who []string
		for _, h := range sl.HCP {
			switch h {
			case impact.HCPGP:
				who = append(who, "a GP")
			case impact.HCPOther:
				who = append(who, "other practice staff")
			default:
				who = append(who, "staff of unknown type")
			}
		}
		parts = append(parts, "with "+strings.Join(who, " or "))
	}
	if len(sl.Mode) > 0 {
		parts = append(parts, "by "+strings.ToLower(strings.Join(sl.Mode, " or ")))
	}
	if len(sl.Lead) > 0 {
		parts = append(parts, "booked "+strings.ToLower(strings.Join(strings.Fields(strings.Join(sl.Lead, " | ")), " ")))
	}
	if len(parts) > 0 {
		return "appointments " + strings.Join(parts, ", ")
	}
	return "all appointments"
}

func describeAreas(areas []string) string {
	if len(areas) == 0 || (len(areas) == 1 && areas[0] == England) {
		return "England"
	}
	return strings.Join(areas, ", ")
}

// ErrSliceEmpty means a slice leaves nothing of a metric (e.g. attended
// appointments with status=DNA).
var ErrSliceEmpty = errors.New("the slice leaves nothing of this metric")

// applySlice narrows metric m to slice sl. A ratio defined by a dimension
// (GP share is about HCP type, DNA rate about status) ignores the slice on
// that dimension, since a share of one category alone is always 100%;
// ignored names those dimensions. Count metrics keep only the labels both
// select.
func applySlice(m impact.Metric, sl models.ActivitySlice) (out impact.Metric, ignored []string, err error) {
	if m.Numerator.Dataset != impact.Appointments || sl.IsZero() {
		return m, nil, nil
	}
	if dim, labels := sl.LabelFile(); dim != "" {
		if !labelFileMetric(m) {
			return m, nil, fmt.Errorf("%w: the %s file has only total counts", ErrSliceEmpty, sl.Dataset)
		}
		out = m
		out.Numerator = impact.Filter{Dataset: impact.SDSRoles, Role: labels}
		if dim == "duration" {
			out.Numerator = impact.Filter{Dataset: impact.ActualDurations, Duration: labels}
		}
		return out, nil, nil
	}
	out = m
	type dim struct {
		d     models.Dimension
		slice []string
		get   func(*impact.Filter) *[]string
	}
	dims := []dim{
		{d: models.DimStatus, slice: sl.Status, get: func(f *impact.Filter) *[]string { return &f.Status }},
		{d: models.DimHCP, slice: sl.HCP, get: func(f *impact.Filter) *[]string { return &f.HCP }},
		{d: models.DimMode, slice: sl.Mode, get: func(f *impact.Filter) *[]string { return &f.Mode }},
		{d: models.DimLead, slice: sl.Lead, get: func(f *impact.Filter) *[]string { return &f.Lead }},
	}
	for _, x := range dims {
		if len(x.slice) == 0 {
			continue
		}
		if m.IsRatio() && len(*x.get(&m.Denominator)) > 0 {
			ignored = append(ignored, string(x.d))
			continue
		}
		num := intersect(x.d, *x.get(&m.Numerator), x.slice)
		if len(num) == 0 {
			return m, nil, fmt.Errorf("%w: %s %s", ErrSliceEmpty, x.d, strings.Join(x.slice, ", "))
		}
		*x.get(&out.Numerator) = num
		if m.IsRatio() {
			*x.get(&out.Denominator) = intersect(x.d, *x.get(&m.Denominator), x.slice)
		}
	}
	return out, ignored, nil
}

// intersect returns the labels of have that slice also selects (all of
// slice when have is empty), comparing codes so spellings do not matter.
func intersect(d models.Dimension, have, slice []string) []string {
	if len(have) == 0 {
		return append([]string(nil), slice...)
	}
	var out []string
	for _, h := range have {
		hc, ok := models.ParseCode(d, h)
		for _, s := range slice {
			if sc, ok2 := models.ParseCode(d, s); ok && ok2 && sc == hc {
				out = append(out, h)
				break
			}
		}
	}
	return out
}

// labelFileMetric reports whether m can be read from the role group or
// duration file: a count of every appointment (those files carry no status,
// HCP, mode or lead to filter or share by).
func labelFileMetric(m impact.Metric) bool {
	n := m.Numerator
	return !m.IsRatio() && n.Dataset == impact.Appointments &&
		len(n.Status)+len(n.HCP)+len(n.Mode)+len(n.Lead) == 0
}

// fitLabelFile keeps, on a role group or duration slice, the metrics those
// files can measure. A metric the caller asked for that they cannot is an
// error for that parameter; defaults that cannot are dropped, falling back
// to the total.
func (sp *Spec) fitLabelFile(asked bool) error {
	if dim, _ := sp.Slice.LabelFile(); dim == "" {
		return nil
	}
	var bad []string
	var ms []impact.Metric
	for _, m := range sp.Metrics {
		if labelFileMetric(m) {
			ms = append(ms, m)
		} else {
			bad = append(bad, m.Key)
		}
	}
	if asked && len(bad) > 0 {
		return &models.ValidationError{Fields: map[string]string{"metric": fmt.Sprintf(
			"%s cannot be measured on dataset=%s, which has only total counts by %s; use metric=%s",
			strings.Join(bad, ", "), sp.Slice.Dataset, strings.TrimSuffix(sp.Slice.Dataset, "s"), impact.MetricTotal)}}
	}
	if len(ms) == 0 {
		m, _ := impact.MetricByKey(impact.MetricTotal)
		ms = []impact.Metric{m}
	}
	sp.Metrics = ms
	return nil
}
