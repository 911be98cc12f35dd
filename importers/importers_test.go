package importers_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/importers/gpadgen"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

var ctx = context.Background()

func month(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }

// gen writes a generated sub-ICB daily file into dir.
func gen(t *testing.T, dir, name string, o gpadgen.Options) (string, gpadgen.Stats) {
	t.Helper()
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := gpadgen.Write(f, o)
	if err != nil {
		t.Fatal(err)
	}
	return p, st
}

func importOK(t *testing.T, s *models.Store, opt importers.Options, paths ...string) []*models.ImportRun {
	t.Helper()
	runs, err := importers.New(s, opt).ImportPaths(ctx, paths, importers.DefaultLimits)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return runs
}

func count(t *testing.T, s *models.Store, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := testdb.SQL(t, s).Raw(q, args...).Scan(&n).Error; err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func seriesTotal(t *testing.T, s *models.Store, q models.ActivityQuery) int64 {
	t.Helper()
	pts, err := s.ActivitySeries(ctx, q)
	if err != nil {
		t.Fatalf("ActivitySeries: %v", err)
	}
	var sum int64
	for _, p := range pts {
		sum += p.Count
	}
	return sum
}

func nov23() models.ActivityQuery {
	return models.ActivityQuery{From: month(2023, 11), To: time.Date(2023, 11, 30, 0, 0, 0, 0, time.UTC), Granularity: "month"}
}

func TestSubICBDaily(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		p, st := gen(t, t.TempDir(), "daily.csv", gpadgen.Options{Months: []time.Time{month(2023, 11)}, SubICBs: 4, Combos: 30, Seed: 7})
		runs := importOK(t, s, importers.Options{Kind: importers.KindGPAD}, p)
		r := runs[0]
		if r.Status != models.ImportSucceeded || r.Format != string(importers.FormatSubICBDaily) || r.RowsRead != st.Rows || r.RowsInserted != st.Rows || r.RowsRejected != 0 || len(r.SHA256) != 64 {
			t.Fatalf("run = %+v, want %d rows", r, st.Rows)
		}
		if got := seriesTotal(t, s, nov23()); got != st.Total {
			t.Fatalf("national total = %d, want %d", got, st.Total)
		}
		// Region, ICB and sub-ICB totals add up to the national one.
		_, _, _, icb, region := gpadgen.Area(0)
		var parts int64
		for _, a := range []string{"00A", "01A", "02A", "03A"} {
			q := nov23()
			q.Area = a
			parts += seriesTotal(t, s, q)
		}
		q := nov23()
		q.Area = region
		if got := seriesTotal(t, s, q); got != st.Total || parts != st.Total {
			t.Fatalf("region total %d, sum of sub-ICBs %d, want %d", got, parts, st.Total)
		}
		q.Area = icb // areas 0..2
		var icbWant int64
		for _, a := range []string{"00A", "01A", "02A"} {
			q2 := nov23()
			q2.Area = a
			icbWant += seriesTotal(t, s, q2)
		}
		if got := seriesTotal(t, s, q); got != icbWant {
			t.Fatalf("ICB total %d, want %d", got, icbWant)
		}
		// Daily granularity: 30 points; weekly: 5 ISO weeks touching Nov 2023.
		for g, want := range map[string]int{"day": 30, "week": 5, "month": 1} {
			q := nov23()
			q.Granularity = g
			pts, err := s.ActivitySeries(ctx, q)
			if err != nil || len(pts) != want {
				t.Fatalf("%s: %d points (%v), want %d", g, len(pts), err, want)
			}
		}
		// Grouping and filters use the published labels.
		q = nov23()
		q.GroupBy = []string{"lead"}
		pts, err := s.ActivitySeries(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		labels := map[string]bool{}
		for _, p := range pts {
			sum += p.Count
			labels[p.Group["lead"]] = true
		}
		if sum != st.Total || !labels["8  to 14 Days"] {
			t.Fatalf("grouped sum %d (want %d), labels %v", sum, st.Total, labels)
		}
		q = nov23()
		q.Lead = []string{"8  to 14 Days"}
		var want int64
		for _, p := range pts {
			if p.Group["lead"] == "8  to 14 Days" {
				want += p.Count
			}
		}
		if got := seriesTotal(t, s, q); got != want || want == 0 {
			t.Fatalf("filtered %d, want %d", got, want)
		}
		q.Lead = []string{"Eventually"}
		var ve *models.ValidationError
		if _, err := s.ActivitySeries(ctx, q); !errors.As(err, &ve) {
			t.Fatalf("unknown label: err = %v, want ValidationError", err)
		}
	})
}

