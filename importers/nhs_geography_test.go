package importers_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/importers/gpadgen"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// Generated daily files in which six sub-ICB locations (one with a
// 5-character code) leave their two ICBs for a merged one in April 2026:
// the merged ICB's series runs on across the change by summing its
// locations, the old ICB codes still resolve with a note, and areas carry
// the months they were published in.
func TestICBMerger(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		dir := t.TempDir()
		monthsTotal := map[time.Time]int64{}
		oldTotal := map[time.Time]int64{} // the first old ICB: locations 0-2
		for _, m := range []time.Time{month(2026, 2), month(2026, 3), month(2026, 4), month(2026, 5)} {
			p, _ := gen(t, dir, m.Format("2006-01")+".csv", gpadgen.Options{Months: []time.Time{m}, SubICBs: 6, Combos: 4, Seed: 3, MergeFrom: month(2026, 4)})
			b, _ := os.ReadFile(p)
			// 05A becomes M2L0M: sub-ICB codes have 3 or 5 characters.
			b = []byte(strings.ReplaceAll(string(b), "\n05A,", "\nM2L0M,"))
			os.WriteFile(p, b, 0o644)
			for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
				f := strings.Split(line, ",")
				n := int64(0)
				for _, c := range f[len(f)-1] {
					n = n*10 + int64(c-'0')
				}
				monthsTotal[m] += n
				if f[0] == "00A" || f[0] == "01A" || f[0] == "02A" {
					oldTotal[m] += n
				}
			}
		}
		importOK(t, s, importers.Options{}, dir)
		monthly := func(area string, b time.Time) models.MonthlyActivity {
			ans, err := s.ActivityMonthly(ctx, models.ActivityQuery{Area: area, From: month(2026, 2), To: time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC), Boundaries: b})
			if err != nil {
				t.Fatalf("%s: %v", area, err)
			}
			return ans
		}
		merged := gpadgen.MergedICB(0)
		ans := monthly(merged, time.Time{})
		if len(ans.Points) != 4 {
			t.Fatalf("merged ICB: %d months, want 4 (continuous across the merger)", len(ans.Points))
		}
		for _, p := range ans.Points {
			if p.Count != monthsTotal[p.Period] {
				t.Fatalf("merged ICB %s: %d, want %d", p.Period, p.Count, monthsTotal[p.Period])
			}
		}
		// The old code resolves, sums its own locations, and says where it went.
		_, _, _, oldICB, _ := gpadgen.Area(0)
		ans = monthly(oldICB, time.Time{})
		for _, p := range ans.Points {
			if p.Count != oldTotal[p.Period] {
				t.Fatalf("old ICB %s: %d, want %d", p.Period, p.Count, oldTotal[p.Period])
			}
		}
		info, err := s.DescribeArea(ctx, oldICB, time.Time{})
		if err != nil || !strings.Contains(info.Note, "merged into "+merged) || !strings.Contains(info.Note, "1 April 2026") {
			t.Fatalf("old ICB note: %+v %v", info, err)
		}
		if info.Validity.To == nil || info.Validity.To.Format("2006-01-02") != "2026-03-31" {
			t.Fatalf("old ICB validity: %+v", info.Validity)
		}
		info, err = s.DescribeArea(ctx, merged, time.Time{})
		if err != nil || info.Note != "" || info.Validity.From == nil || info.Validity.From.Format("2006-01-02") != "2026-04-01" {
			t.Fatalf("merged ICB: %+v %v", info, err)
		}
		// Under the boundaries of February 2026 the merged ICB did not exist.
		if ans := monthly(merged, month(2026, 2)); len(ans.Points) != 0 {
			t.Fatalf("merged ICB under February boundaries: %+v", ans.Points)
		}
		info, _ = s.DescribeArea(ctx, merged, month(2026, 2))
		if !strings.Contains(info.Note, "did not exist") {
			t.Fatalf("note under old boundaries: %q", info.Note)
		}
		// The 5-character location is an area like any other.
		ans = monthly("M2L0M", time.Time{})
		if len(ans.Points) != 4 || ans.Points[0].Count == 0 {
			t.Fatalf("M2L0M: %+v", ans.Points)
		}
	})
}

// Importing an older file after a newer one keeps each area in the ICB
// and region of its latest published month: 71E stays in Midlands
// E40000011 (the CCG-era file says E40000008), so a region series over
// 2019 counts it under today's regions.
func TestOlderFileKeepsCurrentParents(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		importOK(t, s, importers.Options{}, nhsPath("Regional_CSV_Lincolnshire__Oct25pub__datawarp.csv"))
		importOK(t, s, importers.Options{}, nhsPath("Regional_CSV_Lincolnshire__CCG_era_2019-2021__raw.csv"))
		sub, _ := s.ResolveArea(ctx, "71E")
		icb, _ := s.ResolveArea(ctx, "E54000013")
		reg, _ := s.ResolveArea(ctx, "E40000011")
		if sub.RegionID == nil || *sub.RegionID != reg.ID || icb.RegionID == nil || *icb.RegionID != reg.ID || sub.ICBID == nil || *sub.ICBID != icb.ID {
			t.Fatalf("71E %+v, ICB %+v, region %d", sub, icb, reg.ID)
		}
		var want int64
		for _, r := range readSample(t, "Regional_CSV_Lincolnshire__CCG_era_2019-2021__raw.csv") {
			if r["APPOINTMENT_MONTH"] == "MAR2019" {
				want += num(t, r["COUNT_OF_APPOINTMENTS"])
			}
		}
		ans, err := s.ActivityMonthly(ctx, models.ActivityQuery{Area: "E40000011", From: month(2019, 3), To: time.Date(2019, 3, 31, 0, 0, 0, 0, time.UTC)})
		if err != nil || len(ans.Points) != 1 || ans.Points[0].Count != want {
			t.Fatalf("Midlands March 2019: %+v %v, want %d", ans.Points, err, want)
		}
	})
}
