package gpadgen

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"testing"
	"time"
)

// TestSharesLookPublished checks that -realistic data has believable
// proportions, and that a targeted drop touches only what it selects.
func TestSharesLookPublished(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC) }
	var buf bytes.Buffer
	_, err := Write(&buf, Options{Months: []time.Time{day(1)}, SubICBs: 3, Seed: 2, Shares: true,
		Drops: []DropWindow{{From: day(10), To: day(14), Fraction: 0.5, HCP: []string{"GP"}, Status: []string{"Attended"}}}})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	sum := map[string]float64{}
	var total float64
	for _, r := range rows[1:] {
		n, _ := strconv.ParseFloat(r[10], 64)
		dropped := r[5] >= "10MAR2025" && r[5] <= "14MAR2025" && len(r[5]) == 9
		if dropped {
			sum["drop "+r[7]+" "+r[6]] += n
			continue
		}
		total += n
		sum["status "+r[6]] += n
		sum["hcp "+r[7]] += n
		sum["mode "+r[8]] += n
		sum["lead "+r[9]] += n
		if r[7] == "GP" && r[6] == "Attended" {
			sum["gp attended"] += n
		}
	}
	known := total - sum["lead Unknown / Data Quality"]
	for _, tc := range []struct {
		what   string
		got    float64
		lo, hi float64
	}{
		{"DNA rate", sum["status DNA"] / (sum["status DNA"] + sum["status Attended"]), 0.035, 0.045},
		{"GP share", sum["hcp GP"] / (sum["hcp GP"] + sum["hcp Other Practice staff"]), 0.45, 0.50},
		{"home visits", sum["mode Home Visit"] / total, 0.007, 0.013},
		{"same-day share", sum["lead Same Day"] / known, 0.37, 0.43},
	} {
		if tc.got < tc.lo || tc.got > tc.hi {
			t.Errorf("%s = %.4f, want %.3f–%.3f", tc.what, tc.got, tc.lo, tc.hi)
		}
	}
	// Five of 26 other days: attended GP appointments halved, others not.
	perDay := sum["gp attended"] / 26
	if got := sum["drop GP Attended"] / 5; got > 0.6*perDay || got < 0.35*perDay {
		t.Errorf("dropped attended GP per day %.0f vs %.0f normally: want about half", got, perDay)
	}
	if got := sum["drop Other Practice staff Attended"] / 5; got < 0.8*sum["hcp Other Practice staff"]/26*0.9 {
		t.Errorf("the drop reached other practice staff: %.0f per day", got)
	}
}