func TestCCGHeaderAndUnquotedComma(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		p, st := gen(t, t.TempDir(), "ccg.csv", gpadgen.Options{Months: []time.Time{month(2022, 3)}, SubICBs: 2, Combos: 10, Seed: 3, CCG: true})
		runs := importOK(t, s, importers.Options{}, p)
		if runs[0].RowsInserted != st.Rows {
			t.Fatalf("inserted %d, want %d", runs[0].RowsInserted, st.Rows)
		}
		a, err := s.ResolveArea(ctx, "00A")
		if err != nil || a.Name != "NHS Synthetic, Comma CCG" {
			t.Fatalf("area = %+v, %v", a, err)
		}
	})
}

// sumColumn adds up a numeric column of a CSV file (for expected totals).
func sumColumn(t *testing.T, path, col string, keep func(rec map[string]string) bool) (rows int64, total float64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	h, _ := r.Read()
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for i, c := range h {
			m[c] = rec[i]
		}
		rows++
		if keep == nil || keep(m) {
			v, _ := strconv.ParseFloat(m[col], 64)
			total += v
		}
	}
	return rows, total
}

func TestRealNationalCategory(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		p := "testdata/natcat_06H_dec2024.csv"
		rows, total := sumColumn(t, p, "COUNT_OF_APPOINTMENTS", nil)
		r := importOK(t, s, importers.Options{Kind: importers.KindGPAD}, p)[0]
		if r.Format != string(importers.FormatNatCatDaily) || r.RowsInserted != rows {
			t.Fatalf("run %+v, want %d rows", r, rows)
		}
		if got := count(t, s, "SELECT SUM(n) FROM appt_natcat_daily"); float64(got) != total {
			t.Fatalf("stored %d, want %v", got, total)
		}
		a, err := s.ResolveArea(ctx, "06H")
		if err != nil || a.ONSCode != "E38000260" || a.ICBID == nil || a.RegionID == nil {
			t.Fatalf("06H = %+v, %v", a, err)
		}

		// The series API adds the file up the way a spreadsheet would.
		dec := models.CategoryQuery{From: month(2024, 12), To: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), Granularity: "month"}
		for _, area := range []string{"", "06H", "E54000056", "E40000007"} {
			q := dec
			q.Area = area
			pts, err := s.CategorySeries(ctx, q)
			if err != nil || len(pts) != 1 || float64(pts[0].Count) != total {
				t.Fatalf("area %q: %+v %v, want one month of %v", area, pts, err, total)
			}
		}
		const triage = "Clinical Triage"
		_, want := sumColumn(t, p, "COUNT_OF_APPOINTMENTS", func(r map[string]string) bool { return r["NATIONAL_CATEGORY"] == triage })
		q := dec
		q.Category = []string{triage}
		if pts, err := s.CategorySeries(ctx, q); err != nil || len(pts) != 1 || float64(pts[0].Count) != want || want == 0 {
			t.Fatalf("%s: %+v %v, want %v", triage, pts, err, want)
		}
		q = dec
		q.GroupBy = []string{"context"}
		pts, err := s.CategorySeries(ctx, q)
		if err != nil || len(pts) != 3 {
			t.Fatalf("by context: %+v %v", pts, err)
		}
		var sum int64
		for _, pt := range pts {
			_, w := sumColumn(t, p, "COUNT_OF_APPOINTMENTS", func(r map[string]string) bool { return r["CONTEXT_TYPE"] == pt.Group["context"] })
			if float64(pt.Count) != w {
				t.Fatalf("context %q: %d, want %v", pt.Group["context"], pt.Count, w)
			}
			sum += pt.Count
		}
		if float64(sum) != total {
			t.Fatalf("contexts add up to %d, want %v", sum, total)
		}
		q = dec
		q.Category = []string{"Wizardry"}
		var ve *models.ValidationError
		if _, err := s.CategorySeries(ctx, q); !errors.As(err, &ve) || !strings.Contains(ve.Fields["category"], triage) {
			t.Fatalf("unknown category: %v", err)
		}
	})
}

