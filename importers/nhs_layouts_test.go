package importers_test

import (
	"archive/zip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// The published monthly regional layout: months written JUN2023, names
// cut at 50 characters, an ICB name with an unquoted comma and one with a
// quoted comma.
const regionalPublished = `SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_ONS_CODE,SUB_ICB_LOCATION_NAME,ICB_ONS_CODE,ICB_NAME,REGION_ONS_CODE,REGION_NAME,APPOINTMENT_MONTH,APPT_STATUS,HCP_TYPE,APPT_MODE,TIME_BETWEEN_BOOK_AND_APPT,COUNT_OF_APPOINTMENTS
92A,E38000231,NHS Bath and North East Somerset, Swindon and Wil,E54000040,NHS Bath and North East Somerset, Swindon and Wil,E40000006,South West,JUN2023,Attended,GP,Face-to-Face,Same Day,100
92A,E38000231,NHS Bath and North East Somerset, Swindon and Wil,E54000040,NHS Bath and North East Somerset, Swindon and Wil,E40000006,South West,JUN2023,DNA,GP,Video/Online,1 Day,7
92A,E38000231,NHS Bath and North East Somerset, Swindon and Wil,E54000040,NHS Bath and North East Somerset, Swindon and Wil,E40000006,South West,JUL2023,Unknown,Unknown,Unknown,Unknown / Data Quality,5
M1J4Y,E38000255,"NHS Herefordshire and Worcestershire ICB, M1J4Y",E54000066,"NHS Herefordshire and Worcestershire, Integrated C",E40000011,Midlands,JUN2023,Attended,Other Practice staff,Telephone,8  to 14 Days,40
`

// The 2026 daily wide layout of OC submissions (unconfirmed; detected by
// header), with a SUPPLIER listing two suppliers and one saying No data.
const ocDailyWide = `DATE,GP_CODE,GP_NAME,PCN_CODE,PCN_NAME,SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_NAME,SUPPLIER,CLINICAL,ADMIN,UNKNOWN_OTHER,TOTAL
2026-03-02,A84002,THE ROTHBURY PRACTICE,U09980,NORTHUMBRIA PCN,00L,NHS North East and North Cumbria ICB - 00L,"ECONSULT HEALTH LIMITED, ACCURX LIMITED",10,4,1,15
2026-03-03,A84002,THE ROTHBURY PRACTICE,U09980,NORTHUMBRIA PCN,00L,NHS North East and North Cumbria ICB - 00L,"ECONSULT HEALTH LIMITED, ACCURX LIMITED",8,2,0,10
2026-03-09,A84003,GREYSTOKE SURGERY,U09980,NORTHUMBRIA PCN,00L,NHS North East and North Cumbria ICB - 00L,No data,0,0,0,0
2026-03-09,A84002,THE ROTHBURY PRACTICE,U09980,NORTHUMBRIA PCN,00L,NHS North East and North Cumbria ICB - 00L,"ECONSULT HEALTH LIMITED, ACCURX LIMITED",6,1,0,7
`

const mappingCSV = `GP_CODE,GP_NAME,PCN_CODE,PCN_NAME,SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_NAME,ICB_CODE,ICB_NAME,REGION_CODE,REGION_NAME
D81001,LENSFIELD MEDICAL PRACTICE,U88254,CAM MEDICAL PCN,06H,NHS Cambridgeshire and Peterborough ICB - 06H,QUE,NHS Cambridgeshire and Peterborough ICB,Y61,EAST OF ENGLAND
ZZ9999,A PRACTICE ONLY IN THE MAPPING,U88254,CAM MEDICAL PCN,06H,NHS Cambridgeshire and Peterborough ICB - 06H,QUE,NHS Cambridgeshire and Peterborough ICB,Y61,EAST OF ENGLAND
`

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPublishedLayouts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		dir := t.TempDir()
		// Monthly regional, as published.
		r := importOK(t, s, importers.Options{}, writeFile(t, dir, "Regional_CSV_BSW.csv", regionalPublished))[0]
		if r.Format != string(importers.FormatRegionalMonthly) || r.RowsInserted != 4 {
			t.Fatalf("regional: %+v", r)
		}
		for area, want := range map[string]int64{"92A": 107, "M1J4Y": 40, "E54000040": 107, "E40000011": 40} {
			ans, err := s.ActivityMonthly(ctx, models.ActivityQuery{Area: area, From: month(2023, 6), To: time.Date(2023, 6, 30, 0, 0, 0, 0, time.UTC)})
			if err != nil || len(ans.Points) != 1 || ans.Points[0].Count != want {
				t.Fatalf("%s June 2023: %+v %v, want %d", area, ans.Points, err, want)
			}
		}
		a, err := s.ResolveArea(ctx, "E54000040")
		if err != nil || a.Name != "NHS Bath and North East Somerset, Swindon and Wil" {
			t.Fatalf("ICB name with its comma: %+v %v", a, err)
		}
		a, _ = s.ResolveArea(ctx, "92A")
		if a.Name != "NHS Bath and North East Somerset, Swindon and Wil" || a.ONSCode != "E38000231" {
			t.Fatalf("sub-ICB: %+v", a)
		}
		// Unknown, written out or left empty, is one value.
		ans, _ := s.ActivityMonthly(ctx, models.ActivityQuery{Area: "92A", From: month(2023, 7), To: time.Date(2023, 7, 31, 0, 0, 0, 0, time.UTC), Status: []string{"Unknown"}})
		if len(ans.Points) != 1 || ans.Points[0].Count != 5 {
			t.Fatalf("unknown status: %+v", ans.Points)
		}

		// OC daily wide layout: submissions by weekday.
		r = importOK(t, s, importers.Options{Kind: importers.KindOC}, writeFile(t, dir, "OC_daily_north.csv", ocDailyWide))[0]
		if r.Format != string(importers.FormatOCDaily) || r.RowsInserted != 16 {
			t.Fatalf("oc daily: %+v", r)
		}
		pts, err := s.OCDayTime(ctx, "00L", month(2026, 3), month(2026, 3))
		if err != nil || len(pts) != 2 || pts[0].Weekday != "Monday" || pts[0].Count != 22 || pts[1].Weekday != "Tuesday" || pts[1].Count != 10 || pts[0].Band != "All day" {
			t.Fatalf("oc by weekday: %+v %v", pts, err)
		}
		sup, err := s.ResolveArea(ctx, "A84003")
		if err != nil || sup.Name != "GREYSTOKE SURGERY" {
			t.Fatalf("practice of a No data row: %+v %v", sup, err)
		}

		// A publication zip: the crosstab with its Mapping.csv.
		zp := filepath.Join(dir, "Practice_Level_Crosstab_Oct_25.zip")
		zf, _ := os.Create(zp)
		zw := zip.NewWriter(zf)
		cross, _ := os.ReadFile("testdata/practice_06H_oct2025.csv")
		for name, body := range map[string][]byte{"Practice_Level_Crosstab_London_East_South_Oct_25.csv": cross, "Mapping.csv": []byte(mappingCSV)} {
			w, _ := zw.Create(name)
			w.Write(body)
		}
		zw.Close()
		zf.Close()
		runs := importOK(t, s, importers.Options{}, zp)
		if len(runs) != 2 {
			t.Fatalf("zip: %d runs", len(runs))
		}
		for _, r := range runs {
			if r.Status != models.ImportSucceeded {
				t.Fatalf("zip entry: %+v", r)
			}
		}
		p, err := s.ResolveArea(ctx, "ZZ9999")
		if err != nil || p.Level != models.LevelPractice || p.PCNID == nil || p.SubICBID == nil {
			t.Fatalf("practice from the mapping: %+v %v", p, err)
		}
		for _, r := range importOK(t, s, importers.Options{}, zp) {
			if !strings.HasPrefix(r.Note, "no change") {
				t.Fatalf("zip again: %+v", r)
			}
		}
		// A crosstab missing a column fails as one, not as a mapping.
		broken := strings.Replace(string(cross), "NATIONAL_CATEGORY,", "CATEGORY,", 1)
		_, err = importers.New(s, importers.Options{}).ImportPaths(ctx, []string{writeFile(t, dir, "broken.csv", broken)}, importers.DefaultLimits)
		var he *importers.HeaderError
		if !errors.As(err, &he) || !strings.HasPrefix(he.Error(), "This looks like a practice-level appointments file") {
			t.Fatalf("broken crosstab: %v", err)
		}
		// Another kind than asked: one plain sentence first.
		_, err = importers.New(s, importers.Options{Kind: importers.KindOC}).ImportPaths(ctx, []string{nhsPath(nhsSamples[0].file)}, importers.DefaultLimits)
		if !errors.As(err, &he) || !strings.HasPrefix(he.Error(), "This is the GPAD GP coverage (APPOINTMENTS_GP_COVERAGE) file, not online consultation submissions") {
			t.Fatalf("coverage as OC: %v", err)
		}
	})
}
