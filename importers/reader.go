package importers

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/strikeline/strikeline/models"
)

// Resolver turns area codes and open-vocabulary labels into the integer ids
// rows are stored with.
type Resolver interface {
	AreaID(ctx context.Context, a models.Area) (int64, error)
	LabelID(ctx context.Context, kind, label string) (int64, error)
}

// BadRow is a record that failed validation. The reader stays usable.
type BadRow struct{ models.RowError }

func (b *BadRow) Error() string {
	return fmt.Sprintf("line %d: %s %q: %s", b.Line, b.Column, b.Value, b.Reason)
}

// Reader parses one CSV stream of a detected format into rows of integers:
// the target's key columns, then the count, then the line number.
type Reader struct {
	ctx    context.Context
	cr     *records
	spec   formatSpec
	col    map[string]int
	head   []string // the header as written, for naming columns
	nhead  int
	res    Resolver
	cache  map[string]int64
	dates  map[string]int64
	line   int64
	fields []string

	// The value of the previous row, per column: rows come in runs of the
	// same area, date and categories, and comparing a string is much
	// cheaper than looking it up (this halved the parse time).
	hot       []hotCol
	lastSub   memo
	lastDate  memo
	lastCodes [4]memo // by models.DimensionIndex

	// The ICB of the last sub-ICB location looked up, and the ICB column
	// it was looked up with (a file re-issuing months across a merger
	// gives one location two ICBs).
	lastSubICB string
	curICB     int64
	curRegion  int64
	icbOf      map[string][2]int64 // ICB and region
	// parents collects (area, month) → ICB for models.RecordAreaMonths.
	parents    map[[2]int64]int64
	lastParent [2]int64
	// pending holds further rows of the current record (see queue).
	pending [][]int64
	isName  []bool
}

// memo is a column's previous value and what it parsed to.
type memo struct {
	s  string
	v  int64
	ok bool
}

// NewReader reads the header of r, detects its format (restricted to kind,
// "" for any) and returns a reader positioned on the first record.
func NewReader(ctx context.Context, r io.Reader, kind string, res Resolver) (*Reader, error) {
	cr := newRecords(r)
	h, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("the file is empty")
	}
	if err != nil {
		return nil, fmt.Errorf("reading the header: %w", err)
	}
	h = append([]string(nil), h...)
	spec, col, err := Detect(h, kind)
	if err != nil {
		return nil, err
	}
	rd := &Reader{ctx: ctx, cr: cr, spec: spec, col: col, head: h, nhead: len(h), res: res,
		cache: map[string]int64{}, dates: map[string]int64{}, icbOf: map[string][2]int64{}, parents: map[[2]int64]int64{}}
	rd.isName = make([]bool, len(h))
	for i, c := range normHeader(h) {
		rd.isName[i] = strings.HasSuffix(c, "_NAME") || c == "STPNM"
	}
	return rd, nil
}

// Format is the detected format.
func (r *Reader) Format() Format { return r.spec.format }

// Target is the table the rows load into.
func (r *Reader) Target() models.LoadTarget { return r.spec.target }

// Width is the length of the rows Next fills.
func (r *Reader) Width() int { return len(r.spec.target.Cols) + 2 }

// Next parses the next record into row (of length Width). It returns io.EOF
// at the end, a *BadRow for an invalid record, or another (fatal) error.
func (r *Reader) Next(row []int64) error {
	if len(r.pending) > 0 {
		copy(row, r.pending[0])
		r.pending = r.pending[1:]
		return nil
	}
	rec, err := r.cr.Read()
	if err == io.EOF {
		return io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		r.line = int64(pe.Line)
		return r.bad("", "", "malformed CSV: "+pe.Err.Error())
	} else if err != nil {
		return fileError{fmt.Errorf("reading the file after line %d: %w", r.line, err)}
	}
	// FieldPos is only valid for a record that parsed.
	if len(rec) > 0 {
		r.line = r.cr.Line()
	}
	if len(rec) > r.nhead && newStyleGlue(r.spec.format) {
		rec, _ = glueNames(rec, r.nhead, r.isName)
	} else if len(rec) > r.nhead {
		// One old CCG name contains an unquoted comma: glue the extra
		// fields back into the name column.
		if ni, ok := r.col["SUB_ICB_LOCATION_NAME"]; ok && r.spec.format != FormatOC && r.spec.format != FormatPracticeMonthly {
			extra := len(rec) - r.nhead
			merged := strings.Join(rec[ni:ni+extra+1], ",")
			rec = append(append(append(rec[:0:0], rec[:ni]...), merged), rec[ni+extra+1:]...)
		}
	}
	if len(rec) != r.nhead {
		return r.bad("", "", fmt.Sprintf("expected %d fields, found %d", r.nhead, len(rec)))
	}
	// Names and labels are stored as text: invalid UTF-8 or a NUL would be
	// refused by PostgreSQL mid-load, so it is a bad row, found here.
	if !r.cr.Text() {
		for i, f := range rec {
			if !isText(f) {
				return r.bad(r.head[i], f, "not valid UTF-8 text (the file must be UTF-8)")
			}
		}
	}
	r.fields = rec
	row[len(row)-1] = r.line
	switch r.spec.format {
	case FormatSubICBDaily:
		return r.subICBDaily(row)
	case FormatNatCatDaily:
		return r.natCatDaily(row)
	case FormatPracticeMonthly:
		return r.practiceMonthly(row)
	case FormatOC:
		return r.oc(row)
	}
	if f, ok := extraReaders[r.spec.format]; ok {
		return f(r, row)
	}
	return fmt.Errorf("no reader for %s", r.spec.format)
}