func TestRealPracticeMonthly(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		p := "testdata/practice_06H_oct2025.csv"
		rows, total := sumColumn(t, p, "COUNT_OF_APPOINTMENTS", nil)
		r := importOK(t, s, importers.Options{}, p)[0]
		if r.Format != string(importers.FormatPracticeMonthly) || r.RowsInserted != rows || r.RowsRejected != 0 {
			t.Fatalf("run %+v errors %v, want %d rows", r, r.Errors, rows)
		}
		if got := count(t, s, "SELECT SUM(n) FROM appt_practice_monthly"); float64(got) != total {
			t.Fatalf("stored %d, want %v", got, total)
		}
		// Empty APPT_STATUS is Unknown (code 0); Video Conference/Online is mode 3.
		if count(t, s, "SELECT COUNT(*) FROM appt_practice_monthly WHERE status = 0") == 0 || count(t, s, "SELECT COUNT(*) FROM appt_practice_monthly WHERE mode = 3") == 0 {
			t.Fatal("expected Unknown statuses and video appointments")
		}
		if n := count(t, s, "SELECT COUNT(*) FROM areas WHERE level = ?", models.LevelPractice); n < 8 {
			t.Fatalf("%d practices", n)
		}

		// The series API, against sums over the CSV itself.
		oct := models.PracticeQuery{From: month(2025, 10), To: time.Date(2025, 10, 31, 0, 0, 0, 0, time.UTC)}
		sum := func(keep func(r map[string]string) bool) int64 {
			_, v := sumColumn(t, p, "COUNT_OF_APPOINTMENTS", keep)
			return int64(v)
		}
		cases := []struct {
			name string
			q    func(q *models.PracticeQuery)
			want int64
		}{
			{"England", func(q *models.PracticeQuery) {}, int64(total)},
			{"sub-ICB 06H", func(q *models.PracticeQuery) { q.Area = "06H" }, int64(total)},
			{"practice D81001", func(q *models.PracticeQuery) { q.Area = "D81001" },
				sum(func(r map[string]string) bool { return r["GP_CODE"] == "D81001" })},
			{"PCN U88254", func(q *models.PracticeQuery) { q.Area = "U88254" },
				sum(func(r map[string]string) bool { return r["PCN_CODE"] == "U88254" })},
			{"DNA", func(q *models.PracticeQuery) { q.Status = []string{"DNA"} },
				sum(func(r map[string]string) bool { return r["APPT_STATUS"] == "DNA" })},
			{"General Consultation Acute", func(q *models.PracticeQuery) { q.Category = []string{"General Consultation Acute"} },
				sum(func(r map[string]string) bool { return r["NATIONAL_CATEGORY"] == "General Consultation Acute" })},
		}
		for _, c := range cases {
			q := oct
			c.q(&q)
			pts, err := s.PracticeSeries(ctx, q)
			if err != nil || len(pts) != 1 || pts[0].Count != c.want || c.want == 0 {
				t.Fatalf("%s: %+v %v, want %d", c.name, pts, err, c.want)
			}
		}
		q := oct
		q.GroupBy = []string{"category", "hcp"}
		pts, err := s.PracticeSeries(ctx, q)
		var all int64
		for _, pt := range pts {
			all += pt.Count
			if pt.Group["category"] == "" || pt.Group["hcp"] == "" {
				t.Fatalf("group %v", pt.Group)
			}
		}
		if err != nil || all != int64(total) || len(pts) < 2 {
			t.Fatalf("grouped: %d points, total %d (%v), want %v", len(pts), all, err, total)
		}
		q = oct
		q.HCP = []string{"Wizard"}
		var ve *models.ValidationError
		if _, err := s.PracticeSeries(ctx, q); !errors.As(err, &ve) || ve.Fields["hcp"] == "" {
			t.Fatalf("unknown hcp: %v", err)
		}
	})
}

