package models_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// runSummary is what a person reads of an import run in the history.
type runSummary struct {
	Status                               string
	Inserted, Updated, Deleted, Rejected int64
	Revised                              bool
	Note                                 string
	Target                               string
	From, To                             string
	Errors                               []models.RowError
}

func summarise(r *models.ImportRun) runSummary {
	sum := runSummary{Status: r.Status, Inserted: r.RowsInserted, Updated: r.RowsUpdated, Deleted: r.RowsDeleted,
		Rejected: r.RowsRejected, Revised: r.Revised, Note: r.Note, Target: r.Target, Errors: r.Errors}
	if r.DayFrom != nil {
		sum.From = models.DayTime(*r.DayFrom).Format("2006-01-02")
	}
	if r.DayTo != nil {
		sum.To = models.DayTime(*r.DayTo).Format("2006-01-02")
	}
	if len(sum.Errors) == 0 {
		sum.Errors = nil
	}
	return sum
}

// The two backends load a file by different algorithms; a sequence of
// files must leave the same import history and the same stored rows on
// both, and the history must say what changed.
func TestLoadParity(t *testing.T) {
	day := func(y int, m time.Month, d int) int64 {
		return models.DayNumber(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
	}
	// A file's row: area (0 or 1, resolved per store), day, status, hcp,
	// mode, lead, n. Line numbers follow the order.
	type row struct {
		area int
		day  int64
		cat  int64
		n    int64
	}
	oct1, oct2 := day(2023, 10, 2), day(2023, 10, 3)
	nov1, nov2 := day(2023, 11, 1), day(2023, 11, 2)
	dec1 := day(2023, 12, 1)
	octNov := []row{
		{0, oct1, 0, 10}, {0, oct2, 0, 11}, {1, oct1, 0, 20}, {1, oct1, 1, 21},
		{0, nov1, 0, 30}, {0, nov2, 0, 31}, {1, nov1, 0, 40},
	}
	// November revised: one figure changed, one row withdrawn, one new.
	novRevised := []row{
		{0, oct1, 0, 10}, {0, oct2, 0, 11}, {1, oct1, 0, 20}, {1, oct1, 1, 21},
		{0, nov1, 0, 35}, {1, nov1, 0, 40}, {1, nov1, 2, 5},
	}
	// November as revised, and a new month.
	withDec := []row{
		{0, nov1, 0, 35}, {1, nov1, 0, 40}, {1, nov1, 2, 5},
		{0, dec1, 0, 50}, {1, dec1, 0, 60},
	}
	// Area 0 alone for December, revised, one row repeated: area 1's
	// December stays, the repeat is dropped (skip policy).
	decArea0 := []row{{0, dec1, 0, 55}, {0, dec1, 1, 7}, {0, dec1, 1, 8}}

	steps := []struct {
		name string
		rows []row
		skip bool
		want runSummary
	}{
		{"first import", octNov, false, runSummary{Inserted: 7}},
		{"identical re-import", octNov, false, runSummary{Note: "no change: every row was already loaded with the same figures"}},
		{"november revised", novRevised, false, runSummary{Inserted: 1, Updated: 1, Deleted: 1, Revised: true,
			Note: "revision: replaced earlier figures for 2023-11 to 2023-11 (1 rows changed, 1 rows withdrawn)"}},
		{"new month", withDec, false, runSummary{Inserted: 2}},
		{"one area's month, a repeated row", decArea0, true, runSummary{Inserted: 1, Updated: 1, Rejected: 1, Revised: true,
			Note: "revision: replaced earlier figures for 2023-12 to 2023-12 (1 rows changed, 0 rows withdrawn)"}},
	}

	type outcome struct {
		runs   []runSummary
		tables map[string][]string
	}
	results := map[models.Backend]outcome{}
	for _, b := range testdb.Backends {
		t.Run(string(b), func(t *testing.T) {
			s := testdb.New(t, b)
			ctx := context.Background()
			region, err := s.UpsertArea(ctx, models.Area{Level: models.LevelRegion, Code: "Y56", Name: "London"})
			if err != nil {
				t.Fatal(err)
			}
			var areas [2]int64
			for i, code := range []string{"07P", "08C"} {
				if areas[i], err = s.UpsertArea(ctx, models.Area{Level: models.LevelSubICB, Code: code, Name: code, RegionID: &region}); err != nil {
					t.Fatal(err)
				}
			}
			var o outcome
			runIndex := map[string]string{} // run id → step number, so stores compare whatever their ids
			for i, st := range steps {
				rows := make([][]int64, len(st.rows))
				for j, r := range st.rows {
					rows[j] = []int64{areas[r.area], r.day, r.cat, 0, 0, 0, r.n, int64(j + 2)}
				}
				run, err := loadWith(s, rows, models.MergeOptions{SkipBad: st.skip, MaxErrors: 10})
				if err != nil {
					t.Fatalf("%s: %v", st.name, err)
				}
				runIndex[fmt.Sprint(run.ID)] = fmt.Sprint(i)
				stored, err := s.GetImportRun(ctx, run.ID)
				if err != nil {
					t.Fatal(err)
				}
				got := summarise(stored)
				want := st.want
				want.Status, want.Target = models.ImportSucceeded, models.TargetSubICBDaily.Table
				want.From = models.DayTime(st.rows[0].day).Format("2006-01") + "-01"
				last := models.DayTime(st.rows[len(st.rows)-1].day)
				want.To = time.Date(last.Year(), last.Month()+1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
				got.Errors, want.Errors = nil, nil // compared across backends below
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: run\n got %+v\nwant %+v", st.name, got, want)
				}
				o.runs = append(o.runs, summarise(stored))
			}
			areaName := map[string]string{fmt.Sprint(areas[0]): "A", fmt.Sprint(areas[1]): "B", fmt.Sprint(region): "R", "0": "E"}
			o.tables = map[string][]string{}
			sub := models.TargetSubICBDaily
			stored, err := s.TableRowsForTest(ctx, sub.Table, append(append([]string{}, sub.Cols...), "n", "line", "import_id"))
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range stored {
				f := strings.Fields(r)
				f[0], f[len(f)-1] = areaName[f[0]], "run"+runIndex[f[len(f)-1]]
				stored[i] = strings.Join(f, " ")
			}
			o.tables[sub.Table] = stored
			roll := models.RollupTargetForTest
			rolled, err := s.TableRowsForTest(ctx, roll.Table, append(append([]string{}, roll.Cols...), "n"))
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range rolled {
				f := strings.Fields(r)
				f[1] = areaName[f[1]]
				rolled[i] = strings.Join(f, " ")
			}
			o.tables[roll.Table] = rolled
			results[b] = o
		})
	}
	lite, pg := results[models.SQLite], results[models.Postgres]
	if len(lite.runs) != len(steps) || len(pg.runs) != len(steps) {
		t.Fatal("a backend did not finish the sequence")
	}
	for i, st := range steps {
		if !reflect.DeepEqual(lite.runs[i], pg.runs[i]) {
			t.Errorf("%s: SQLite recorded\n %+v\nPostgreSQL recorded\n %+v", st.name, lite.runs[i], pg.runs[i])
		}
	}
	for table, rows := range lite.tables {
		if !reflect.DeepEqual(rows, pg.tables[table]) {
			t.Errorf("%s differs:\nSQLite\n %s\nPostgreSQL\n %s", table, strings.Join(rows, "\n "), strings.Join(pg.tables[table], "\n "))
		}
	}
	// Spot checks that the compared rows are the intended ones.
	sub := lite.tables[models.TargetSubICBDaily.Table]
	if len(sub) != 10 {
		t.Errorf("stored %d sub-ICB rows, want 10:\n %s", len(sub), strings.Join(sub, "\n "))
	}
}