func (r *Reader) bad(col, val, reason string) error {
	// Both are the file's text, kept in the run's errors: a column name
	// can be as long and as badly encoded as the header it came from.
	return &BadRow{models.RowError{Line: r.line, Column: models.SafeText(col, 100), Value: models.SafeText(val, 100), Reason: reason}}
}

func (r *Reader) get(col string) string {
	// A scan of the few names asked for so far beats hashing the name for
	// every field of every row (the callers pass constants, which compare
	// by length and pointer).
	for _, h := range r.hot {
		if h.name == col {
			if h.i < 0 {
				return ""
			}
			return strings.TrimSpace(r.fields[h.i])
		}
	}
	i, ok := r.col[col]
	if !ok {
		i = -1
	}
	r.hot = append(r.hot, hotCol{col, i})
	return r.get(col)
}

type hotCol struct {
	name string
	i    int // -1: not in this file
}

// subICB resolves the sub-ICB location of the current record (with its
// ICB and region when the file names them).
func (r *Reader) subICB() (int64, error) {
	raw := r.get("SUB_ICB_LOCATION_CODE")
	icbRaw := r.get("ICB_ONS_CODE")
	if m := &r.lastSub; m.ok && m.s == raw && r.lastSubICB == icbRaw {
		return m.v, nil
	}
	id, err := r.subICBLookup(raw, icbRaw)
	if err == nil {
		// Copied: with ReuseRecord the field's memory is reused.
		r.lastSub = memo{strings.Clone(raw), id, true}
		r.lastSubICB = strings.Clone(icbRaw)
	}
	return id, err
}

func (r *Reader) subICBLookup(raw, icbRaw string) (int64, error) {
	code := strings.ToUpper(raw)
	if code == "" {
		return 0, r.bad("SUB_ICB_LOCATION_CODE", "", "empty area code")
	}
	key := "3|" + code + "|" + strings.ToUpper(icbRaw)
	if id, ok := r.cache[key]; ok {
		r.curICB, r.curRegion = r.icbOf[key][0], r.icbOf[key][1]
		return id, nil
	}
	a := models.Area{Level: models.LevelSubICB, Code: code, ONSCode: r.get("SUB_ICB_LOCATION_ONS_CODE"), Name: r.get("SUB_ICB_LOCATION_NAME")}
	reg := strings.ToUpper(r.get("REGION_ONS_CODE"))
	if rc := strings.ToUpper(r.get("REGION_CODE")); reg == "" && strings.HasPrefix(rc, "E40") {
		reg = rc // the coverage file names the region's ONS code REGION_CODE
	}
	if reg != "" {
		id, err := r.area(models.Area{Level: models.LevelRegion, Code: reg, ONSCode: reg, Name: r.get("REGION_NAME")})
		if err != nil {
			return 0, err
		}
		a.RegionID = &id
	}
	r.curICB, r.curRegion = 0, 0
	if a.RegionID != nil {
		r.curRegion = *a.RegionID
	}
	if icb := strings.ToUpper(icbRaw); icb != "" {
		id, err := r.area(models.Area{Level: models.LevelICB, Code: icb, ONSCode: icb, Name: r.get("ICB_NAME"), RegionID: a.RegionID})
		if err != nil {
			return 0, err
		}
		a.ICBID = &id
		r.curICB = id
	}
	id, err := r.res.AreaID(r.ctx, a)
	if err != nil {
		return 0, err
	}
	r.cache[key], r.icbOf[key] = id, [2]int64{r.curICB, r.curRegion}
	return id, nil
}