func TestRealOnlineConsultation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		p := "testdata/oc_00L_2025q1.csv"
		rows, total := sumColumn(t, p, "VALUE", func(m map[string]string) bool {
			return m["METRIC"] == "OC_TOTAL_SUBMISSIONS" && m["MONTH"] == "2025-02-01"
		})
		r := importOK(t, s, importers.Options{Kind: importers.KindOC}, p)[0]
		if r.Format != string(importers.FormatOC) || r.RowsInserted != rows {
			t.Fatalf("run %+v %v, want %d rows", r, r.Errors, rows)
		}
		pts, err := s.OCSeries(ctx, month(2025, 1), month(2025, 3), "00L", "OC_TOTAL_SUBMISSIONS")
		if err != nil || len(pts) != 3 {
			t.Fatalf("OCSeries: %v %v", pts, err)
		}
		if pts[1].Count != int64(math.Round(total)) || !pts[1].Period.Equal(month(2025, 2)) {
			t.Fatalf("Feb 2025 = %+v, want %v", pts[1], total)
		}
		nat, err := s.OCSeries(ctx, month(2025, 1), month(2025, 3), "", "OC_TOTAL_SUBMISSIONS")
		if err != nil || nat[1].Count != pts[1].Count {
			t.Fatalf("national %v %v", nat, err)
		}
		// A PCN code counts its practices only.
		_, pcn := sumColumn(t, p, "VALUE", func(m map[string]string) bool {
			return m["METRIC"] == "OC_TOTAL_SUBMISSIONS" && m["MONTH"] == "2025-02-01" && m["PCN_CODE"] == "U05512"
		})
		got, err := s.OCSeries(ctx, month(2025, 2), month(2025, 2), "U05512", "OC_TOTAL_SUBMISSIONS")
		if err != nil || len(got) != 1 || got[0].Count != int64(math.Round(pcn)) || pcn == 0 || pcn >= total {
			t.Fatalf("PCN U05512: %+v %v, want %v of %v", got, err, pcn, total)
		}
	})
}

func writeZip(t *testing.T, path string, files map[string][]byte) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, b := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func TestZipAndFolderInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		dir := t.TempDir()
		a, sa := gen(t, dir, "a.csv", gpadgen.Options{Months: []time.Time{month(2023, 11)}, SubICBs: 2, Combos: 10, Seed: 1})
		var buf bytes.Buffer
		sb, _ := gpadgen.Write(&buf, gpadgen.Options{Months: []time.Time{month(2023, 12)}, SubICBs: 2, Combos: 10, Seed: 2})
		ab, _ := os.ReadFile(a)
		zdir := t.TempDir()
		writeZip(t, filepath.Join(zdir, "pub.zip"), map[string][]byte{"Nov.csv": ab, "sub/Dec.csv": buf.Bytes(), "readme.txt": []byte("x")})
		runs := importOK(t, s, importers.Options{}, zdir) // a folder holding a zip
		if len(runs) != 2 || !strings.HasPrefix(runs[0].FileName, "pub.zip:") {
			t.Fatalf("runs %+v", runs)
		}
		if got := count(t, s, "SELECT COUNT(*) FROM appt_subicb_daily"); got != sa.Rows+sb.Rows {
			t.Fatalf("rows %d, want %d", got, sa.Rows+sb.Rows)
		}
		// Path traversal and oversize archives are refused before reading.
		writeZip(t, filepath.Join(dir, "evil.zip"), map[string][]byte{"../../etc/x.csv": ab})
		if _, err := importers.New(s, importers.Options{}).ImportPaths(ctx, []string{filepath.Join(dir, "evil.zip")}, importers.DefaultLimits); !errors.Is(err, importers.ErrUnsafeArchive) {
			t.Fatalf("traversal: %v", err)
		}
		writeZip(t, filepath.Join(dir, "big.zip"), map[string][]byte{"big.csv": bytes.Repeat([]byte("0,"), 1<<20)})
		if _, err := importers.New(s, importers.Options{}).ImportPaths(ctx, []string{filepath.Join(dir, "big.zip")}, importers.Limits{MaxUncompressed: 1 << 20}); !errors.Is(err, importers.ErrUnsafeArchive) {
			t.Fatalf("bomb: %v", err)
		}
	})
}

