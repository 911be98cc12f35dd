// Command gpadgen writes synthetic GPAD sub-ICB daily CSV files in the
// published layout for the import benchmark (see BENCHMARKS.md).
//
//	gpadgen -months 2023-11 -subicbs 106 -combos 220 > nov23.csv
//	gpadgen -from 2022-01 -count 24 -dir out/   # one file per month
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/strikeline/strikeline/importers/gpadgen"
)

func main() {
	from := flag.String("from", "2023-11", "first month (YYYY-MM)")
	count := flag.Int("count", 1, "number of months")
	dir := flag.String("dir", "", "write one file per month into this folder (default: all months to stdout)")
	subs := flag.Int("subicbs", 106, "sub-ICB locations")
	combos := flag.Int("combos", 220, "category combinations per area and day")
	seed := flag.Uint64("seed", 1, "seed")
	flag.Parse()
	start, err := time.Parse("2006-01", *from)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gpadgen: -from must be YYYY-MM")
		os.Exit(2)
	}
	var total gpadgen.Stats
	for i := 0; i < *count; i++ {
		m := start.AddDate(0, i, 0)
		o := gpadgen.Options{Months: []time.Time{m}, SubICBs: *subs, Combos: *combos, Seed: *seed}
		out := os.Stdout
		if *dir != "" {
			if err := os.MkdirAll(*dir, 0o755); err != nil {
				fmt.Fprintln(os.Stderr, "gpadgen:", err)
				os.Exit(1)
			}
			f, err := os.Create(filepath.Join(*dir, "SUB_ICB_LOCATION_"+m.Format("2006_01")+".csv"))
			if err != nil {
				fmt.Fprintln(os.Stderr, "gpadgen:", err)
				os.Exit(1)
			}
			out = f
		} else if i == 0 {
			// all months in one stream: one header
		} else {
			o.Months = nil
		}
		if *dir == "" && i > 0 {
			continue
		}
		if *dir == "" {
			o.Months = nil
			for j := 0; j < *count; j++ {
				o.Months = append(o.Months, start.AddDate(0, j, 0))
			}
		}
		st, err := gpadgen.Write(out, o)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gpadgen:", err)
			os.Exit(1)
		}
		if out != os.Stdout {
			out.Close()
		}
		total.Rows += st.Rows
		total.Total += st.Total
	}
	fmt.Fprintf(os.Stderr, "gpadgen: %d rows, %d appointments\n", total.Rows, total.Total)
}
