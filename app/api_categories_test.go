package app_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// The national-categories series, from the real sample file (one sub-ICB,
// December 2024), as JSON and CSV.
func TestCategoriesAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, _ := newApp(t, s)
		runs, err := importers.New(s, importers.Options{}).ImportPaths(context.Background(), []string{"../importers/testdata/natcat_06H_dec2024.csv"}, importers.DefaultLimits)
		if err != nil || len(runs) != 1 {
			t.Fatalf("import: %v", err)
		}
		total := func(b []byte) (n int64, groups map[string]bool) {
			var series struct {
				Points []models.ActivityPoint `json:"points"`
			}
			if err := json.Unmarshal(b, &series); err != nil {
				t.Fatalf("%s: %v", b, err)
			}
			groups = map[string]bool{}
			for _, p := range series.Points {
				n += p.Count
				groups[p.Group["setting"]] = true
			}
			return n, groups
		}
		base := "/api/v1/activity/categories?from=2024-12-01&to=2024-12-31&granularity=month"
		code, b := get(t, f, "", base)
		if code != 200 {
			t.Fatalf("categories: %d %s", code, b)
		}
		all, _ := total(b)
		stored := int64(0)
		testdb.SQL(t, s).Raw("SELECT SUM(n) FROM appt_natcat_daily").Scan(&stored)
		if all != stored || all == 0 {
			t.Fatalf("total %d, stored %d", all, stored)
		}
		code, b = get(t, f, "", base+"&group_by=setting&area=06H")
		bySetting, groups := total(b)
		if code != 200 || bySetting != all || !groups["General Practice"] {
			t.Fatalf("by setting: %d %s", code, b)
		}
		// Two categories, each a repeated parameter with spaces.
		code, b = get(t, f, "", base+"&category=Clinical%20Triage&category=Planned%20Clinics")
		two, _ := total(b)
		if code != 200 || two <= 0 || two >= all {
			t.Fatalf("two categories: %d %s", code, b)
		}
		code, b = get(t, f, "", strings.Replace(base, "categories?", "categories.csv?", 1)+"&group_by=context")
		if code != 200 || !strings.HasPrefix(string(b), "\ufeffperiod,context,count\r\n2024-12-01,") {
			t.Fatalf("csv: %d %s", code, b)
		}
		if code, b = get(t, f, "", base+"&category=Wizardry"); code != 422 || !strings.Contains(string(b), "Clinical Triage") {
			t.Fatalf("unknown category: %d %s", code, b)
		}
		if code, b = get(t, f, "", base+"&group_by=hcp"); code != 422 {
			t.Fatalf("bad group: %d %s", code, b)
		}
	})
}

// Monthly practice-level series from the real sample file, down to a PCN.
func TestPracticesAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, _ := newApp(t, s)
		if _, err := importers.New(s, importers.Options{}).ImportPaths(context.Background(), []string{"../importers/testdata/practice_06H_oct2025.csv"}, importers.DefaultLimits); err != nil {
			t.Fatalf("import: %v", err)
		}
		var stored int64
		testdb.SQL(t, s).Raw("SELECT SUM(n) FROM appt_practice_monthly").Scan(&stored)
		base := "/api/v1/activity/practices?from=2025-10-01&to=2025-10-31"
		sumOf := func(url string) int64 {
			t.Helper()
			code, b := get(t, f, "", url)
			if code != 200 {
				t.Fatalf("%s: %d %s", url, code, b)
			}
			var series struct {
				Points []models.ActivityPoint `json:"points"`
			}
			json.Unmarshal(b, &series)
			var n int64
			for _, p := range series.Points {
				n += p.Count
			}
			return n
		}
		if got := sumOf(base + "&group_by=mode"); got != stored || got == 0 {
			t.Fatalf("England by mode: %d, stored %d", got, stored)
		}
		// Every dimension a practice row has, at once (the group key once
		// held four and this answered 500).
		all := base + "&group_by=status,hcp,mode,lead,category"
		if got := sumOf(all); got != stored {
			t.Fatalf("grouped by all five: %d, stored %d", got, stored)
		}
		_, b5 := get(t, f, "", all)
		var five struct {
			Points []models.ActivityPoint `json:"points"`
		}
		json.Unmarshal(b5, &five)
		for _, p := range five.Points {
			if len(p.Group) != 5 || p.Group["category"] == "" || p.Group["lead"] == "" {
				t.Fatalf("point %+v: want five group labels", p)
			}
		}
		pcn, practice := sumOf(base+"&area=U88254"), sumOf(base+"&area=D81001")
		if pcn <= practice || practice <= 0 || pcn >= stored {
			t.Fatalf("PCN %d, its practice D81001 %d, England %d", pcn, practice, stored)
		}
		code, b := get(t, f, "", strings.Replace(base, "practices?", "practices.csv?", 1)+"&group_by=status")
		if code != 200 || !strings.HasPrefix(string(b), "\ufeffperiod,status,count\r\n2025-10-01,") {
			t.Fatalf("csv: %d %s", code, b)
		}
		if code, b = get(t, f, "", base+"&area=NOPE1"); code != 422 {
			t.Fatalf("unknown area: %d %s", code, b)
		}
	})
}