func TestReimportAndRevision(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		dir := t.TempDir()
		o := gpadgen.Options{Months: []time.Time{month(2023, 10), month(2023, 11)}, SubICBs: 3, Combos: 20, Seed: 5}
		p, st := gen(t, dir, "oct.csv", o)
		importOK(t, s, importers.Options{}, p)
		again := importOK(t, s, importers.Options{}, p)[0]
		if again.RowsInserted != 0 || again.RowsUpdated != 0 || again.RowsDeleted != 0 || again.Revised {
			t.Fatalf("re-import changed something: %+v", again)
		}
		// Recognised by its SHA-256 without being loaded again.
		if !strings.Contains(again.Note, "same file") || again.RowsRead != 0 || again.Format != string(importers.FormatSubICBDaily) {
			t.Fatalf("re-import not recognised: %+v", again)
		}
		if got := count(t, s, "SELECT COUNT(*) FROM appt_subicb_daily"); got != st.Rows {
			t.Fatalf("rows %d, want %d", got, st.Rows)
		}
		// A republished edition: November revised (new figures, some rows
		// withdrawn); October untouched by this file keeps its figures.
		q := models.ActivityQuery{From: month(2023, 10), To: time.Date(2023, 10, 31, 0, 0, 0, 0, time.UTC), Granularity: "month"}
		octBefore := seriesTotal(t, s, q)
		o2 := gpadgen.Options{Months: []time.Time{month(2023, 11)}, SubICBs: 3, Combos: 20, Seed: 6, Drop: 17}
		p2, st2 := gen(t, dir, "nov_rev.csv", o2)
		rev := importOK(t, s, importers.Options{}, p2)[0]
		if !rev.Revised || rev.RowsUpdated == 0 || rev.RowsDeleted == 0 || !strings.Contains(rev.Note, "2023-11") {
			t.Fatalf("revision run %+v", rev)
		}
		if got := seriesTotal(t, s, nov23()); got != st2.Total {
			t.Fatalf("Nov total %d, want revised %d", got, st2.Total)
		}
		if got := seriesTotal(t, s, q); got != octBefore {
			t.Fatalf("Oct total changed: %d → %d", octBefore, got)
		}
		runs, err := s.ImportRuns(ctx, 10)
		if err != nil || len(runs) != 3 || !runs[0].Revised {
			t.Fatalf("ImportRuns %+v %v", runs, err)
		}
		// The first edition again: November was changed since, so it is
		// loaded (a revision back), not taken as already stored.
		back := importOK(t, s, importers.Options{}, p)[0]
		if !back.Revised || strings.Contains(back.Note, "same file") || back.RowsRead != st.Rows {
			t.Fatalf("first edition again: %+v", back)
		}
		if got := seriesTotal(t, s, nov23()); got == st2.Total {
			t.Fatalf("November still holds the revised figures")
		}
		// And now it is the stored one: a fourth import is recognised.
		if r := importOK(t, s, importers.Options{}, p)[0]; !strings.Contains(r.Note, "same file") {
			t.Fatalf("not recognised after the revision back: %+v", r)
		}
	})
}

func TestBadHeader(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		p := filepath.Join(t.TempDir(), "x.csv")
		os.WriteFile(p, []byte("FOO,BAR\n1,2\n"), 0o644)
		runs, err := importers.New(s, importers.Options{}).ImportPaths(ctx, []string{p}, importers.DefaultLimits)
		var he *importers.HeaderError
		// One plain sentence first, then the short list of what is taken.
		if !errors.As(err, &he) || !strings.HasPrefix(he.Error(), "This file is not one Strikeline reads") ||
			!strings.Contains(err.Error(), "Accepted files:") || !strings.Contains(err.Error(), string(importers.FormatOC)) ||
			!strings.Contains(err.Error(), string(importers.FormatCoverage)) || !strings.Contains(err.Error(), string(importers.FormatOCDaily)) || len(he.Error()) > 1300 {
			t.Fatalf("err = %v", err)
		}
		if runs[0].Status != models.ImportFailed {
			t.Fatalf("run %+v", runs[0])
		}
		// The OC command refuses a GPAD file, naming only the OC layout.
		runs, err = importers.New(s, importers.Options{Kind: importers.KindOC}).ImportPaths(ctx, []string{"testdata/natcat_06H_dec2024.csv"}, importers.DefaultLimits)
		if !errors.As(err, &he) || strings.Contains(err.Error(), string(importers.FormatSubICBDaily)) ||
			!strings.HasPrefix(he.Error(), "This is the GPAD national categories daily file, not online consultation submissions") {
			t.Fatalf("kind mismatch: %v", err)
		}
		if len(runs) != 1 || runs[0].Status != models.ImportFailed {
			t.Fatalf("kind mismatch run %+v", runs)
		}
		// A header of thousands of columns still gives a short message.
		long := filepath.Join(t.TempDir(), "long.csv")
		os.WriteFile(long, []byte(strings.Repeat("COLUMN_WITH_A_LONG_NAME,", 2000)+"X\n1\n"), 0o644)
		_, err = importers.New(s, importers.Options{}).ImportPaths(ctx, []string{long}, importers.DefaultLimits)
		if !errors.As(err, &he) || len(he.Error()) > 1300 {
			t.Fatalf("long header: %d bytes", len(he.Error()))
		}
	})
}

