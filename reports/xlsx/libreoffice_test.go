package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// loRecalcAlways makes the private LibreOffice profile recalculate every
// formula when it loads an OOXML file. The default ("never recalculate")
// would just copy our cached values through and prove nothing.
const loRecalcAlways = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`

// libreOffice converts files to format into outDir with a private profile,
// or skips the test when LibreOffice is not installed (fails under CI).
func libreOffice(t *testing.T, outDir, format string, files ...string) {
	t.Helper()
	bin, err := exec.LookPath("libreoffice")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("libreoffice not found and CI=true: install libreoffice-calc")
		}
		t.Skip("libreoffice not found: install libreoffice-calc to check recalculated values")
	}
	profile := t.TempDir()
	if err := os.MkdirAll(filepath.Join(profile, "user"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(profile, "user", "registrymodifications.xcu"), []byte(loRecalcAlways), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	args := append([]string{"-env:UserInstallation=file://" + profile, "--headless", "--norestore",
		"--convert-to", format, "--outdir", outDir}, files...)
	cmd := exec.CommandContext(ctx, bin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("libreoffice %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
}

// TestLibreOfficeRecalculation converts the workbook with LibreOffice, which
// recalculates every formula, and compares each recalculated value with
// the cached value Write stored.
func TestLibreOfficeRecalculation(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice conversion is slow")
	}
	dir := t.TempDir()
	_, b := writeFixture(t, loadReport(t))
	src := filepath.Join(dir, "impact.xlsx")
	if err := os.WriteFile(src, b, 0o644); err != nil {
		t.Fatal(err)
	}
	// A control file whose cached value is deliberately wrong proves that
	// LibreOffice really recalculated rather than copying values through.
	control := filepath.Join(dir, "control.xlsx")
	writeControl(t, control)
	_, hb := writeFixture(t, hostileReport(t))
	hostileSrc := filepath.Join(dir, "hostile.xlsx")
	if err := os.WriteFile(hostileSrc, hb, 0o644); err != nil {
		t.Fatal(err)
	}
	outDir := filepath.Join(dir, "out")
	libreOffice(t, outDir, "xlsx", src, control, hostileSrc)

	// After LibreOffice has loaded and saved the hostile workbook, its
	// neutralised text must still be text: the same cells hold formulas.
	if a, b := formulaCells(t, hostileSrc), formulaCells(t, filepath.Join(outDir, "hostile.xlsx")); a != b {
		t.Errorf("hostile workbook: %d formula cells written, %d after LibreOffice", a, b)
	}

	cf, err := excelize.OpenFile(filepath.Join(outDir, "control.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer cf.Close()
	if v, _ := cf.GetCellValue("Sheet1", "A1", excelize.Options{RawCellValue: true}); v != "2" {
		t.Fatalf("control cell = %q, want 2: LibreOffice did not recalculate", v)
	}

	orig, err := excelize.OpenFile(src)
	if err != nil {
		t.Fatal(err)
	}
	defer orig.Close()
	conv, err := excelize.OpenFile(filepath.Join(outDir, "impact.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer conv.Close()

	compared, worst := 0, 0.0
	for _, sh := range orig.GetSheetList() {
		if sh == SheetData {
			continue // values only
		}
		rows, err := orig.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for ri, row := range rows {
			for ci := range row {
				a := axis(ci+1, ri+1)
				fm, _ := orig.GetCellFormula(sh, a)
				if fm == "" {
					continue
				}
				want := mustFloat(t, row[ci])
				raw, _ := conv.GetCellValue(sh, a, excelize.Options{RawCellValue: true})
				got, err := parseFloat(raw)
				if err != nil {
					t.Errorf("%s!%s (%s): recalculated %q is not a number", sh, a, fm, raw)
					continue
				}
				rel := math.Abs(got-want) / math.Max(math.Abs(want), 1e-300)
				if want == 0 {
					rel = math.Abs(got)
				}
				worst = math.Max(worst, rel)
				if rel > 1e-9 {
					t.Errorf("%s!%s = %s: LibreOffice %.17g, cached %.17g (rel %.3g)", sh, a, fm, got, want, rel)
				}
				compared++
			}
		}
	}
	if compared < 40 {
		t.Fatalf("compared only %d formula cells", compared)
	}
	t.Logf("compared %d formula cells with LibreOffice's recalculation; worst relative difference %.3g", compared, worst)
}

// formulaCells counts the formula cells of every sheet but Data.
func formulaCells(t *testing.T, path string) int {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	for _, sh := range f.GetSheetList() {
		if sh == SheetData {
			continue
		}
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for ri, row := range rows {
			for ci := range row {
				if fm, _ := f.GetCellFormula(sh, axis(ci+1, ri+1)); fm != "" {
					n++
				}
			}
		}
	}
	return n
}

func parseFloat(s string) (float64, error) {
	var v float64
	_, err := fmt.Sscan(s, &v)
	return v, err
}

func writeControl(t *testing.T, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{Formula: "1+1", Value: 3}}); err != nil {
		t.Fatal(err)
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// TestScreenshots renders the workbook to PDF and PNG pages under
// artifacts/xlsx for a person to look at. It runs only with
// STRIKELINE_SCREENSHOTS=1 and needs pdftoppm (poppler-utils).
func TestScreenshots(t *testing.T) {
	if os.Getenv("STRIKELINE_SCREENSHOTS") != "1" {
		t.Skip("set STRIKELINE_SCREENSHOTS=1 to render artifacts/xlsx/*.png")
	}
	_, b := writeFixture(t, loadReport(t))
	src := saveArtifact(t, "screens.xlsx", b)
	dir := filepath.Dir(src)
	libreOffice(t, dir, "pdf", src)
	pdf := strings.TrimSuffix(src, ".xlsx") + ".pdf"
	out, err := exec.Command("pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "3", pdf, strings.TrimSuffix(src, ".xlsx")).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	t.Logf("pages rendered next to %s", pdf)
}

// TestSummaryPrintSetup checks the page setup that makes the Summary one
// printed page and keeps the Data sheet's rows off paper.
func TestSummaryPrintSetup(t *testing.T) {
	f, _ := writeFixture(t, loadReport(t))
	pl, err := f.GetPageLayout(SheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 1 {
		t.Errorf("Summary page layout = %+v, want landscape, one page wide and tall", pl)
	}
	props, err := f.GetSheetProps(SheetSummary)
	if err != nil || props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("Summary does not fit to page: %+v (%v)", props, err)
	}
	areas := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Area" {
			areas[dn.Scope] = dn.RefersTo
		}
	}
	if a := areas[SheetSummary]; !strings.HasPrefix(a, "'Summary'!$A$1:$K$") {
		t.Errorf("Summary print area = %q", a)
	}
	if a := areas[SheetData]; a != "'Data'!$A$1:$F$1" {
		t.Errorf("Data print area = %q, want the header only", a)
	}
	// The chart ends inside A:K: its anchor is worked out from the
	// Summary's own column widths, or the print area would cut it off.
	if to := summaryChartEndCol(t, f); to > summaryCols-1 {
		t.Errorf("Summary chart ends in column %s, past the print area's K", colName(to+1))
	}
	ev := f.GetSheetList()[1]
	if vis, err := f.GetColVisible(ev, colName(colBand)); err != nil || vis {
		t.Errorf("%s chart helper column %s visible = %v (%v)", ev, colName(colBand), vis, err)
	}
}

// summaryChartEndCol is the 0-based column the Summary's chart is
// anchored to end in, read from the drawing the Summary sheet links to.
func summaryChartEndCol(t *testing.T, f *excelize.File) int {
	t.Helper()
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		for _, zf := range zr.File {
			if zf.Name == name {
				rc, err := zf.Open()
				if err != nil {
					t.Fatal(err)
				}
				defer rc.Close()
				b, _ := io.ReadAll(rc)
				return string(b)
			}
		}
		t.Fatalf("no %s in the workbook", name)
		return ""
	}
	m := regexp.MustCompile(`Target="\.\./drawings/(drawing\d+\.xml)"`).FindStringSubmatch(read("xl/worksheets/_rels/sheet1.xml.rels"))
	if m == nil {
		t.Fatal("the Summary has no drawing")
	}
	to := regexp.MustCompile(`<xdr:to><xdr:col>(\d+)</xdr:col>`).FindStringSubmatch(read("xl/drawings/" + m[1]))
	if to == nil {
		t.Fatal("the Summary's drawing has no two-cell anchor")
	}
	n, _ := strconv.Atoi(to[1])
	return n
}

// TestSummaryPrintsOnOnePage prints the workbook to PDF with LibreOffice:
// the first page holds the whole Summary, from its title to its method
// line, and the second page is already the next sheet.
func TestSummaryPrintsOnOnePage(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice conversion is slow")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext not found and CI=true: install poppler-utils")
		}
		t.Skip("needs pdftotext (poppler-utils)")
	}
	dir := t.TempDir()
	r := loadReport(t)
	_, b := writeFixture(t, r)
	src := filepath.Join(dir, "impact.xlsx")
	if err := os.WriteFile(src, b, 0o644); err != nil {
		t.Fatal(err)
	}
	libreOffice(t, dir, "pdf", src)
	page := func(n int) string {
		out, err := exec.Command("pdftotext", "-layout", "-f", fmt.Sprint(n), "-l", fmt.Sprint(n), filepath.Join(dir, "impact.pdf"), "-").Output()
		if err != nil {
			t.Fatalf("pdftotext page %d: %v", n, err)
		}
		return string(out)
	}
	one, two := page(1), page(2)
	for _, want := range []string{r.Title, "What happened", "Measure and area", "BMA junior doctors", "Details and formulas: Method sheet", "Sources sheet", "Effect of each event"} {
		if !strings.Contains(one, want) {
			t.Errorf("page 1 lacks %q:\n%s", want, one)
		}
	}
	for _, not := range []string{"What happened", "Details and formulas"} {
		if strings.Contains(two, not) {
			t.Errorf("the Summary runs onto page 2 (%q):\n%s", not, two)
		}
	}
}
