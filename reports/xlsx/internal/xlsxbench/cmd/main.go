// Command xlsxbench writes a workbook of -rows data rows with xlsx.Write
// (-mode=write) or a bare StreamWriter loop (-mode=baseline), for measuring
// peak memory with /usr/bin/time -v; see BENCHMARKS.md.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/strikeline/strikeline/reports/xlsx"
	"github.com/strikeline/strikeline/reports/xlsx/internal/xlsxbench"
)

func main() {
	rows := flag.Int("rows", 1_000_000, "data rows")
	mode := flag.String("mode", "write", "write or baseline")
	out := flag.String("o", "", "output file (default: discard)")
	flag.Parse()
	var w io.Writer = io.Discard
	if *out != "" {
		fh, err := os.Create(*out)
		if err != nil {
			log.Fatal(err)
		}
		defer fh.Close()
		bw := bufio.NewWriter(fh)
		defer bw.Flush()
		w = bw
	}
	start := time.Now()
	var err error
	switch *mode {
	case "write":
		err = xlsx.Write(w, xlsxbench.Report(*rows))
	case "baseline":
		err = xlsxbench.Baseline(w, *rows)
	default:
		err = fmt.Errorf("unknown mode %q", *mode)
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "%s: %d rows in %v\n", *mode, *rows, time.Since(start).Round(time.Millisecond))
}
