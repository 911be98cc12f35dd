package xlsx

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// writeFixture writes r and opens the result for reading.
func writeFixture(t testing.TB, r *Report) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, r); err != nil {
		t.Fatalf("Write: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("open written workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f, buf.Bytes()
}

// saveArtifact keeps the workbook for looking at (artifacts/ is ignored).
func saveArtifact(t testing.TB, name string, b []byte) string {
	t.Helper()
	dir := filepath.Join("..", "..", "artifacts", "xlsx")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p, _ := filepath.Abs(filepath.Join(dir, name))
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"=1+1", "'=1+1"},
		{`=HYPERLINK("http://evil","x")`, `'=HYPERLINK("http://evil","x")`},
		{"+1", "'+1"},
		{"-2", "'-2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tX", "'\tX"},
		{"\rX", "'\rX"},
		{"\nX", "'\nX"},
		{"a=b", "a=b"},
		{"'quoted", "'quoted"},
		{"Nurses – RCN", "Nurses – RCN"},
	}
	for _, tt := range tests {
		if got := Neutralise(tt.in); got != tt.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := strings.Repeat("x", maxCellText+10)
	if got := []rune(Neutralise(long)); len(got) != maxCellText || got[len(got)-1] != '…' {
		t.Errorf("long text: %d runes, last %q", len(got), got[len(got)-1])
	}
}

func TestSheetNames(t *testing.T) {
	var n sheetNamer
	tests := []struct{ prefix, title, want string }{
		{"E1", "RCN strike", "E1 RCN strike"},
		{"E2", "a[b]c:d*e?f/g\\h'i", "E2 a b c d e f g h i"},
		{"E3", "BMA junior doctors' strike (13–15 March 2023)", "E3 BMA junior doctors strike 13"},
		{"E3", "BMA junior doctors' strike (13–15 March 2023)", "E3 BMA junior doctors strike 2"},
		{"E6", "Abcdefghijklmnopqrstuvwxyzabcdefghij", "E6 Abcdefghijklmnopqrstuvwxyzab"},
		{"E3", "bma junior doctors' strike", "E3 bma junior doctors strike"},
		{"E4", "=HYPERLINK(1)", "E4 HYPERLINK 1"},
		{"E5", "", "E5"},
	}
	for _, tt := range tests {
		got := n.name(tt.prefix, tt.title)
		if got != tt.want {
			t.Errorf("name(%q, %q) = %q, want %q", tt.prefix, tt.title, got, tt.want)
		}
		if len([]rune(got)) > 31 || strings.ContainsAny(got, `[]:*?/\'`) {
			t.Errorf("unsafe sheet name %q", got)
		}
	}
}

