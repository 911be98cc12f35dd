package importers_test

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// The twelve real sample files (testdata/nhs/README.md), with the format
// each must be detected as.
var nhsSamples = []struct {
	file   string
	format importers.Format
}{
	{"APPOINTMENTS_GP_COVERAGE_aug2021-jan2023__raw.csv", importers.FormatCoverage},
	{"APPOINTMENTS_GP_COVERAGE_feb2023-jul2025__raw.csv", importers.FormatCoverage},
	{"Actual_Duration_CSV_Oct_25__00L_Oct2025_only__datawarp.csv", importers.FormatDurationDaily},
	{"National_Categories_CSV_2024_south_regions__06H_only__datawarp.csv", importers.FormatNatCatDaily},
	{"National_Overview__Oct25pub__datawarp.csv", importers.FormatNationalOverview},
	{"OC_Submissions_By_Day_and_Time__Aug25__00L_only__datawarp.csv", importers.FormatOCDayTime},
	{"OC_Submissions_north_regions__Mar25pub__00L_only__datawarp.csv", importers.FormatOC},
	{"Practice_Level_Crosstab_London_East_South_Oct_25__06H_only__datawarp.csv", importers.FormatPracticeMonthly},
	{"Regional_CSV_Devon__CCG_era_2019-2021__raw.csv", importers.FormatRegionalMonthly},
	{"Regional_CSV_Lincolnshire__CCG_era_2019-2021__raw.csv", importers.FormatRegionalMonthly},
	{"Regional_CSV_Lincolnshire__Oct25pub__datawarp.csv", importers.FormatRegionalMonthly},
	{"SDS_Role_CSV_Oct_25__00L_Oct2025_only__datawarp.csv", importers.FormatSDSRoleDaily},
}

func nhsPath(name string) string { return filepath.Join("testdata", "nhs", name) }

