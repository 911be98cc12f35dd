package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

const nhsData = "../importers/testdata/nhs/"

// sumCCGMonth adds up COUNT_OF_APPOINTMENTS of one area and month in a
// CCG-era regional file (plain CSV: no quotes, the count last).
func sumCCGMonth(t *testing.T, file, area, month string) int64 {
	f, err := os.Open(nhsData + file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var n int64
	for sc.Scan() {
		fs := strings.Split(strings.TrimRight(sc.Text(), "\r"), ",")
		if fs[0] == area && fs[7] == month {
			v, err := strconv.ParseInt(fs[len(fs)-1], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			n += v
		}
	}
	return n
}

// The monthly series runs from the CCG-era regional file into the daily
// data, says where each month came from, carries its coverage, and can be
// scaled to every open practice.
func TestMonthlyActivityAndCoverageAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, _ := newApp(t, s)
		for _, p := range []string{"Regional_CSV_Lincolnshire__CCG_era_2019-2021__raw.csv", "Regional_CSV_Lincolnshire__Oct25pub__datawarp.csv",
			"APPOINTMENTS_GP_COVERAGE_aug2021-jan2023__raw.csv", "APPOINTMENTS_GP_COVERAGE_feb2023-jul2025__raw.csv"} {
			if _, err := importers.New(s, importers.Options{}).ImportPaths(context.Background(), []string{nhsData + p}, importers.DefaultLimits); err != nil {
				t.Fatalf("import %s: %v", p, err)
			}
		}
		type answer struct {
			Points   []models.ActivityPoint `json:"points"`
			Sources  []models.SourceMonths  `json:"sources"`
			Coverage []models.CoverageMonth `json:"coverage"`
			Method   string                 `json:"method"`
		}
		read := func(url string) answer {
			code, b := get(t, f, "", url)
			if code != 200 {
				t.Fatalf("%s: %d %s", url, code, b)
			}
			var a answer
			if err := json.Unmarshal(b, &a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		want := sumCCGMonth(t, "Regional_CSV_Lincolnshire__CCG_era_2019-2021__raw.csv", "71E", "MAR2019")
		a := read("/api/v1/activity?granularity=month&area=71E&from=2019-03-01&to=2019-03-31")
		if len(a.Points) != 1 || a.Points[0].Count != want || want == 0 {
			t.Fatalf("71E March 2019: %+v, want %d", a.Points, want)
		}
		if len(a.Sources) != 1 || a.Sources[0].File != models.SourceMonthly || a.Sources[0].Months[0] != "2019-03" {
			t.Fatalf("sources: %+v", a.Sources)
		}

		code, b := get(t, f, "", "/api/v1/coverage?area=00L&from=2020-08-01&to=2020-08-31")
		var cov struct {
			Months []models.CoverageMonth `json:"months"`
		}
		json.Unmarshal(b, &cov)
		if code != 200 || len(cov.Months) != 1 || cov.Months[0].IncludedPractices != 40 || cov.Months[0].OpenPractices != 40 || cov.Months[0].OpenPatients != 329182 {
			t.Fatalf("coverage 00L: %d %s", code, b)
		}
		code, b = get(t, f, "", "/api/v1/coverage.csv?area=00L&from=2020-08-01&to=2020-08-31")
		// The one CSV form: a byte-order mark unless bom=0, CRLF, ISO days.
		const covCSV = "month,included_practices,open_practices,patients_included,patients_open,coverage_percent\r\n2020-08-01,40,40,329182,329182,100.00\r\n"
		if code != 200 || string(b) != "\ufeff"+covCSV {
			t.Fatalf("coverage csv: %d %q", code, b)
		}
		if code, b = get(t, f, "", "/api/v1/coverage.csv?area=00L&from=2020-08-01&to=2020-08-31&bom=0"); code != 200 || string(b) != covCSV {
			t.Fatalf("coverage csv, bom=0: %d %q", code, b)
		}
		if code, b = get(t, f, "", "/api/v1/coverage.csv?area=00L&from=2020-08-01&to=2020-08-31&bom=yes"); code != 422 || !strings.Contains(string(b), `"bom"`) {
			t.Fatalf("coverage csv, bom=yes: %d %s", code, b)
		}

		// 2021 from the CCG-era file, 2023 from the current one: 71E's
		// coverage rides along, and adjusting scales by it.
		a = read("/api/v1/activity?granularity=month&area=71E&from=2021-08-01&to=2021-08-31")
		if len(a.Coverage) != 1 || a.Coverage[0].OpenPatients == 0 {
			t.Fatalf("coverage with activity: %+v", a.Coverage)
		}
		adj := read("/api/v1/activity?granularity=month&area=71E&from=2021-08-01&to=2021-08-31&adjust=coverage")
		c := a.Coverage[0]
		wantAdj := int64(float64(a.Points[0].Count)*float64(c.OpenPatients)/float64(c.IncludedPatients) + 0.5)
		if adj.Points[0].Count != wantAdj || !strings.Contains(adj.Method, "open practices") {
			t.Fatalf("adjusted %d (%s), want %d", adj.Points[0].Count, adj.Method, wantAdj)
		}
		if code, _ := get(t, f, "", "/api/v1/activity?granularity=month&area=71E&from=2021-08-01&to=2021-08-31&adjust=magic"); code != 422 {
			t.Fatalf("bad adjust: %d", code)
		}
	})
}

// The SDS role, actual duration, National Overview and OC day-and-time
// series over HTTP, from the real sample files.
func TestRoleDurationOverviewDayTimeAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, _ := newApp(t, s)
		for _, p := range []string{"SDS_Role_CSV_Oct_25__00L_Oct2025_only__datawarp.csv", "Actual_Duration_CSV_Oct_25__00L_Oct2025_only__datawarp.csv",
			"National_Overview__Oct25pub__datawarp.csv", "OC_Submissions_By_Day_and_Time__Aug25__00L_only__datawarp.csv"} {
			if _, err := importers.New(s, importers.Options{}).ImportPaths(context.Background(), []string{nhsData + p}, importers.DefaultLimits); err != nil {
				t.Fatalf("import %s: %v", p, err)
			}
		}
		total := func(url string) (int64, int) {
			code, b := get(t, f, "", url)
			var a struct {
				Points []models.ActivityPoint `json:"points"`
			}
			json.Unmarshal(b, &a)
			var n int64
			for _, p := range a.Points {
				n += p.Count
			}
			return n, code
		}
		for table, url := range map[string]string{
			"appt_sds_role_daily":    "/api/v1/activity/roles?from=2025-10-01&to=2025-10-31&area=00L&granularity=month&group_by=role",
			"appt_duration_daily":    "/api/v1/activity/durations?from=2025-10-01&to=2025-10-31&area=00L",
			"appt_national_overview": "/api/v1/activity/overview?from=2023-05-01&to=2025-10-31&group_by=hcp,mode",
		} {
			var stored int64
			testdb.SQL(t, s).Raw("SELECT SUM(n) FROM " + table).Scan(&stored)
			if n, code := total(url); code != 200 || n != stored || n == 0 {
				t.Fatalf("%s: %d, total %d, stored %d", url, code, n, stored)
			}
		}
		nurses, _ := total("/api/v1/activity/roles?from=2025-10-01&to=2025-10-31&area=00L&role=Nurses")
		all, _ := total("/api/v1/activity/roles?from=2025-10-01&to=2025-10-31&area=00L")
		if nurses <= 0 || nurses >= all {
			t.Fatalf("nurses %d of %d", nurses, all)
		}
		code, b := get(t, f, "", "/api/v1/activity/roles.csv?from=2025-10-01&to=2025-10-31&area=00L&granularity=month&group_by=role")
		if code != 200 || !strings.HasPrefix(string(b), "\ufeffperiod,role,count\r\n2025-10-01,") || !strings.Contains(string(b), `,"Unknown",`) {
			t.Fatalf("roles csv: %d %s", code, b)
		}
		for _, bad := range []string{"/api/v1/activity/roles?from=2025-10-01&to=2025-10-31&group_by=hcp",
			"/api/v1/activity/durations?from=2025-10-01&to=2025-10-31&duration=Forever",
			"/api/v1/activity/overview?from=2023-05-01&to=2025-10-31&group_by=status,hcp,mode,setting,context",
			"/api/v1/coverage?from=2025-10-01&to=2025-10-31&area=A84009",
			"/api/v1/online-consultations/day-time?from=2025-10-01"} {
			if code, b := get(t, f, "", bad); code != 422 {
				t.Fatalf("%s: %d %s", bad, code, b)
			}
		}
		code, b = get(t, f, "", "/api/v1/online-consultations/day-time?from=2025-08-01&to=2025-08-31&area=00L")
		var dt struct {
			Points []models.OCDayTimePoint `json:"points"`
			Shares models.BandShares       `json:"shares"`
		}
		json.Unmarshal(b, &dt)
		if code != 200 || len(dt.Points) == 0 || len(dt.Shares.Bands) != 8 || len(dt.Shares.Months) != 1 {
			t.Fatalf("day-time: %d %s", code, b)
		}
		var sum float64
		for _, p := range dt.Shares.Percent {
			sum += p[0]
		}
		if sum < 99.999 || sum > 100.001 {
			t.Fatalf("band shares add up to %v", sum)
		}
	})
}
