package importers

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/strikeline/strikeline/models"
)

// The formats added for the rest of each publication (docs/data.md).
const (
	FormatRegionalMonthly  Format = "gpad_regional_monthly"
	FormatCoverage         Format = "gpad_coverage"
	FormatNationalOverview Format = "gpad_national_overview"
	FormatSDSRoleDaily     Format = "gpad_sds_role_daily"
	FormatDurationDaily    Format = "gpad_actual_duration_daily"
	FormatOCDayTime        Format = "oc_submissions_day_time"
	FormatOCDaily          Format = "oc_submissions_daily"
)

func init() {
	formats = append(formats,
		formatSpec{FormatRegionalMonthly, KindGPAD, []string{"SUB_ICB_LOCATION_CODE", "APPOINTMENT_MONTH", "APPT_STATUS", "HCP_TYPE", "APPT_MODE", "TIME_BETWEEN_BOOK_AND_APPT", "COUNT_OF_APPOINTMENTS"}, models.TargetSubICBMonthly},
		formatSpec{FormatCoverage, KindGPAD, []string{"SUB_ICB_LOCATION_CODE", "APPOINTMENT_MONTH", "INCLUDED PRACTICES", "OPEN PRACTICES", "PATIENTS REGISTERED AT INCLUDED PRACTICES", "PATIENTS REGISTERED AT OPEN PRACTICES"}, models.TargetCoverage},
		formatSpec{FormatNationalOverview, KindGPAD, []string{"APPOINTMENT_MONTH", "APPT_STATUS", "HCP_TYPE", "APPT_MODE", "SERVICE_SETTING", "CONTEXT_TYPE", "NATIONAL_CATEGORY", "APPOINTMENTS"}, models.TargetNationalOverview},
		formatSpec{FormatSDSRoleDaily, KindGPAD, []string{"SUB_ICB_LOCATION_CODE", "APPOINTMENT_DATE", "SDS_ROLE_GROUP", "COUNT_OF_APPOINTMENTS"}, models.TargetSDSRoleDaily},
		formatSpec{FormatDurationDaily, KindGPAD, []string{"SUB_ICB_LOCATION_CODE", "APPOINTMENT_DATE", "ACTUAL_DURATION", "COUNT_OF_APPOINTMENTS"}, models.TargetDurationDaily},
		formatSpec{FormatOCDayTime, KindOC, []string{"MONTH", "GP_CODE", "SUB_ICB_LOCATION_CODE", "WEEKDAY", "SUBMISSION_TIME", "VALUE"}, models.TargetOCDayTime},
		formatSpec{FormatOCDaily, KindOC, []string{"DATE", "GP_CODE", "CLINICAL", "ADMIN", "UNKNOWN_OTHER", "TOTAL"}, models.TargetOCDaily},
	)
	for f, r := range map[Format]func(*Reader, []int64) error{
		FormatRegionalMonthly:  (*Reader).regionalMonthly,
		FormatCoverage:         (*Reader).coverage,
		FormatNationalOverview: (*Reader).nationalOverview,
		FormatSDSRoleDaily:     (*Reader).sdsRole,
		FormatDurationDaily:    (*Reader).duration,
		FormatOCDayTime:        (*Reader).ocDayTime,
		FormatOCDaily:          (*Reader).ocDaily,
	} {
		extraReaders[f] = r
	}
	for f, t := range map[Format]string{
		FormatSubICBDaily:      "GPAD sub-ICB daily (SUB_ICB_LOCATION_CSV)",
		FormatNatCatDaily:      "GPAD national categories daily",
		FormatPracticeMonthly:  "GPAD practice-level crosstab",
		FormatOC:               "OC submissions monthly (METRIC, VALUE)",
		FormatRegionalMonthly:  "GPAD monthly regional (Regional_CSV, also CCG-era)",
		FormatCoverage:         "GPAD GP coverage (APPOINTMENTS_GP_COVERAGE)",
		FormatNationalOverview: "GPAD National Overview",
		FormatSDSRoleDaily:     "GPAD SDS role group daily",
		FormatDurationDaily:    "GPAD actual duration daily",
		FormatOCDayTime:        "OC submissions by day and time",
		FormatOCDaily:          "OC submissions daily (DATE, CLINICAL, ADMIN, …)",
	} {
		formatTitles[f] = t
	}
}

// extraReaders parse the formats of this file (Next dispatches to them).
var extraReaders = map[Format]func(*Reader, []int64) error{}