// readSample reads a sample file with encoding/csv into records keyed by
// upper-case column name.
func readSample(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(nhsPath(name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[strings.ToUpper(h)] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func num(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return n
}

func fileMonth(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := importers.ParseMonth(s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return models.DayTime(d)
}

func fileDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := importers.ParseDate(s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return models.DayTime(d)
}

func lastDay(m time.Time) time.Time { return m.AddDate(0, 1, -1) }

func orUnknown(s string) string {
	if s == "" {
		return "Unknown"
	}
	return s
}

// TestNHSSampleFiles imports every real sample file on both backends,
// checks the stored figures against sums over the file itself (by month,
// area and dimension) and that a second import changes nothing.
func TestNHSSampleFiles(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		for _, smp := range nhsSamples {
			runs := importOK(t, s, importers.Options{}, nhsPath(smp.file))
			r := runs[0]
			if r.Status != models.ImportSucceeded || r.Format != string(smp.format) || r.RowsRejected != 0 || r.RowsInserted == 0 {
				t.Fatalf("%s: run = %+v", smp.file, r)
			}
		}
		for _, smp := range nhsSamples {
			r := importOK(t, s, importers.Options{}, nhsPath(smp.file))[0]
			if r.Status != models.ImportSucceeded || !strings.HasPrefix(r.Note, "no change") || r.RowsInserted+r.RowsUpdated+r.RowsDeleted != 0 {
				t.Fatalf("%s again: %+v", smp.file, r)
			}
		}
		t.Run("coverage", func(t *testing.T) { checkCoverage(t, s) })
		t.Run("regional", func(t *testing.T) { checkRegional(t, s) })
		t.Run("overview", func(t *testing.T) { checkOverview(t, s) })
		t.Run("role and duration", func(t *testing.T) { checkLabelled(t, s) })
		t.Run("oc day and time", func(t *testing.T) { checkOCDayTime(t, s) })
		t.Run("categories, practices, oc", func(t *testing.T) { checkOlderFormats(t, s) })
	})
}

func checkCoverage(t *testing.T, s *models.Store) {
	for _, f := range nhsSamples[:2] {
		type key struct {
			area string
			m    time.Time
		}
		want := map[key][4]int64{}
		for _, r := range readSample(t, f.file) {
			want[key{r["SUB_ICB_LOCATION_CODE"], fileMonth(t, r["APPOINTMENT_MONTH"])}] = [4]int64{
				num(t, r["INCLUDED PRACTICES"]), num(t, r["OPEN PRACTICES"]),
				num(t, r["PATIENTS REGISTERED AT INCLUDED PRACTICES"]), num(t, r["PATIENTS REGISTERED AT OPEN PRACTICES"])}
		}
		checked := 0
		for k, w := range want {
			if checked%37 == 0 { // a spread of areas and months
				got, err := s.Coverage(ctx, k.area, k.m, lastDay(k.m), time.Time{})
				if err != nil || len(got) != 1 {
					t.Fatalf("%v: %v %v", k, got, err)
				}
				g := got[0]
				if [4]int64{g.IncludedPractices, g.OpenPractices, g.IncludedPatients, g.OpenPatients} != w {
					t.Fatalf("%v: got %+v, want %v", k, g, w)
				}
			}
			checked++
		}
		// England for one month is the file's sum over every area.
		m := fileMonth(t, readSample(t, f.file)[0]["APPOINTMENT_MONTH"])
		var sum [4]int64
		for k, w := range want {
			if k.m.Equal(m) {
				for i := range sum {
					sum[i] += w[i]
				}
			}
		}
		got, err := s.Coverage(ctx, "", m, lastDay(m), time.Time{})
		if err != nil || len(got) != 1 || got[0].OpenPatients != sum[3] || got[0].IncludedPractices != sum[0] {
			t.Fatalf("England %s: %+v %v, want %v", m, got, err, sum)
		}
	}
	got, err := s.Coverage(ctx, "00L", month(2020, 8), time.Date(2020, 8, 31, 0, 0, 0, 0, time.UTC), time.Time{})
	if err != nil || len(got) != 1 || got[0].IncludedPractices != 40 || got[0].OpenPractices != 40 || got[0].OpenPatients != 329182 || got[0].IncludedPatients != 329182 {
		t.Fatalf("00L Aug 2020: %+v %v", got, err)
	}
}

func checkRegional(t *testing.T, s *models.Store) {
	for _, f := range nhsSamples[8:11] {
		rows := readSample(t, f.file)
		type key struct {
			area string
			m    time.Time
		}
		total := map[key]int64{}
		byStatus := map[key]map[string]int64{}
		code := "SUB_ICB_LOCATION_CODE"
		if _, ok := rows[0]["CCG_CODE"]; ok {
			code = "CCG_CODE"
		}
		for _, r := range rows {
			k := key{r[code], fileMonth(t, r["APPOINTMENT_MONTH"])}
			n := num(t, r["COUNT_OF_APPOINTMENTS"])
			total[k] += n
			if byStatus[k] == nil {
				byStatus[k] = map[string]int64{}
			}
			st := r["APPT_STATUS"]
			if st == "" || st == "Appt Status Not Provided" {
				st = "Unknown"
			}
			byStatus[k][st] += n
		}
		for k, want := range total {
			q := models.ActivityQuery{Area: k.area, From: k.m, To: lastDay(k.m), Granularity: "month"}
			ans, err := s.ActivityMonthly(ctx, q)
			if err != nil || len(ans.Points) != 1 || ans.Points[0].Count != want {
				t.Fatalf("%s %v: %+v %v, want %d", f.file, k, ans, err, want)
			}
			if len(ans.Sources) != 1 || ans.Sources[0].File != models.SourceMonthly {
				t.Fatalf("sources %+v", ans.Sources)
			}
			if k.m.Month() == time.March || k.m.Month() == time.October {
				q.GroupBy = []string{"status"}
				ans, err := s.ActivityMonthly(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]int64{}
				for _, p := range ans.Points {
					got[p.Group["status"]] = p.Count
				}
				for st, n := range byStatus[k] {
					if got[st] != n {
						t.Fatalf("%v status %s: %d, want %d", k, st, got[st], n)
					}
				}
			}
		}
	}
	// One continuous series for 71E from the CCG era to the current files.
	ans, err := s.ActivityMonthly(ctx, models.ActivityQuery{Area: "71E", From: month(2019, 3), To: time.Date(2025, 10, 31, 0, 0, 0, 0, time.UTC)})
	if err != nil || len(ans.Points) != 30+30 {
		t.Fatalf("71E 2019-2025: %d points, %v", len(ans.Points), err)
	}
}

func checkOverview(t *testing.T, s *models.Store) {
	rows := readSample(t, nhsSamples[4].file)
	total := map[time.Time]int64{}
	byHCP := map[string]int64{}
	first := fileMonth(t, rows[0]["APPOINTMENT_MONTH"])
	for _, r := range rows {
		m := fileMonth(t, r["APPOINTMENT_MONTH"])
		total[m] += num(t, r["APPOINTMENTS"])
		if m.Equal(first) {
			byHCP[orUnknown(r["HCP_TYPE"])] += num(t, r["APPOINTMENTS"])
		}
	}
	pts, err := s.OverviewSeries(ctx, month(2023, 1), month(2025, 12), nil)
	if err != nil || len(pts) != len(total) {
		t.Fatalf("overview: %d points %v, want %d", len(pts), err, len(total))
	}
	for _, p := range pts {
		if p.Count != total[p.Period] {
			t.Fatalf("%s: %d, want %d", p.Period, p.Count, total[p.Period])
		}
	}
	pts, err = s.OverviewSeries(ctx, first, first, []string{"hcp"})
	if err != nil || len(pts) != len(byHCP) {
		t.Fatalf("by hcp: %+v %v", pts, err)
	}
	for _, p := range pts {
		if p.Count != byHCP[p.Group["hcp"]] {
			t.Fatalf("hcp %s: %d, want %d", p.Group["hcp"], p.Count, byHCP[p.Group["hcp"]])
		}
	}
}

func checkLabelled(t *testing.T, s *models.Store) {
	for _, c := range []struct {
		file, dim, col string
	}{{nhsSamples[11].file, "role", "SDS_ROLE_GROUP"}, {nhsSamples[2].file, "duration", "ACTUAL_DURATION"}} {
		rows := readSample(t, c.file)
		byDay := map[time.Time]int64{}
		byLabel := map[string]int64{}
		for _, r := range rows {
			n := num(t, r["COUNT_OF_APPOINTMENTS"])
			byDay[fileDay(t, r["APPOINTMENT_DATE"])] += n
			byLabel[orUnknown(r[c.col])] += n
		}
		q := models.LabelQuery{Area: "00L", From: month(2025, 10), To: time.Date(2025, 10, 31, 0, 0, 0, 0, time.UTC)}
		pts, err := s.LabelSeries(ctx, c.dim, q)
		if err != nil || len(pts) != len(byDay) {
			t.Fatalf("%s by day: %d points %v, want %d", c.dim, len(pts), err, len(byDay))
		}
		for _, p := range pts {
			if p.Count != byDay[p.Period] {
				t.Fatalf("%s %s: %d, want %d", c.dim, p.Period, p.Count, byDay[p.Period])
			}
		}
		q.Granularity, q.Group = "month", true
		pts, err = s.LabelSeries(ctx, c.dim, q)
		if err != nil || len(pts) != len(byLabel) {
			t.Fatalf("%s by label: %+v %v", c.dim, pts, err)
		}
		for _, p := range pts {
			if p.Count != byLabel[p.Group[c.dim]] {
				t.Fatalf("%s %q: %d, want %d", c.dim, p.Group[c.dim], p.Count, byLabel[p.Group[c.dim]])
			}
		}
	}
}

func checkOCDayTime(t *testing.T, s *models.Store) {
	rows := readSample(t, nhsSamples[5].file)
	want := map[[2]string]int64{}
	for _, r := range rows {
		want[[2]string{r["WEEKDAY"], orUnknown(r["SUBMISSION_TIME"])}] += num(t, r["VALUE"])
	}
	pts, err := s.OCDayTime(ctx, "00L", month(2025, 8), month(2025, 8))
	if err != nil || len(pts) != len(want) {
		t.Fatalf("day and time: %d points %v, want %d", len(pts), err, len(want))
	}
	for _, p := range pts {
		if p.Count != want[[2]string{p.Weekday, p.Band}] {
			t.Fatalf("%s %s: %d, want %d", p.Weekday, p.Band, p.Count, want[[2]string{p.Weekday, p.Band}])
		}
	}
}

func checkOlderFormats(t *testing.T, s *models.Store) {
	cat := map[time.Time]int64{}
	for _, r := range readSample(t, nhsSamples[3].file) {
		d := fileDay(t, r["APPOINTMENT_DATE"])
		cat[time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)] += num(t, r["COUNT_OF_APPOINTMENTS"])
	}
	pts, err := s.CategorySeries(ctx, models.CategoryQuery{Area: "06H", From: month(2024, 1), To: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), Granularity: "month"})
	if err != nil || len(pts) != 12 {
		t.Fatalf("categories: %v %v", pts, err)
	}
	for _, p := range pts {
		if p.Count != cat[p.Period] {
			t.Fatalf("categories %s: %d, want %d", p.Period, p.Count, cat[p.Period])
		}
	}
	var prac int64
	for _, r := range readSample(t, nhsSamples[7].file) {
		prac += num(t, r["COUNT_OF_APPOINTMENTS"])
	}
	pp, err := s.PracticeSeries(ctx, models.PracticeQuery{Area: "06H", From: month(2025, 10), To: time.Date(2025, 10, 31, 0, 0, 0, 0, time.UTC)})
	if err != nil || len(pp) != 1 || pp[0].Count != prac {
		t.Fatalf("practices: %+v %v, want %d", pp, err, prac)
	}
	oc := map[time.Time]float64{}
	for _, r := range readSample(t, nhsSamples[6].file) {
		if r["METRIC"] == "OC_TOTAL_SUBMISSIONS" {
			v, _ := strconv.ParseFloat(r["VALUE"], 64)
			oc[fileMonth(t, r["MONTH"])] += v
		}
	}
	op, err := s.OCSeries(ctx, month(2023, 9), month(2025, 3), "00L", "OC_TOTAL_SUBMISSIONS")
	if err != nil || len(op) != len(oc) {
		t.Fatalf("oc: %d points %v, want %d", len(op), err, len(oc))
	}
	for _, p := range op {
		if p.Count != int64(math.Round(oc[p.Period])) {
			t.Fatalf("oc %s: %d, want %v", p.Period, p.Count, oc[p.Period])
		}
	}
}
