package xlsx

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// jdate reads "2006-01-02" or RFC 3339 from the JSON fixture.
type jdate struct{ time.Time }

func (d *jdate) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	for _, layout := range []string{time.DateOnly, time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			d.Time = t
			return nil
		}
	}
	return &time.ParseError{Value: s, Layout: time.DateOnly}
}

type fixture struct {
	Title        string
	GeneratedAt  jdate
	Version      string
	From, To     jdate
	Method       Method
	BankHolidays []jdate
	Sources      []struct {
		FileName, SHA256, Format string
		Rows                     int64
		ImportedAt               jdate
	}
	Events []struct {
		ID                                                int64
		Kind, Title, Scope, Metric, MetricLabel, URL, SPC string
		WindowStart, WindowEnd                            jdate
		Sources                                           []Link
	}
	Timeline []struct {
		ID                                  int64
		Kind, Title, Union, StaffGroup, URL string
		Start, End                          jdate
		Sources                             []Link
	}
	Dictionary []DictEntry
}

// seriesRow is one day of testdata/series.csv.
type seriesRow struct {
	date  time.Time
	total float64
	modes []float64
}

var fixtureModes = []string{"Face-to-face", "Telephone", "Video/online", "Home visit"}

func loadSeries(t testing.TB) []seriesRow {
	t.Helper()
	fh, err := os.Open(filepath.Join("testdata", "series.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []seriesRow
	for _, r := range recs[1:] {
		d, err := time.Parse(time.DateOnly, r[0])
		if err != nil {
			t.Fatal(err)
		}
		var vals []float64
		for _, s := range r[1:] {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatal(err)
			}
			vals = append(vals, v)
		}
		out = append(out, seriesRow{d, vals[0], vals[1:]})
	}
	return out
}

// loadReport builds the fixture Report. The baseline here is a small,
// independent rendering of DOMAIN §4.1 so the writer's cross-check against
// "engine" figures has something to check.
func loadReport(t testing.TB) *Report {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx fixture
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	series := loadSeries(t)
	byDate := map[time.Time]seriesRow{}
	for _, s := range series {
		byDate[s.date] = s
	}
	r := &Report{
		Title: fx.Title, GeneratedAt: fx.GeneratedAt.Time, Version: fx.Version,
		From: fx.From.Time, To: fx.To.Time, Method: fx.Method, Dictionary: fx.Dictionary,
	}
	holiday := map[time.Time]bool{}
	for _, d := range fx.BankHolidays {
		r.BankHolidays = append(r.BankHolidays, d.Time)
		holiday[d.Time] = true
	}
	for _, s := range fx.Sources {
		r.Sources = append(r.Sources, DataSource{s.FileName, s.SHA256, s.Format, s.Rows, s.ImportedAt.Time})
	}
	type window struct{ from, to time.Time }
	var windows []window
	for _, e := range fx.Timeline {
		r.Timeline = append(r.Timeline, TimelineRow{ID: e.ID, Kind: e.Kind, Title: e.Title, Start: e.Start.Time, End: e.End.Time,
			Union: e.Union, StaffGroup: e.StaffGroup, URL: e.URL, Sources: e.Sources})
		windows = append(windows, window{e.Start.Time, e.End.Time})
	}
	inWindow := func(d time.Time) bool {
		return slices.ContainsFunc(windows, func(w window) bool { return !d.Before(w.from) && !d.After(w.to) })
	}
	n, maxWeeks := fx.Method.BaselineWeeks, fx.Method.MaxWeeks
	for _, fe := range fx.Events {
		ev := EventImpact{ID: fe.ID, Kind: fe.Kind, Title: fe.Title, Scope: fe.Scope, Metric: fe.Metric, MetricLabel: fe.MetricLabel,
			URL: fe.URL, SPC: fe.SPC, WindowStart: fe.WindowStart.Time, WindowEnd: fe.WindowEnd.Time, Sources: fe.Sources, Modes: fixtureModes}
		var v, minDF float64 = 0, math.Inf(1)
		for d := ev.WindowStart.AddDate(0, 0, -7*maxWeeks); !d.After(ev.WindowEnd.AddDate(0, 0, 14)); d = d.AddDate(0, 0, 1) {
			s, ok := byDate[d]
			day := DayImpact{Date: d, Observed: s.total, HasObserved: ok,
				InWindow: !d.Before(ev.WindowStart) && !d.After(ev.WindowEnd)}
			if day.InWindow && ok && !holiday[d] {
				var xs []float64
				for k := 1; k <= maxWeeks && len(xs) < n; k++ {
					c := d.AddDate(0, 0, -7*k)
					cs, ok := byDate[c]
					if !ok || holiday[c] || inWindow(c) {
						continue
					}
					day.BaselineDates = append(day.BaselineDates, c)
					xs = append(xs, cs.total)
				}
				var mean, ss float64
				for _, x := range xs {
					mean += x / float64(len(xs))
				}
				for _, x := range xs {
					ss += (x - mean) * (x - mean)
				}
				sd := math.Sqrt(ss / float64(len(xs)-1))
				tq := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(xs) - 1)}.Quantile(0.975)
				m := tq * sd * math.Sqrt(1+1/float64(len(xs)))
				day.Included, day.Expected, day.Lower, day.Upper = true, mean, mean-m, mean+m
				ev.Total.Observed += day.Observed
				ev.Total.Expected += mean
				v += sd * sd * (1 + 1/float64(len(xs)))
				minDF = min(minDF, float64(len(xs)-1))
				if len(xs) < n {
					day.Note = "short baseline: " + strconv.Itoa(len(xs)) + " days"
				}
			} else if day.InWindow {
				day.Note = "bank holiday or no data: not counted"
			}
			ev.Days = append(ev.Days, day)
			if ok {
				ev.ByMode = append(ev.ByMode, ModeDay{Date: d, Counts: s.modes})
			}
		}
		m := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: minDF}.Quantile(0.975) * math.Sqrt(v)
		ev.Total.Lower, ev.Total.Upper = ev.Total.Expected-m, ev.Total.Expected+m
		ev.Total.Diff = ev.Total.Observed - ev.Total.Expected
		ev.Total.Pct = ev.Total.Diff / ev.Total.Expected
		// Relative interval: observed against the ends of the expected one.
		ev.Total.RelLower, ev.Total.RelUpper = ev.Total.Observed/ev.Total.Upper-1, ev.Total.Observed/ev.Total.Lower-1
		ev.Sentence = fmt.Sprintf("%s in %s were %.1f%% %s expected during the strike (95%% interval %.1f%% to %.1f%%): about %.0f %s than expected over %d days.",
			ev.MetricLabel, ev.Scope, math.Abs(ev.Total.Pct*100), map[bool]string{true: "above", false: "below"}[ev.Total.Pct > 0],
			ev.Total.RelLower*100, ev.Total.RelUpper*100, math.Abs(ev.Total.Diff), map[bool]string{true: "more", false: "fewer"}[ev.Total.Diff > 0],
			len(slices.DeleteFunc(slices.Clone(ev.Days), func(d DayImpact) bool { return !d.Included })))
		r.Events = append(r.Events, ev)
	}
	names := []string{"total", "face_to_face", "telephone", "video_online", "home_visit"}
	r.Data.Rows = func(yield func(DataRow, error) bool) {
		for _, s := range series {
			for i, v := range append([]float64{s.total}, s.modes...) {
				cat := ""
				if i > 0 {
					cat = names[i]
				}
				if !yield(DataRow{Date: s.date, Dataset: "appointments_daily", Area: "England", Metric: "appointments", Category: cat, Value: v}, nil) {
					return
				}
			}
		}
	}
	return r
}