// formatTitles name each format for people: what the file is and where
// it is found in the publication.
var formatTitles = map[Format]string{}

// newStyleGlue lists the formats whose unquoted commas inside names are
// glued back by glueNames (the older formats keep their own rule).
func newStyleGlue(f Format) bool { _, ok := extraReaders[f]; return ok }

// glueNames repairs a record with more fields than the header: published
// names (cut at 50 characters) may hold an unquoted comma. The extra
// fields belong to a name column; which one is found by looking at what
// follows: a name is followed by a code or a date (no space, a digit),
// never by words.
func glueNames(rec []string, nhead int, isName []bool) ([]string, bool) {
	extra := len(rec) - nhead
	if extra <= 0 {
		return rec, extra == 0
	}
	out := make([]string, 0, nhead)
	i := 0
	for c := 0; c < nhead; c++ {
		if i >= len(rec) {
			return rec, false
		}
		f := rec[i]
		i++
		if isName[c] {
			for extra > 0 && i < len(rec) && !startsField(rec[i]) {
				f += "," + rec[i]
				i++
				extra--
			}
		}
		out = append(out, f)
	}
	return out, i == len(rec)
}

// startsField reports whether s looks like the code or date after a name
// rather than the rest of the name.
func startsField(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && !strings.Contains(s, " ") && strings.ContainsAny(s, "0123456789")
}

// ParseMonth reads a month as the published files write it: "JUN2023",
// "01JUN2023" or ISO "2023-06-01", and returns the day number of its
// first day.
func ParseMonth(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if len(s) == 7 {
		m, ok := monthAbbr[strings.ToUpper(s[:3])]
		y, err := strconv.Atoi(s[3:])
		if !ok || err != nil || y < 1990 || y > 2100 {
			return 0, fmt.Errorf("not a month like JUN2023, 01JUN2023 or 2023-06-01")
		}
		return models.DayNumber(time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)), nil
	}
	d, err := ParseDate(s)
	if err != nil {
		return 0, fmt.Errorf("not a month like JUN2023, 01JUN2023 or 2023-06-01")
	}
	if models.DayTime(d).Day() != 1 {
		return 0, fmt.Errorf("a month must be given by its first day")
	}
	return d, nil
}

// monthCol parses a month column of any published style.
func (r *Reader) monthCol(col string) (int64, error) {
	v := r.get(col)
	if m := &r.lastDate; m.ok && m.s == v {
		return m.v, nil
	}
	d, err := ParseMonth(v)
	if err != nil {
		return 0, r.bad(col, v, err.Error())
	}
	r.lastDate = memo{strings.Clone(v), d, true}
	return d, nil
}

// whole parses a count column.
func (r *Reader) whole(col string) (int64, error) {
	v := r.get(col)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, r.bad(col, v, "not a whole number ≥ 0")
	}
	return n, nil
}

// queue adds a further row for the current record (files that hold
// several figures on one line: coverage, the daily OC layout); Next hands
// it out before reading on.
func (r *Reader) queue(vals ...int64) {
	row := append(vals, r.line)
	r.pending = append(r.pending, row)
}

func (r *Reader) regionalMonthly(row []int64) error {
	return r.withParent(row, fill(row, r.subICB,
		func() (int64, error) { return r.monthCol("APPOINTMENT_MONTH") },
		func() (int64, error) { return r.code(models.DimStatus, "APPT_STATUS") },
		func() (int64, error) { return r.code(models.DimHCP, "HCP_TYPE") },
		func() (int64, error) { return r.code(models.DimMode, "APPT_MODE") },
		func() (int64, error) { return r.code(models.DimLead, "TIME_BETWEEN_BOOK_AND_APPT") },
		func() (int64, error) { return r.count("COUNT_OF_APPOINTMENTS") }))
}

func (r *Reader) coverage(row []int64) error {
	sub, err := r.subICB()
	if err != nil {
		return err
	}
	m, err := r.monthCol("APPOINTMENT_MONTH")
	if err != nil {
		return err
	}
	var v [4]int64
	for i, col := range []string{"INCLUDED PRACTICES", "OPEN PRACTICES", "PATIENTS REGISTERED AT INCLUDED PRACTICES", "PATIENTS REGISTERED AT OPEN PRACTICES"} {
		if v[i], err = r.whole(col); err != nil {
			return err
		}
	}
	if v[0] > v[1] || v[2] > v[3] {
		return r.bad("INCLUDED PRACTICES", strconv.FormatInt(v[0], 10), "more included than open practices or patients")
	}
	row[0], row[1], row[2], row[3] = sub, m, models.CoverageIncludedPractices, v[0]
	r.queue(sub, m, models.CoverageOpenPractices, v[1])
	r.queue(sub, m, models.CoverageIncludedPatients, v[2])
	r.queue(sub, m, models.CoverageOpenPatients, v[3])
	r.noteParent(sub, m)
	return nil
}

