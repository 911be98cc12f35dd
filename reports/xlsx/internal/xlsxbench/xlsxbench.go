// Package xlsxbench generates a large synthetic series and writes it either
// through xlsx.Write or through a bare excelize StreamWriter loop, so the
// benchmark and the peak-memory command compare the two on identical rows.
package xlsxbench

import (
	"fmt"
	"io"
	"iter"
	"strconv"
	"time"

	"github.com/strikeline/strikeline/reports/xlsx"
	"github.com/xuri/excelize/v2"
)

var categories = []string{"", "face_to_face", "telephone", "video_online", "home_visit"}

// Rows yields n rows shaped like the appointments data: 1,000 areas by
// five categories per day.
func Rows(n int) iter.Seq2[xlsx.DataRow, error] {
	areas := make([]string, 1000)
	for i := range areas {
		areas[i] = "E" + strconv.Itoa(38000000+i)
	}
	start := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	return func(yield func(xlsx.DataRow, error) bool) {
		for i := range n {
			r := xlsx.DataRow{
				Date:     start.AddDate(0, 0, i/5000),
				Dataset:  "appointments_daily",
				Area:     areas[(i/5)%1000],
				Metric:   "appointments",
				Category: categories[i%5],
				Value:    float64((i * 7919) % 40000),
			}
			if !yield(r, nil) {
				return
			}
		}
	}
}

// Report is a report whose only content is n data rows.
func Report(n int) *xlsx.Report {
	return &xlsx.Report{
		Title:       "Benchmark",
		GeneratedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		Data:        xlsx.DataSeries{Rows: Rows(n)},
	}
}

// Baseline writes the same n rows with the least excelize code that gives
// the same cells (a date style and a count style, values as Write stores
// them), without tables, panes, page setup or neutralising.
func Baseline(w io.Writer, n int) error {
	f := excelize.NewFile()
	defer f.Close()
	dateFmt, countFmt := "dd mmm yyyy", "#,##0"
	ds, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	cs, err := f.NewStyle(&excelize.Style{CustomNumFmt: &countFmt})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{"Date", "Dataset", "Area", "Metric", "Category", "Value"}); err != nil {
		return err
	}
	row := 1
	for r := range Rows(n) {
		row++
		if err := sw.SetRow("A"+strconv.Itoa(row), []any{
			excelize.Cell{StyleID: ds, Value: r.Date}, r.Dataset, r.Area, r.Metric, r.Category,
			excelize.Cell{StyleID: cs, Value: r.Value},
		}); err != nil {
			return fmt.Errorf("row %d: %w", row, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
