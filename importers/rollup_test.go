package importers_test

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/importers/gpadgen"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// checkRollups asserts that the national and regional rollups hold exactly
// the sums of the stored sub-ICB rows, day by day and category by
// category, and that an ICB series is the sum of its sub-ICBs. On
// PostgreSQL the loader sums rows while they stream and falls back to SQL
// for months holding other rows; both must agree with the rows.
func checkRollups(t *testing.T, s *models.Store) {
	t.Helper()
	// Compared in Go: SQLite has no parenthesised EXCEPT … UNION.
	groups := func(q string) map[[6]int64]int64 {
		t.Helper()
		rows, err := testdb.SQL(t, s).Raw(q).Rows()
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		m := map[[6]int64]int64{}
		for rows.Next() {
			var k [6]int64
			var n int64
			if err := rows.Scan(&k[0], &k[1], &k[2], &k[3], &k[4], &k[5], &n); err != nil {
				t.Fatal(err)
			}
			m[k] = n
		}
		return m
	}
	diff := func(what, rollup, rows string) {
		t.Helper()
		got, want := groups(rollup), groups(rows)
		if len(want) == 0 {
			t.Fatalf("%s: no rows to compare", what)
		}
		for k, n := range want {
			if got[k] != n {
				t.Fatalf("%s rollup %v = %d, rows sum to %d", what, k, got[k], n)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%s rollup has %d groups, the rows %d", what, len(got), len(want))
		}
	}
	dims := "day, status, hcp, mode, lead"
	diff("national",
		`SELECT 0, `+dims+`, n FROM appt_rollup_daily WHERE level = 0 AND area_id = 0`,
		`SELECT 0, d.day, d.status, d.hcp, d.mode, d.lead, SUM(d.n) FROM appt_subicb_daily d JOIN areas a ON a.id = d.area_id AND a.level = 3 GROUP BY d.day, d.status, d.hcp, d.mode, d.lead`)
	diff("regional",
		`SELECT area_id, `+dims+`, n FROM appt_rollup_daily WHERE level = 1`,
		`SELECT a.region_id, d.day, d.status, d.hcp, d.mode, d.lead, SUM(d.n) FROM appt_subicb_daily d JOIN areas a ON a.id = d.area_id AND a.level = 3
			WHERE a.region_id IS NOT NULL GROUP BY a.region_id, d.day, d.status, d.hcp, d.mode, d.lead`)
	if n := count(t, s, `SELECT COUNT(*) FROM appt_rollup_daily WHERE level NOT IN (0, 1)`); n != 0 {
		t.Fatalf("%d rollup rows at other levels", n)
	}
}

// seriesSum is the total of an area's daily series over [from, to].
func seriesSum(t *testing.T, s *models.Store, area string, from, to time.Time) int64 {
	t.Helper()
	return seriesTotal(t, s, models.ActivityQuery{From: from, To: to, Area: area, Granularity: "month"})
}

// A file that covers some areas of a month replaces those areas' figures
// and leaves the other areas of the month as they were.
func TestPartialFileReplacesOnlyItsAreas(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		dir := t.TempDir()
		nov := []time.Time{month(2023, 11)}
		full, _ := gen(t, dir, "full.csv", gpadgen.Options{Months: nov, SubICBs: 3, Combos: 12, Seed: 1})
		importOK(t, s, importers.Options{}, full)
		from, to := month(2023, 11), time.Date(2023, 11, 30, 0, 0, 0, 0, time.UTC)
		a0, _, _, _, _ := gpadgen.Area(0)
		a1, _, _, _, _ := gpadgen.Area(1)
		a2, _, _, _, _ := gpadgen.Area(2)
		others := []string{a1, a2}
		before := map[string]int64{}
		for _, a := range others {
			before[a] = seriesSum(t, s, a, from, to)
		}
		// A revised file for the first area only.
		one, st := gen(t, dir, "one.csv", gpadgen.Options{Months: nov, SubICBs: 1, Combos: 12, Seed: 9, Drop: 5})
		run := importOK(t, s, importers.Options{}, one)[0]
		if !run.Revised || run.RowsDeleted == 0 {
			t.Fatalf("run %+v", run)
		}
		if got := seriesSum(t, s, a0, from, to); got != st.Total {
			t.Fatalf("first area's total %d, want the revised %d", got, st.Total)
		}
		for _, a := range others {
			if got := seriesSum(t, s, a, from, to); got != before[a] {
				t.Fatalf("%s total changed %d → %d", a, before[a], got)
			}
		}
		national := seriesSum(t, s, "", from, to)
		if want := st.Total + before[a1] + before[a2]; national != want {
			t.Fatalf("national %d, want %d", national, want)
		}
		checkRollups(t, s)
		// The full file again puts the first area back: the partial file
		// changed its month since, so it is loaded, not skipped.
		a0before := seriesSum(t, s, a0, from, to)
		again := importOK(t, s, importers.Options{}, full)[0]
		if strings.Contains(again.Note, "same file") || !again.Revised {
			t.Fatalf("full file again: %+v", again)
		}
		if got := seriesSum(t, s, a0, from, to); got == a0before {
			t.Fatalf("first area kept the partial file's figures")
		}
		checkRollups(t, s)
	})
}