func TestFileName(t *testing.T) {
	gen := time.Date(2023, 5, 2, 9, 30, 0, 0, time.UTC)
	tests := []struct{ title, want string }{
		{"Industrial action winter 2022–23: GP appointments", "strikeline-impact-industrial-action-winter-2022-23-gp-appointments-2023-05-02.xlsx"},
		{"../../etc/passwd", "strikeline-impact-etc-passwd-2023-05-02.xlsx"},
		{"", "strikeline-impact-report-2023-05-02.xlsx"},
		{"Grève ÉTÉ", "strikeline-impact-gr-ve-t-2023-05-02.xlsx"},
	}
	for _, tt := range tests {
		if got := FileName(&Report{Title: tt.title, GeneratedAt: gen}); got != tt.want {
			t.Errorf("FileName(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}

func TestHTTPURL(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"https://www.bma.org.uk/x?y=1", true},
		{"http://example.org", true},
		{"javascript:alert(1)", false},
		{"file:///etc/passwd", false},
		{"/relative", false},
		{"=HYPERLINK(\"http://evil\")", false},
		{"https://", false},
	}
	for _, tt := range tests {
		if _, ok := httpURL(tt.in); ok != tt.ok {
			t.Errorf("httpURL(%q) ok = %v, want %v", tt.in, ok, tt.ok)
		}
	}
}

func TestWorkbookStructure(t *testing.T) {
	r := loadReport(t)
	f, b := writeFixture(t, r)
	saveArtifact(t, "fixture.xlsx", b)

	wantSheets := []string{"Summary", "E12 RCN nursing strike 15", "E17 BMA junior doctors strike", "Timeline", "Data", "Method", "Sources", "Data dictionary"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(wantSheets, "|") {
		t.Fatalf("sheets = %q, want %q", got, wantSheets)
	}
	ev := wantSheets[2]
	cells := []struct{ sheet, cell, want string }{
		{"Summary", "A4", "What happened"},
		{"Summary", "A5", r.Events[0].Sentence},
		{"Summary", "A8", "Event"},
		{"Summary", "F8", "Effect"},
		{"Summary", "G8", "Lower 95%"},
		{"Summary", "I8", "Observed"},
		{"Summary", "B10", "BMA junior doctors' strike (13–15 March)"},
		{"Summary", "E10", "3"},
		{"Summary", "A12", "Method: " + defaultMethodLine},
		{"Sources", "A4", "Appointments_GP_Daily_CSV_Mar_23.zip"},
		{"Sources", "A9", "RCN nursing strike (15 December)"},
		{"Sources", "E13", "GOV.UK"},
		{ev, "A4", "Date"},
		{ev, "E4", "Expected"},
		{ev, "G4", "Lower 95%"},
		{ev, "A5", "19 Dec 2022"}, // 12 weeks before 13 Mar 2023
		{ev, "AB4", "Date"},
		{ev, "AC4", "Face-to-face"},
		{"Timeline", "A1", "ID"},
		{"Timeline", "C2", "RCN nursing strike (15 December)"},
		{"Data", "A1", "Date"},
		{"Data", "F1", "Value"},
		{"Data", "A2", "01 Sep 2022"},
		{"Method", "A1", "Method"},
		{"Data dictionary", "B1", "Meaning"},
	}
	for _, c := range cells {
		got, err := f.GetCellValue(c.sheet, c.cell)
		if err != nil || got != c.want {
			t.Errorf("%s!%s = %q (%v), want %q", c.sheet, c.cell, got, err, c.want)
		}
	}

	// Window rows carry live formulas with cached values.
	e := r.Events[1]
	for i, d := range e.Days {
		row := firstDayRow + i
		fE, _ := f.GetCellFormula(ev, axis(colExpected, row))
		if !d.Included {
			if fE != "" {
				t.Errorf("row %d (%s) outside the counted window has formula %q", row, d.Date.Format(time.DateOnly), fE)
			}
			continue
		}
		wantFormulas := map[int]string{
			colN: "COUNT(", colExpected: "AVERAGE(", colSD: "_xlfn.STDEV.S(",
			colLower: "-_xlfn.T.INV.2T(0.05,", colUpper: "+_xlfn.T.INV.2T(0.05,", colDiff: "-", colPct: "/",
		}
		for col, frag := range wantFormulas {
			got, err := f.GetCellFormula(ev, axis(col, row))
			if err != nil || !strings.Contains(got, frag) {
				t.Errorf("%s formula = %q, want it to contain %q", axis(col, row), got, frag)
			}
			raw, _ := f.GetCellValue(ev, axis(col, row), excelize.Options{RawCellValue: true})
			if raw == "" {
				t.Errorf("%s has no cached value", axis(col, row))
			}
		}
		// The AVERAGE refers to the observed cells of the baseline dates.
		for _, bd := range d.BaselineDates {
			j := int(bd.Sub(e.Days[0].Date).Hours() / 24)
			if !strings.Contains(fE, axis(colObserved, firstDayRow+j)) {
				t.Errorf("%s formula %q lacks baseline day %s", axis(colExpected, row), fE, bd.Format(time.DateOnly))
			}
		}
		raw, _ := f.GetCellValue(ev, axis(colExpected, row), excelize.Options{RawCellValue: true})
		if got := mustFloat(t, raw); !agree(got, d.Expected) {
			t.Errorf("%s cached %v, engine %v", axis(colExpected, row), got, d.Expected)
		}
	}
	totalRow := firstDayRow + len(e.Days) + 1
	if got, _ := f.GetCellFormula(ev, axis(colObserved, totalRow)); !strings.HasPrefix(got, "SUMIF(") {
		t.Errorf("totals observed formula = %q", got)
	}
	if got, _ := f.GetCellFormula(ev, axis(colExpected, totalRow)); !strings.HasPrefix(got, "SUM(") {
		t.Errorf("totals expected formula = %q", got)
	}
	if got, _ := f.GetCellFormula("Summary", "I10"); got != "'"+ev+"'!$B$"+itoa(totalRow) {
		t.Errorf("Summary!I10 formula = %q", got)
	}

	// Number formats.
	formats := []struct{ sheet, cell, want string }{
		{ev, "A5", fmtDate}, {ev, "B5", fmtCount}, {ev, axis(colExpected, firstDayRow+84), fmtCount},
		{ev, axis(colPct, firstDayRow+84), fmtPct}, {"Summary", "F9", fmtPct}, {"Summary", "G9", fmtPct}, {"Summary", "K9", fmtDate},
		{"Data", "A2", fmtDate}, {"Method", "B12", fmtDateTime},
	}
	for _, c := range formats {
		id, err := f.GetCellStyle(c.sheet, c.cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != c.want {
			t.Errorf("%s!%s number format = %v, want %q", c.sheet, c.cell, st.CustomNumFmt, c.want)
		}
	}

	// Hyperlinks: http(s) only.
	links := []struct {
		sheet, cell string
		ok          bool
		target      string
	}{
		{"Sources", "D9", true, "https://www.rcn.org.uk/news-and-events/news/uk-strike-dates-announced-241122"},
		{"Sources", "D12", false, ""}, // file:// URL: text only
		{"Sources", "D13", true, "https://www.gov.uk/"},
		{"Summary", "A10", true, "'" + ev + "'!A1"},
		{"Summary", "B10", false, ""}, // the title wraps: LibreOffice won't wrap a linked cell
		{"Summary", "A13", true, "'Method'!A1"},
		{"Timeline", "H2", true, "https://www.rcn.org.uk/"},
		{"Timeline", "H4", false, ""}, // javascript:
	}
	for _, l := range links {
		ok, target, err := f.GetCellHyperLink(l.sheet, l.cell)
		if err != nil || ok != l.ok || target != l.target {
			t.Errorf("%s!%s hyperlink = %v %q (%v), want %v %q", l.sheet, l.cell, ok, target, err, l.ok, l.target)
		}
	}

	// Defined names.
	names := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		names[dn.Name] = dn.RefersTo
	}
	wantNames := map[string]string{
		"Event17_Observed": "'" + ev + "'!$B$5:$B$" + itoa(firstDayRow+len(e.Days)-1),
		"Event17_Expected": "'" + ev + "'!$E$5:$E$" + itoa(firstDayRow+len(e.Days)-1),
		"Event12_Observed": "",
		"Data_Values":      "'Data'!$F$2:$F$" + itoa(1+5*242),
	}
	for n, want := range wantNames {
		got, ok := names[n]
		if !ok || (want != "" && got != want) {
			t.Errorf("defined name %s = %q (present %v), want %q", n, got, ok, want)
		}
	}

	// Panes, tables and document properties.
	for _, sh := range []string{ev, "Timeline", "Data"} {
		p, err := f.GetPanes(sh)
		if err != nil || !p.Freeze {
			t.Errorf("%s: panes %+v (%v), want a frozen header", sh, p, err)
		}
	}
	for sh, want := range map[string]string{"Timeline": "TimelineTable", "Data": "DataTable", "Data dictionary": "DictionaryTable"} {
		tables, err := f.GetTables(sh)
		if err != nil || len(tables) != 1 || tables[0].Name != want {
			t.Errorf("%s tables = %+v (%v)", sh, tables, err)
		}
	}
	props, err := f.GetDocProps()
	if err != nil || props.Creator != "Strikeline" || props.Title != r.Title || props.Created != "2023-05-02T09:30:00Z" {
		t.Errorf("doc props = %+v (%v)", props, err)
	}
	charts := 0
	for _, name := range f.GetSheetList() {
		if strings.HasPrefix(name, "E1") {
			charts++
		}
	}
	if charts != 2 {
		t.Errorf("event sheets = %d", charts)
	}
}

// TestChartsPresent checks the chart parts in the package: two per event.
func TestChartsPresent(t *testing.T) {
	_, b := writeFixture(t, loadReport(t))
	parts := zipParts(t, b)
	n := 0
	for _, p := range parts {
		if strings.HasPrefix(p, "xl/charts/chart") {
			n++
		}
	}
	if n != 5 {
		t.Errorf("chart parts = %d, want 5: two per event and the Summary's (%v)", n, parts)
	}
}

var hostile = []string{`=HYPERLINK("http://evil","x")`, "+1", "-2", "@SUM(A1)", "\tX", "\rX"}

// hostileReport is the fixture with attacker-controlled text everywhere a
// user can type.
func hostileReport(t testing.TB) *Report {
	r := loadReport(t)
	r.Title = hostile[0]
	for i := range r.Events {
		r.Events[i].Title = hostile[i%len(hostile)]
		r.Events[i].Scope = hostile[(i+1)%len(hostile)]
		r.Events[i].SPC = hostile[(i+2)%len(hostile)]
		r.Events[i].Sentence = hostile[(i+5)%len(hostile)]
		r.Events[i].Sources[0].Title = hostile[(i+3)%len(hostile)]
		r.Events[i].Sources[1].URL = hostile[0] // not a URL: text only
	}
	for i := range r.Timeline {
		r.Timeline[i].Title = hostile[i%len(hostile)]
		r.Timeline[i].Union = hostile[(i+4)%len(hostile)]
	}
	r.Dictionary = append(r.Dictionary, DictEntry{Field: hostile[3], Meaning: hostile[4], Unit: hostile[5]})
	r.Sources[0].FileName = hostile[1]
	return r
}

func TestHostileText(t *testing.T) {
	f, b := writeFixture(t, hostileReport(t))
	saveArtifact(t, "hostile.xlsx", b)

	checked := 0
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for ri, row := range rows {
			for ci, v := range row {
				if v == "" {
					continue
				}
				isHostile := false
				for _, h := range hostile {
					if strings.Contains(v, h) {
						isHostile = true
					}
				}
				a := axis(ci+1, ri+1)
				typ, _ := f.GetCellType(sh, a)
				if _, err := strconv.ParseFloat(v, 64); err == nil && typ == excelize.CellTypeUnset {
					continue // a number, e.g. -282, not text
				}
				if !isHostile {
					continue
				}
				checked++
				if fm, _ := f.GetCellFormula(sh, a); fm != "" {
					t.Errorf("%s!%s holds formula %q", sh, a, fm)
				}
				if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
					t.Errorf("%s!%s type %v, want a string", sh, a, typ)
				}
				if strings.HasPrefix(v, "=") || strings.HasPrefix(v, "+") || strings.HasPrefix(v, "-") ||
					strings.HasPrefix(v, "@") || strings.HasPrefix(v, "\t") || strings.HasPrefix(v, "\r") {
					t.Errorf("%s!%s = %q starts with a formula trigger", sh, a, v)
				}
				if ok, target, _ := f.GetCellHyperLink(sh, a); ok && strings.Contains(target, "evil") && strings.Contains(target, "://") {
					t.Errorf("%s!%s links to %q", sh, a, target)
				}
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d hostile cells found; the test is not looking where the text went", checked)
	}
	if v, _ := f.GetCellValue("Summary", "A1"); v != `'=HYPERLINK("http://evil","x")` {
		t.Errorf("Summary!A1 = %q", v)
	}
}

func TestWriteRejectsInconsistentInput(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(r *Report)
		want   string
	}{
		{"engine expected differs from the cells", func(r *Report) {
			for i := range r.Events[0].Days {
				if r.Events[0].Days[i].Included {
					r.Events[0].Days[i].Expected += 1
				}
			}
		}, "differs from the engine"},
		{"baseline day not on the sheet", func(r *Report) {
			for i, d := range r.Events[0].Days {
				if d.Included {
					r.Events[0].Days[i].BaselineDates[0] = d.Date.AddDate(-1, 0, 0)
				}
			}
		}, "is not an observed day of the sheet"},
		{"days out of order", func(r *Report) {
			d := r.Events[0].Days
			d[3], d[4] = d[4], d[3]
		}, "not strictly ascending"},
		{"total mismatch", func(r *Report) { r.Events[1].Total.Observed++ }, "window totals"},
		{"mode counts", func(r *Report) { r.Events[1].ByMode[2].Counts = nil }, "mode counts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := loadReport(t)
			tt.mutate(r)
			err := Write(&bytes.Buffer{}, r)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Write error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestEmptyReport(t *testing.T) {
	f, _ := writeFixture(t, &Report{Title: "Nothing", GeneratedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	if got := f.GetSheetList(); len(got) != 6 {
		t.Errorf("sheets = %q", got)
	}
}

func TestDataSheetTooLong(t *testing.T) {
	defer func(n int) { maxDataRows = n }(maxDataRows)
	maxDataRows = 10
	r := &Report{Data: DataSeries{Rows: func(yield func(DataRow, error) bool) {
		for range 11 {
			if !yield(DataRow{Value: 1}, nil) {
				return
			}
		}
	}}}
	if err := Write(io.Discard, r); err == nil || !strings.Contains(err.Error(), "more than 10 rows") {
		t.Fatalf("Write error = %v", err)
	}
}

func TestDataSeriesError(t *testing.T) {
	boom := errors.New("database went away")
	r := &Report{Data: DataSeries{Rows: func(yield func(DataRow, error) bool) {
		if yield(DataRow{Value: 1}, nil) {
			yield(DataRow{}, boom)
		}
	}}}
	if err := Write(io.Discard, r); !errors.Is(err, boom) {
		t.Fatalf("Write error = %v, want it to wrap %v", err, boom)
	}
}

// TestNumberFormatsByKind checks that rate metrics and fractional data
// values are not shown as whole counts.
func TestNumberFormatsByKind(t *testing.T) {
	r := loadReport(t)
	r.Events[0].Ratio, r.Events[0].Modes, r.Events[0].ByMode = true, nil, nil
	for i := range r.Events[0].Days {
		r.Events[0].Days[i].Denominator = 1
	}
	inner := r.Data.Rows
	r.Data.Rows = func(yield func(DataRow, error) bool) {
		if !yield(DataRow{Date: r.From, Metric: "dna_rate", Value: 0.0523}, nil) {
			return
		}
		inner(yield)
	}
	f, _ := writeFixture(t, r)
	ev := f.GetSheetList()[1]
	win := firstDayRow + 84 // the window day of event 12
	tests := []struct {
		sheet, cell string
		want        string // number format code; "" for General
	}{
		{ev, axis(colObserved, win), fmtPct},
		{ev, axis(colExpected, win), fmtPct},
		{ev, axis(colSD, win), fmtPct},
		{ev, axis(colDiff, win), fmtPct},
		{"Summary", "I9", fmtPct},
		{"Summary", "I10", fmtCount}, // the other event is still a count
		{"Data", "F2", ""},
		{"Data", "F3", fmtCount},
	}
	for _, tt := range tests {
		id, err := f.GetCellStyle(tt.sheet, tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if st.CustomNumFmt != nil {
			got = *st.CustomNumFmt
		}
		if got != tt.want {
			t.Errorf("%s!%s format = %q, want %q", tt.sheet, tt.cell, got, tt.want)
		}
	}
}

// TestRatioWindowRateFormula checks that a ratio sheet's window figure is
// Σnumerator / Σdenominator by formula, and that the writer refuses an
// engine total computed as a mean of daily rates.
func TestRatioWindowRateFormula(t *testing.T) {
	r := loadReport(t)
	ev := &r.Events[0]
	ev.Ratio, ev.Modes, ev.ByMode = true, nil, nil
	var obs, exp, den float64
	for i := range ev.Days {
		d := &ev.Days[i]
		d.Denominator = float64(100 + i)
		if d.InWindow && d.Included {
			obs += d.Observed * d.Denominator
			exp += d.Expected * d.Denominator
			den += d.Denominator
		}
	}
	ev.Total.Observed, ev.Total.Expected = obs/den, exp/den
	f, _ := writeFixture(t, r)
	sh := f.GetSheetList()[1]
	var totalRow int
	rows, _ := f.GetRows(sh)
	for i, row := range rows {
		if len(row) > 0 && row[0] == "Window rate" {
			totalRow = i + 1
		}
	}
	if totalRow == 0 {
		t.Fatal("no Window rate row")
	}
	fo, err := f.GetCellFormula(sh, axis(colObserved, totalRow))
	if err != nil || !strings.Contains(fo, "SUMPRODUCT") || !strings.Contains(fo, colName(colModes)) {
		t.Errorf("observed window formula %q (%v), want Σ(rate×denominator)/Σdenominator", fo, err)
	}
	if h, _ := f.GetCellValue(sh, axis(colModes, headerRow)); h != "Denominator" {
		t.Errorf("denominator header %q", h)
	}
	if note, _ := f.GetCellValue(sh, axis(1, totalRow+2)); note != "" {
		t.Errorf("left-out note %q without any left-out days", note)
	}
	// A mean of daily rates is not what the sheet computes: refused.
	ev.Total.Observed *= 1.01
	if err := Write(io.Discard, r); err == nil {
		t.Error("a window rate that is not Σnum/Σden was accepted")
	}
}

// TestLeftOutDaysNote: the event sheet says which days the baselines left
// out and why, below the totals.
func TestLeftOutDaysNote(t *testing.T) {
	r := loadReport(t)
	r.Events[0].LeftOut = "Christmas to New Year (24 Dec – 2 Jan): 27 Dec 2023"
	r.Events[0].WindowLeftOut = "bank holiday: 26 Dec 2023"
	f, _ := writeFixture(t, r)
	sh := f.GetSheetList()[1]
	rows, _ := f.GetRows(sh)
	found := map[string]bool{}
	for _, row := range rows {
		for _, w := range []string{"Left out of the baselines: Christmas", "Not counted in the window total: bank holiday: 26 Dec 2023"} {
			if len(row) > 0 && strings.HasPrefix(row[0], w) {
				found[w] = true
			}
		}
	}
	if len(found) != 2 {
		t.Errorf("event sheet notes: found %v, want the baselines' and the window's left-out days", found)
	}
}

// TestSummaryNamesSliceAndLeftOutDays: the Summary's table names the
// slice measured and, below it, which days each event's baselines left
// out and why; the method line follows.
func TestSummaryNamesSliceAndLeftOutDays(t *testing.T) {
	r := loadReport(t)
	r.Events[0].LeftOut = "Christmas to New Year (24 Dec – 2 Jan): 27–29 Dec 2023"
	r.Events[1].WindowLeftOut = "Christmas to New Year (24 Dec – 2 Jan): 2 Jan 2024"
	r.Events[1].Measure = "Attended appointments with a GP"
	f, _ := writeFixture(t, r)
	rows, _ := f.GetRows(SheetSummary)
	var text []string
	for _, row := range rows {
		text = append(text, strings.Join(row, " | "))
	}
	all := strings.Join(text, "\n")
	for _, w := range []string{
		"Attended appointments with a GP, " + r.Events[1].Scope,
		"Days left out of the baselines",
		"bank holidays and the Christmas–New Year weeks",
		r.Events[0].Title + ": Christmas to New Year (24 Dec – 2 Jan): 27–29 Dec 2023.",
		r.Events[1].Title + ": not counted in the window total: Christmas to New Year (24 Dec – 2 Jan): 2 Jan 2024.",
		"inside a window are not counted in its total either",
		"Method: " + defaultMethodLine,
	} {
		if !strings.Contains(all, w) {
			t.Errorf("Summary lacks %q:\n%s", w, all)
		}
	}
	if strings.Index(all, "Days left out") > strings.Index(all, "Method: ") {
		t.Error("the left-out days come after the method line")
	}
}

// TestSummaryTableTopAligned: every filled cell of the Summary's table
// rows, numbers as well as the wrapped titles, is top-aligned, so a row
// whose title wraps keeps its figures beside the title's first line.
func TestSummaryTableTopAligned(t *testing.T) {
	r := loadReport(t)
	r.Events[0].Title = "A long event title that wraps onto a second and a third line of the Summary's title column"
	f, _ := writeFixture(t, r)
	rows, err := f.GetRows(SheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	header := -1
	for i, row := range rows {
		if len(row) > 1 && row[0] == "Event" && row[1] == "Title" {
			header = i + 1
		}
	}
	if header < 0 {
		t.Fatal("no table header on the Summary")
	}
	checked := 0
	for i := range r.Events {
		row := header + 1 + i
		for col := 1; col <= summaryCols; col++ {
			ax := axis(col, row)
			if v, _ := f.GetCellValue(SheetSummary, ax); v == "" {
				continue
			}
			id, err := f.GetCellStyle(SheetSummary, ax)
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			if st.Alignment == nil || st.Alignment.Vertical != "top" {
				t.Errorf("Summary %s (%s) is not top-aligned: %+v", ax, rows[header-1][col-1], st.Alignment)
			}
			checked++
		}
	}
	if checked < len(r.Events)*8 {
		t.Errorf("checked %d cells of %d rows: the table is not where the test looks", checked, len(r.Events))
	}
}
