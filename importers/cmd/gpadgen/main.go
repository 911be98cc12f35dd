// Command gpadgen writes synthetic GPAD sub-ICB daily CSV files in the
// published layout for the import benchmark (see BENCHMARKS.md and
// scripts/bench-import.sh).
//
//	gpadgen -from 2023-11 > nov23.csv                  # one national month, ≈0.7 M rows
//	gpadgen -from 2022-01 -count 24 -dir months/       # one file per month
//	gpadgen -from 2022-01 -count 6 > six-months.csv    # several months in one file
//	gpadgen -from 2026-02 -count 4 -subicbs 6 -merge-from 2026-04 > merger.csv
//	gpadgen -from 2024-01 -count 23 -realistic -drop 2025-07-25:2025-07-29:0.15 -dir demo/
//	gpadgen -from 2025-01 -count 12 -realistic -drop "2025-07-25:2025-07-29:0.15:GP:Attended" -dir demo/
//
// With -realistic every category combination gets its national share
// (DNA about 4%, home visits about 1%, GP share 45–50%, same-day about
// 40%), -combos is ignored, and days follow the national shape (weekdays,
// bank holidays, the Christmas–New Year dip).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/strikeline/strikeline/importers/gpadgen"
	"github.com/strikeline/strikeline/reports/holidays"
)

func main() {
	from := flag.String("from", "2023-11", "first month (YYYY-MM)")
	count := flag.Int("count", 1, "number of months")
	dir := flag.String("dir", "", "write one file per month into this folder (default: every month into one file on stdout)")
	subs := flag.Int("subicbs", 106, "sub-ICB locations")
	combos := flag.Int("combos", 220, "category combinations per area and day")
	seed := flag.Uint64("seed", 1, "seed (the same seed gives the same figures)")
	realistic := flag.Bool("realistic", false, "shape days like national activity (weekdays, seasons, bank holidays, Christmas) and categories like the published mix, instead of flat noise")
	var drops dropFlags
	flag.Var(&drops, "drop", "FROM:TO:FRACTION[:HCP[:STATUS]], e.g. 2025-07-25:2025-07-29:0.15:GP:Attended (repeatable)")
	merge := flag.String("merge-from", "", "move every sub-ICB location to a merged ICB from this month on (YYYY-MM), like the April 2026 ICB mergers")
	flag.Parse()
	start, err := time.Parse("2006-01", *from)
	if err != nil || *count < 1 {
		fmt.Fprintln(os.Stderr, "gpadgen: -from must be YYYY-MM and -count ≥ 1")
		os.Exit(2)
	}
	var months []time.Time
	for i := 0; i < *count; i++ {
		months = append(months, start.AddDate(0, i, 0))
	}
	opt := gpadgen.Options{SubICBs: *subs, Combos: *combos, Seed: *seed, Drops: drops}
	if *merge != "" {
		if opt.MergeFrom, err = time.Parse("2006-01", *merge); err != nil {
			fmt.Fprintln(os.Stderr, "gpadgen: -merge-from must be YYYY-MM")
			os.Exit(2)
		}
	}
	if *realistic {
		opt.Profile, opt.Shares = gpadgen.Realistic(holidays.IsBankHoliday), true
	}
	var total gpadgen.Stats
	write := func(w io.Writer, ms []time.Time) {
		o := opt
		o.Months = ms
		st, err := gpadgen.Write(w, o)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gpadgen:", err)
			os.Exit(1)
		}
		total.Rows += st.Rows
		total.Total += st.Total
	}
	if *dir == "" {
		write(os.Stdout, months)
	} else {
		if err := os.MkdirAll(*dir, 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "gpadgen:", err)
			os.Exit(1)
		}
		for _, m := range months {
			f, err := os.Create(filepath.Join(*dir, "SUB_ICB_LOCATION_"+m.Format("2006_01")+".csv"))
			if err != nil {
				fmt.Fprintln(os.Stderr, "gpadgen:", err)
				os.Exit(1)
			}
			write(f, []time.Time{m})
			if err := f.Close(); err != nil {
				fmt.Fprintln(os.Stderr, "gpadgen:", err)
				os.Exit(1)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "gpadgen: %d rows, %d appointments\n", total.Rows, total.Total)
}

// dropFlags collects -drop FROM:TO:FRACTION windows.
type dropFlags []gpadgen.DropWindow

func (d *dropFlags) String() string { return fmt.Sprint(len(*d), " windows") }

func (d *dropFlags) Set(v string) error {
	parts := strings.Split(v, ":")
	if len(parts) < 3 || len(parts) > 5 {
		return fmt.Errorf("want FROM:TO:FRACTION[:HCP[:STATUS]], got %q", v)
	}
	from, err1 := time.Parse(time.DateOnly, parts[0])
	to, err2 := time.Parse(time.DateOnly, parts[1])
	frac, err3 := strconv.ParseFloat(parts[2], 64)
	if err1 != nil || err2 != nil || err3 != nil || to.Before(from) || frac < 0 || frac > 1 {
		return fmt.Errorf("want FROM:TO:FRACTION with dates and 0 ≤ FRACTION ≤ 1, got %q", v)
	}
	w := gpadgen.DropWindow{From: from, To: to, Fraction: frac}
	if len(parts) > 3 && parts[3] != "" {
		w.HCP = []string{parts[3]}
	}
	if len(parts) > 4 && parts[4] != "" {
		w.Status = []string{parts[4]}
	}
	*d = append(*d, w)
	return nil
}