func badFile(t *testing.T) (string, gpadgen.Stats) {
	var buf bytes.Buffer
	st, _ := gpadgen.Write(&buf, gpadgen.Options{Months: []time.Time{month(2023, 11)}, SubICBs: 1, Combos: 5, Seed: 1})
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	lines[3] = strings.Replace(lines[3], "01NOV2023", "31NOV2023", 1)
	f := strings.Split(lines[5], ",")
	f[len(f)-1] = "lots"
	lines[5] = strings.Join(f, ",")
	lines[7] = strings.Replace(lines[7], ",GP,", ",Wizard,", 1)
	lines = append(lines, lines[1]) // duplicate key
	p := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	return p, st
}

func TestBadRows(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		p, st := badFile(t)
		runs, err := importers.New(s, importers.Options{}).ImportPaths(ctx, []string{p}, importers.DefaultLimits)
		if !errors.Is(err, importers.ErrImportFailed) {
			t.Fatalf("reject policy: err = %v", err)
		}
		r := runs[0]
		if r.Status != models.ImportFailed || r.RowsRejected != 3 || len(r.Errors) != 3 {
			t.Fatalf("run %+v", r)
		}
		e := r.Errors[0]
		if e.Line != 4 || e.Column != "APPOINTMENT_DATE" || e.Value != "31NOV2023" || e.Reason == "" {
			t.Fatalf("first error %+v", e)
		}
		if r.Errors[1].Column != "COUNT_OF_APPOINTMENTS" || r.Errors[2].Value != "Wizard" {
			t.Fatalf("errors %+v", r.Errors)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM appt_subicb_daily"); n != 0 {
			t.Fatalf("%d rows visible after a rejected file", n)
		}
		got, err := s.GetImportRun(ctx, r.ID)
		if err != nil || got.RowsRejected != 3 || len(got.Errors) != 3 {
			t.Fatalf("stored run %+v %v", got, err)
		}
		// Skip policy: good rows land, bad ones (duplicate included) are reported.
		r = importOK(t, s, importers.Options{Policy: importers.PolicySkip}, p)[0]
		if r.Status != models.ImportSucceeded || r.RowsRejected != 4 || r.RowsInserted != st.Rows-3 {
			t.Fatalf("skip run %+v", r)
		}
		// MaxErrors caps the list, not the count.
		r2, _ := importers.New(s, importers.Options{MaxErrors: 1}).ImportPaths(ctx, []string{p}, importers.DefaultLimits)
		if len(r2[0].Errors) != 1 || r2[0].RowsRejected != 3 {
			t.Fatalf("capped run %+v", r2[0])
		}
	})
}

func TestDuplicateKeys(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		dir := t.TempDir()
		var buf bytes.Buffer
		gpadgen.Write(&buf, gpadgen.Options{Months: []time.Time{month(2023, 11)}, SubICBs: 1, Combos: 4, Seed: 1})
		lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
		dup := append(append([]string{}, lines...), lines[2])
		p := filepath.Join(dir, "dup.csv")
		os.WriteFile(p, []byte(strings.Join(dup, "\n")+"\n"), 0o644)
		check := func(stage string) {
			runs, err := importers.New(s, importers.Options{}).ImportPaths(ctx, []string{p}, importers.DefaultLimits)
			var de *models.DuplicateError
			if !errors.As(err, &de) {
				t.Fatalf("%s: err = %v, want DuplicateError", stage, err)
			}
			r := runs[0]
			if r.Status != models.ImportFailed || r.RowsRejected != 1 || len(r.Errors) != 1 || r.Errors[0].Line != int64(len(dup)) || !strings.Contains(r.Errors[0].Reason, "line 3") {
				t.Fatalf("%s: run %+v", stage, r)
			}
		}
		check("fresh month") // plain insert path
		if n := count(t, s, "SELECT COUNT(*) FROM appt_subicb_daily"); n != 0 {
			t.Fatalf("%d rows visible", n)
		}
		clean := filepath.Join(dir, "clean.csv")
		os.WriteFile(clean, buf.Bytes(), 0o644)
		importOK(t, s, importers.Options{}, clean)
		check("month already loaded") // upsert path
	})
}
