package xlsx_test

import (
	"io"
	"testing"

	"github.com/strikeline/strikeline/reports/xlsx"
	"github.com/strikeline/strikeline/reports/xlsx/internal/xlsxbench"
)

// benchRows is the size of the Data sheet in the benchmarks (issue 5:
// one million rows).
const benchRows = 1_000_000

// BenchmarkDataSheet writes a workbook whose Data sheet has a million rows.
// Compare with BenchmarkStreamBaseline, run in the same invocation.
func BenchmarkDataSheet(b *testing.B) {
	for b.Loop() {
		if err := xlsx.Write(io.Discard, xlsxbench.Report(benchRows)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows), "rows/op")
}

// BenchmarkStreamBaseline writes the same rows with a bare StreamWriter loop.
func BenchmarkStreamBaseline(b *testing.B) {
	for b.Loop() {
		if err := xlsxbench.Baseline(io.Discard, benchRows); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows), "rows/op")
}