func (r *Reader) nationalOverview(row []int64) error {
	return fill(row, func() (int64, error) { return 0, nil },
		func() (int64, error) { return r.monthCol("APPOINTMENT_MONTH") },
		func() (int64, error) { return r.code(models.DimStatus, "APPT_STATUS") },
		func() (int64, error) { return r.code(models.DimHCP, "HCP_TYPE") },
		func() (int64, error) { return r.code(models.DimMode, "APPT_MODE") },
		func() (int64, error) { return r.label(models.LabelSetting, "SERVICE_SETTING") },
		func() (int64, error) { return r.label(models.LabelContext, "CONTEXT_TYPE") },
		func() (int64, error) { return r.label(models.LabelCategory, "NATIONAL_CATEGORY") },
		func() (int64, error) { return r.count("APPOINTMENTS") })
}

func (r *Reader) sdsRole(row []int64) error {
	return r.withParent(row, fill(row, r.subICB,
		func() (int64, error) { return r.date("APPOINTMENT_DATE") },
		func() (int64, error) { return r.label(models.LabelRole, "SDS_ROLE_GROUP") },
		func() (int64, error) { return r.count("COUNT_OF_APPOINTMENTS") }))
}

func (r *Reader) duration(row []int64) error {
	return r.withParent(row, fill(row, r.subICB,
		func() (int64, error) { return r.date("APPOINTMENT_DATE") },
		func() (int64, error) { return r.label(models.LabelDuration, "ACTUAL_DURATION") },
		func() (int64, error) { return r.count("COUNT_OF_APPOINTMENTS") }))
}

func (r *Reader) ocDayTime(row []int64) error {
	return fill(row, r.practice,
		func() (int64, error) { return r.monthCol("MONTH") },
		func() (int64, error) { return r.supplier() },
		func() (int64, error) {
			v := r.get("WEEKDAY")
			n, ok := models.ParseWeekday(v)
			if !ok {
				return 0, r.bad("WEEKDAY", v, "not a weekday (Monday … Sunday)")
			}
			return n, nil
		},
		func() (int64, error) { return r.label(models.LabelTimeBand, "SUBMISSION_TIME") },
		func() (int64, error) { return r.whole("VALUE") })
}

func (r *Reader) ocDaily(row []int64) error {
	p, err := r.practice()
	if err != nil {
		return err
	}
	d, err := r.date("DATE")
	if err != nil {
		return err
	}
	sup, err := r.supplier()
	if err != nil {
		return err
	}
	var ids [4]int64
	var v [4]int64
	for i, col := range []string{"CLINICAL", "ADMIN", "UNKNOWN_OTHER", "TOTAL"} {
		if v[i], err = r.whole(col); err != nil {
			return err
		}
		if ids[i], err = r.labelText(models.LabelOCKind, col); err != nil {
			return err
		}
	}
	row[0], row[1], row[2], row[3], row[4] = p, d, sup, ids[0], v[0]
	for i := 1; i < 4; i++ {
		r.queue(p, d, sup, ids[i], v[i])
	}
	return nil
}

// supplier is the SUPPLIER label: one supplier, several separated by
// commas (kept as published, one label), or "No data"; a file without
// the column has supplier Unknown.
func (r *Reader) supplier() (int64, error) {
	return r.label(models.LabelSupplier, "SUPPLIER")
}

// labelText resolves a fixed label (not read from a column).
func (r *Reader) labelText(kind, text string) (int64, error) {
	key := kind + "|" + text
	if id, ok := r.cache[key]; ok {
		return id, nil
	}
	id, err := r.res.LabelID(r.ctx, kind, text)
	if err != nil {
		return 0, err
	}
	r.cache[key] = id
	return id, nil
}

// withParent notes the current row's area and month with its ICB (when
// the row parsed).
func (r *Reader) withParent(row []int64, err error) error {
	if err == nil {
		r.noteParent(row[0], row[1])
	}
	return err
}
