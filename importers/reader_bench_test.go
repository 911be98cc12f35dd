package importers_test

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/importers/gpadgen"
)

// BenchmarkReader measures parsing alone (no database): go test -bench Reader.
func BenchmarkReader(b *testing.B) {
	var buf bytes.Buffer
	st, _ := gpadgen.Write(&buf, gpadgen.Options{Months: []time.Time{month(2023, 11)}, SubICBs: 15, Combos: 220, Seed: 1})
	b.SetBytes(int64(buf.Len()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rd, err := importers.NewReader(context.Background(), bytes.NewReader(buf.Bytes()), "", &memResolver{})
		if err != nil {
			b.Fatal(err)
		}
		row := make([]int64, rd.Width())
		for {
			if err := rd.Next(row); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(st.Rows*int64(b.N))/b.Elapsed().Seconds(), "rows/s")
}