// A file whose months are interleaved (not ordered by date) loads the same
// figures as the ordered file.
func TestUnorderedFile(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		var buf bytes.Buffer
		st, err := gpadgen.Write(&buf, gpadgen.Options{Months: []time.Time{month(2023, 10), month(2023, 11)}, SubICBs: 2, Combos: 8, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
		body := lines[1:]
		rand.New(rand.NewPCG(1, 2)).Shuffle(len(body), func(i, j int) { body[i], body[j] = body[j], body[i] })
		p := filepath.Join(t.TempDir(), "shuffled.csv")
		if err := os.WriteFile(p, []byte(lines[0]+"\n"+strings.Join(body, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		run := importOK(t, s, importers.Options{}, p)[0]
		if run.RowsInserted != st.Rows {
			t.Fatalf("inserted %d, want %d", run.RowsInserted, st.Rows)
		}
		if got := seriesSum(t, s, "", month(2023, 10), time.Date(2023, 11, 30, 0, 0, 0, 0, time.UTC)); got != st.Total {
			t.Fatalf("national total %d, want %d", got, st.Total)
		}
		checkRollups(t, s)
	})
}

// ICB and region series (no ICB rollup is stored) add up their sub-ICBs.
func TestAreaSeriesAddUp(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		dir := t.TempDir()
		p, st := gen(t, dir, "nov.csv", gpadgen.Options{Months: []time.Time{month(2023, 11)}, SubICBs: 6, Combos: 10, Seed: 4})
		importOK(t, s, importers.Options{}, p)
		from, to := month(2023, 11), time.Date(2023, 11, 30, 0, 0, 0, 0, time.UTC)
		var areas []models.Area
		if err := testdb.SQL(t, s).Where("level IN ?", []int{models.LevelRegion, models.LevelICB, models.LevelSubICB}).Find(&areas).Error; err != nil {
			t.Fatal(err)
		}
		sub := map[int64]int64{} // sub-ICB id → total
		code := map[int64]string{}
		for _, a := range areas {
			code[a.ID] = a.Code
			if a.Level == models.LevelSubICB {
				sub[a.ID] = seriesSum(t, s, a.Code, from, to)
			}
		}
		checked := 0
		for _, a := range areas {
			if a.Level == models.LevelSubICB {
				continue
			}
			var want int64
			for _, b := range areas {
				if b.Level != models.LevelSubICB {
					continue
				}
				if (a.Level == models.LevelICB && b.ICBID != nil && *b.ICBID == a.ID) || (a.Level == models.LevelRegion && b.RegionID != nil && *b.RegionID == a.ID) {
					want += sub[b.ID]
				}
			}
			if got := seriesSum(t, s, a.Code, from, to); got != want || want == 0 {
				t.Fatalf("%s (level %d): %d, want %d", a.Code, a.Level, got, want)
			}
			checked++
		}
		if checked == 0 {
			t.Fatal("no region or ICB in the file")
		}
		if got := seriesSum(t, s, "", from, to); got != st.Total {
			t.Fatalf("national %d, want %d", got, st.Total)
		}
		checkRollups(t, s)
	})
}

// Two imports of the same month at once (two analysts, or two app
// instances), each for different areas: both land, neither undoes the
// other, and the rollups hold their sum.
func TestConcurrentImportsOfOneMonth(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		dir := t.TempDir()
		nov := []time.Time{month(2023, 11)}
		// Areas 0–1 in one file, 0–3 with other figures in the other;
		// whichever lands last decides areas 0–1, areas 2–3 come from
		// the second file either way.
		a, sa := gen(t, dir, "a.csv", gpadgen.Options{Months: nov, SubICBs: 2, Combos: 10, Seed: 1})
		b, sb := gen(t, dir, "b.csv", gpadgen.Options{Months: nov, SubICBs: 4, Combos: 10, Seed: 2})
		errs := make(chan error, 2)
		for _, p := range []string{a, b} {
			go func() {
				_, err := importers.New(s, importers.Options{}).ImportPaths(ctx, []string{p}, importers.DefaultLimits)
				errs <- err
			}()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		from, to := month(2023, 11), time.Date(2023, 11, 30, 0, 0, 0, 0, time.UTC)
		got := seriesSum(t, s, "", from, to)
		// b alone (b landed last), or a's areas 0–1 plus b's areas 2–3.
		var b23 int64
		for i := 2; i < 4; i++ {
			code, _, _, _, _ := gpadgen.Area(i)
			b23 += seriesSum(t, s, code, from, to)
		}
		if got != sb.Total && got != sa.Total+b23 {
			t.Fatalf("national %d: neither b (%d) nor a + b's other areas (%d)", got, sb.Total, sa.Total+b23)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM appt_subicb_daily"); n != sb.Rows {
			t.Fatalf("%d rows, want %d (four areas)", n, sb.Rows)
		}
		checkRollups(t, s)
	})
}
