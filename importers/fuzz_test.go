package importers_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/models"
)

// memResolver hands out ids without a database.
type memResolver struct{ ids map[string]int64 }

func (m *memResolver) id(k string) int64 {
	if m.ids == nil {
		m.ids = map[string]int64{}
	}
	if id, ok := m.ids[k]; ok {
		return id
	}
	m.ids[k] = int64(len(m.ids) + 1)
	return m.ids[k]
}
func (m *memResolver) AreaID(_ context.Context, a models.Area) (int64, error) {
	if a.Code == "" {
		return 0, errors.New("empty code reached the resolver")
	}
	return m.id(a.Code), nil
}
func (m *memResolver) LabelID(_ context.Context, k, l string) (int64, error) { return m.id(k + l), nil }

func seedFiles(f *testing.F) {
	for _, p := range []string{"testdata/natcat_06H_dec2024.csv", "testdata/practice_06H_oct2025.csv", "testdata/oc_00L_2025q1.csv"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		lines := strings.SplitAfter(string(b), "\n")
		f.Add(strings.Join(lines[:min(6, len(lines))], ""))
	}
	f.Add("SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_ONS_CODE,SUB_ICB_LOCATION_NAME,ICB_ONS_CODE,REGION_ONS_CODE,Appointment_Date,APPT_STATUS,HCP_TYPE,APPT_MODE,TIME_BETWEEN_BOOK_AND_APPT,COUNT_OF_APPOINTMENTS\n" +
		"00L,E38000130,NHS North East and North Cumbria ICB - 00L,E54000050,E40000012,01NOV2023,Attended,GP,Video Conference/Online,8  to 14 Days,12\n" +
		"00L,E38000130,NHS North, East ICB,E54000050,E40000012,01NOV2023,,,,,x\n")
	f.Add("CCG_CODE,CCG_ONS_CODE,CCG_NAME,STP_ONS_CODE,REGION_ONS_CODE,Appointment_Date,APPT_STATUS,HCP_TYPE,APPT_MODE,TIME_BETWEEN_BOOK_AND_APPT,COUNT_OF_APPOINTMENTS\n\"a\nb\",\"")
}

// FuzzReader feeds arbitrary bytes to the readers of every format: they
// must never panic, and every row they accept must be in range.
func FuzzReader(f *testing.F) {
	seedFiles(f)
	f.Fuzz(func(t *testing.T, data string) {
		rd, err := importers.NewReader(context.Background(), strings.NewReader(data), "", &memResolver{})
		if err != nil {
			return
		}
		row := make([]int64, rd.Width())
		for i := 0; i < 10000; i++ {
			err := rd.Next(row)
			if err == io.EOF {
				return
			}
			var bad *importers.BadRow
			if errors.As(err, &bad) {
				if bad.Reason == "" {
					t.Fatalf("bad row without a reason: %+v", bad)
				}
				continue
			}
			if err != nil {
				t.Fatalf("unexpected fatal error: %v", err)
			}
			for _, v := range row[:len(row)-1] {
				if v < 0 {
					t.Fatalf("negative value in accepted row %v", row)
				}
			}
		}
	})
}

// FuzzParseDate checks that accepted dates round-trip.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"01NOV2023", "31dec2024", "2023-11-01", "29FEB2023", "", "00JAN2020", "2024-02-30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := importers.ParseDate(s)
		if err != nil {
			return
		}
		tm := models.DayTime(d)
		if tm.Year() < 1990 || tm.Year() > 2100 || models.DayNumber(tm) != d {
			t.Fatalf("%q → %v", s, tm)
		}
	})
}

// FuzzDetect checks header detection on arbitrary headers.
func FuzzDetect(f *testing.F) {
	f.Add("SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_ONS_CODE,SUB_ICB_LOCATION_NAME,ICB_ONS_CODE,REGION_ONS_CODE,Appointment_Date,APPT_STATUS,HCP_TYPE,APPT_MODE,TIME_BETWEEN_BOOK_AND_APPT,COUNT_OF_APPOINTMENTS")
	f.Add("\ufeffmonth,gp_code,GP_NAME,PCN_CODE,PCN_NAME,SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_NAME,METRIC,VALUE")
	f.Add("FOO,BAR")
	f.Fuzz(func(t *testing.T, h string) {
		_, _, err := importers.Detect(strings.Split(h, ","), "")
		var he *importers.HeaderError
		if err != nil && (!errors.As(err, &he) || !strings.Contains(err.Error(), "Accepted files:")) {
			t.Fatalf("bad error %v", err)
		}
	})
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{"01NOV2023": "2023-11-01", "31dec2024": "2024-12-31", "2025-02-01": "2025-02-01", "29FEB2024": "2024-02-29"} {
		d, err := importers.ParseDate(in)
		if err != nil || models.DayTime(d).Format("2006-01-02") != want {
			t.Errorf("%s → %v %v", in, models.DayTime(d), err)
		}
	}
	for _, in := range []string{"29FEB2023", "01XYZ2023", "2023-13-01", "1NOV2023", ""} {
		if _, err := importers.ParseDate(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

// FuzzZip feeds arbitrary archives to the zip guard and reads what it
// accepts: no panics, no path escaping, nothing beyond the size limit.
func FuzzZip(f *testing.F) {
	for _, files := range []map[string]string{
		{"a.csv": "x,y\n1,2\n"},
		{"../evil.csv": "x"},
		{"dir/b.CSV": strings.Repeat("0", 5000), "readme.txt": "hi"},
	} {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for n, body := range files {
			w, _ := zw.Create(n)
			w.Write([]byte(body))
		}
		zw.Close()
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		ins, err := importers.ZipInputs(zr, "f.zip", importers.Limits{MaxUncompressed: 1 << 16})
		if err != nil {
			return
		}
		var total int64
		for _, in := range ins {
			if n := strings.TrimPrefix(in.Name, "f.zip:"); strings.HasPrefix(n, "/") || slices.Contains(strings.Split(n, "/"), "..") {
				t.Fatalf("unsafe name accepted: %q", in.Name)
			}
			rc, err := in.Open()
			if err != nil {
				continue
			}
			n, _ := io.Copy(io.Discard, rc)
			rc.Close()
			total += n
		}
		if total > 1<<16 {
			t.Fatalf("read %d bytes past the limit", total)
		}
	})
}