// noteParent records that the current record places sub-ICB location sub
// under its ICB in the month of day, and that ICB under its region.
func (r *Reader) noteParent(sub, day int64) {
	if r.curICB == 0 || (r.lastParent == [2]int64{sub, day}) {
		return
	}
	r.lastParent = [2]int64{sub, day}
	t := models.DayTime(day)
	ms := models.DayNumber(time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC))
	r.parents[[2]int64{sub, ms}] = r.curICB
	if r.curRegion != 0 {
		r.parents[[2]int64{r.curICB, ms}] = r.curRegion
	}
}

// Parents lists the (area, month, parent) placements the file made: each
// sub-ICB location's ICB and each ICB's region.
func (r *Reader) Parents() []models.AreaMonth {
	out := make([]models.AreaMonth, 0, len(r.parents))
	for k, p := range r.parents {
		out = append(out, models.AreaMonth{AreaID: k[0], Day: k[1], ParentID: p})
	}
	return out
}

func (r *Reader) area(a models.Area) (int64, error) {
	key := strconv.Itoa(int(a.Level)) + "|" + a.Code
	if id, ok := r.cache[key]; ok {
		return id, nil
	}
	id, err := r.res.AreaID(r.ctx, a)
	if err != nil {
		return 0, err
	}
	r.cache[key] = id
	return id, nil
}

// practice resolves the practice of the current record, with its PCN and
// sub-ICB location.
func (r *Reader) practice() (int64, error) {
	code := strings.ToUpper(r.get("GP_CODE"))
	if code == "" {
		return 0, r.bad("GP_CODE", "", "empty practice code")
	}
	if id, ok := r.cache["5|"+code]; ok {
		return id, nil
	}
	sub := strings.ToUpper(r.get("SUB_ICB_LOCATION_CODE"))
	p := models.Area{Level: models.LevelPractice, Code: code, Name: r.get("GP_NAME")}
	if sub != "" {
		id, err := r.area(models.Area{Level: models.LevelSubICB, Code: sub, Name: r.get("SUB_ICB_LOCATION_NAME")})
		if err != nil {
			return 0, err
		}
		p.SubICBID = &id
	}
	if pcn := strings.ToUpper(r.get("PCN_CODE")); pcn != "" {
		id, err := r.area(models.Area{Level: models.LevelPCN, Code: pcn, Name: r.get("PCN_NAME"), SubICBID: p.SubICBID})
		if err != nil {
			return 0, err
		}
		p.PCNID = &id
	}
	return r.area(p)
}

func (r *Reader) label(kind, col string) (int64, error) {
	v := r.get(col)
	if v == "" {
		v = "Unknown"
	}
	key := kind + "|" + v
	if id, ok := r.cache[key]; ok {
		return id, nil
	}
	id, err := r.res.LabelID(r.ctx, kind, v)
	if err != nil {
		return 0, err
	}
	r.cache[key] = id
	return id, nil
}

func (r *Reader) code(d models.Dimension, col string) (int64, error) {
	v := r.get(col)
	m := &r.lastCodes[models.DimensionIndex(d)]
	if m.ok && m.s == v {
		return m.v, nil
	}
	c, ok := models.ParseCode(d, v)
	if !ok {
		return 0, r.bad(col, v, "unknown value (expected one of: "+strings.Join(models.CodeLabels(d), "; ")+")")
	}
	*m = memo{strings.Clone(v), int64(c), true}
	return int64(c), nil
}

func (r *Reader) date(col string) (int64, error) {
	v := r.get(col)
	if m := &r.lastDate; m.ok && m.s == v {
		return m.v, nil
	}
	if d, ok := r.dates[v]; ok {
		r.lastDate = memo{strings.Clone(v), d, true}
		return d, nil
	}
	d, err := ParseDate(v)
	if err != nil {
		return 0, r.bad(col, v, err.Error())
	}
	if len(r.dates) > 4096 {
		clear(r.dates)
	}
	r.dates[v] = d
	return d, nil
}

func (r *Reader) month(col string) (int64, error) {
	d, err := r.date(col)
	if err != nil {
		return 0, err
	}
	if models.DayTime(d).Day() != 1 {
		return 0, r.bad(col, r.get(col), "a month must be given by its first day")
	}
	return d, nil
}

func (r *Reader) count(col string) (int64, error) {
	v := r.get(col)
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil || n < 0 {
		return 0, r.bad(col, v, "not a whole number ≥ 0")
	}
	return n, nil
}

// fill runs each step in order, storing its value in row, stopping at the
// first error.
func fill(row []int64, steps ...func() (int64, error)) error {
	for i, f := range steps {
		v, err := f()
		if err != nil {
			return err
		}
		row[i] = v
	}
	return nil
}

func (r *Reader) subICBDaily(row []int64) error {
	return r.withParent(row, fill(row, r.subICB,
		func() (int64, error) { return r.date("APPOINTMENT_DATE") },
		func() (int64, error) { return r.code(models.DimStatus, "APPT_STATUS") },
		func() (int64, error) { return r.code(models.DimHCP, "HCP_TYPE") },
		func() (int64, error) { return r.code(models.DimMode, "APPT_MODE") },
		func() (int64, error) { return r.code(models.DimLead, "TIME_BETWEEN_BOOK_AND_APPT") },
		func() (int64, error) { return r.count("COUNT_OF_APPOINTMENTS") }))
}

func (r *Reader) natCatDaily(row []int64) error {
	return r.withParent(row, fill(row, r.subICB,
		func() (int64, error) { return r.date("APPOINTMENT_DATE") },
		func() (int64, error) { return r.label(models.LabelSetting, "SERVICE_SETTING") },
		func() (int64, error) { return r.label(models.LabelContext, "CONTEXT_TYPE") },
		func() (int64, error) { return r.label(models.LabelCategory, "NATIONAL_CATEGORY") },
		func() (int64, error) { return r.count("COUNT_OF_APPOINTMENTS") }))
}

func (r *Reader) practiceMonthly(row []int64) error {
	return fill(row, r.practice,
		func() (int64, error) { return r.month("APPOINTMENT_MONTH_START_DATE") },
		func() (int64, error) { return r.code(models.DimHCP, "HCP_TYPE") },
		func() (int64, error) { return r.code(models.DimMode, "APPT_MODE") },
		func() (int64, error) { return r.label(models.LabelCategory, "NATIONAL_CATEGORY") },
		func() (int64, error) { return r.code(models.DimLead, "TIME_BETWEEN_BOOK_AND_APPT") },
		func() (int64, error) { return r.code(models.DimStatus, "APPT_STATUS") },
		func() (int64, error) { return r.count("COUNT_OF_APPOINTMENTS") })
}

func (r *Reader) oc(row []int64) error {
	return fill(row, r.practice,
		func() (int64, error) { return r.month("MONTH") },
		func() (int64, error) { return r.label(models.LabelSupplier, "SUPPLIER") },
		func() (int64, error) {
			v := strings.ToUpper(r.get("METRIC"))
			if v == "" {
				return 0, r.bad("METRIC", "", "empty metric")
			}
			return r.label(models.LabelMetric, "METRIC")
		},
		func() (int64, error) {
			v := r.get("VALUE")
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) || f > 9e12 {
				return 0, r.bad("VALUE", v, "not a number ≥ 0")
			}
			return int64(math.Round(f * 1e6)), nil
		})
}

var monthAbbr = map[string]time.Month{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}

// ParseDate reads a GPAD date ("01NOV2023", any case) or an ISO date
// ("2023-11-01") and returns its day number.
func ParseDate(s string) (int64, error) {
	s = strings.TrimSpace(s)
	var y, d int
	var m time.Month
	var err1, err2 error
	switch {
	case len(s) == 9:
		d, err1 = strconv.Atoi(s[0:2])
		m = monthAbbr[strings.ToUpper(s[2:5])]
		y, err2 = strconv.Atoi(s[5:9])
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		var mi int
		y, err1 = strconv.Atoi(s[0:4])
		mi, err2 = strconv.Atoi(s[5:7])
		m = time.Month(mi)
		if err2 == nil {
			d, err2 = strconv.Atoi(s[8:10])
		}
	default:
		return 0, errors.New("not a date like 01NOV2023 or 2023-11-01")
	}
	if err1 != nil || err2 != nil || m < 1 || m > 12 || d < 1 || y < 1990 || y > 2100 {
		return 0, errors.New("not a date like 01NOV2023 or 2023-11-01")
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return 0, errors.New("no such day")
	}
	return models.DayNumber(t), nil
}
