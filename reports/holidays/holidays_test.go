package holidays

import (
	"fmt"
	"testing"
	"time"
)

// govUK is the England & Wales list for 2022–2026 as GOV.UK publishes it
// (gov.uk/bank-holidays), including the one-off days.
var govUK = map[int][]string{
	2022: {"01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19", "12-26", "12-27"},
	2023: {"01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"},
	2024: {"01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"},
	2025: {"01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"},
	2026: {"01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"},
}

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatalf("bad test date %q: %v", s, err)
	}
	return d
}

// expected returns the GOV.UK days as UTC midnights.
func expected(t *testing.T) map[time.Time]bool {
	t.Helper()
	want := map[time.Time]bool{}
	for y, days := range govUK {
		for _, md := range days {
			want[mustDay(t, fmt.Sprintf("%d-%s", y, md))] = true
		}
	}
	return want
}

func TestEveryListedDayIsABankHoliday(t *testing.T) {
	for d := range expected(t) {
		if !IsBankHoliday(d) {
			t.Errorf("%s is on the GOV.UK list but IsBankHoliday says no", d.Format("2006-01-02 Mon"))
		}
		if Name(d) == "" {
			t.Errorf("%s has no name", d.Format("2006-01-02"))
		}
	}
}

func TestNoOtherDayIsABankHoliday(t *testing.T) {
	want := expected(t)
	for d := mustDay(t, "2022-01-01"); d.Year() <= 2026; d = d.AddDate(0, 0, 1) {
		if IsBankHoliday(d) && !want[d] {
			t.Errorf("%s (%s) is not on the GOV.UK list but IsBankHoliday says yes", d.Format("2006-01-02 Mon"), Name(d))
		}
	}
}

func TestOneOffDays(t *testing.T) {
	for _, tc := range []struct {
		day  string
		want bool
	}{
		{"2022-06-02", true},  // Spring bank holiday moved for the Platinum Jubilee
		{"2022-06-03", true},  // Platinum Jubilee
		{"2022-05-30", false}, // the last Monday of May 2022 was not a holiday
		{"2022-09-19", true},  // State Funeral of Queen Elizabeth II (added locally)
		{"2023-05-08", true},  // Coronation of King Charles III
		{"2022-12-25", false}, // Sunday: substituted by 27 December
		{"2026-12-26", false}, // Saturday: substituted by 28 December
	} {
		if got := IsBankHoliday(mustDay(t, tc.day)); got != tc.want {
			t.Errorf("IsBankHoliday(%s) = %v, want %v", tc.day, got, tc.want)
		}
	}
}

func TestCivilDateInOwnLocation(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skipf("no tz data: %v", err)
	}
	// Midnight in London during BST is 23:00 UTC the day before: the date
	// shown in the value's own location is the one that counts.
	d := time.Date(2025, 8, 25, 0, 0, 0, 0, london)
	if !IsBankHoliday(d) {
		t.Errorf("London midnight on 25 Aug 2025 should be a bank holiday")
	}
}

func TestBetween(t *testing.T) {
	for _, tc := range []struct {
		name     string
		from, to string
		want     []string
	}{
		{"whole of 2023", "2023-01-01", "2023-12-31",
			[]string{"2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26"}},
		{"inclusive ends", "2022-12-26", "2023-01-02", []string{"2022-12-26", "2022-12-27", "2023-01-02"}},
		{"none", "2025-06-01", "2025-06-30", nil},
		{"reversed", "2025-12-31", "2025-01-01", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Between(mustDay(t, tc.from), mustDay(t, tc.to))
			if len(got) != len(tc.want) {
				t.Fatalf("Between = %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i].Format("2006-01-02") != tc.want[i] || got[i].Location() != time.UTC {
					t.Errorf("Between[%d] = %v, want %s UTC", i, got[i], tc.want[i])
				}
			}
		})
	}
	var all []time.Time
	for y := 2022; y <= 2026; y++ {
		all = append(all, Between(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC))...)
	}
	if n := len(expected(t)); len(all) != n {
		t.Errorf("Between over 2022–2026 returned %d days, want %d", len(all), n)
	}
}

func TestConcurrentUse(t *testing.T) {
	// The per-year cache is filled lazily; goroutines asking at once must
	// all get the answers a single caller gets (and stay clean under -race).
	var want []bool
	for y := 2000; y < 2040; y++ {
		want = append(want, IsBankHoliday(time.Date(y, 12, 25, 0, 0, 0, 0, time.UTC)), IsBankHoliday(time.Date(y, 12, 26, 0, 0, 0, 0, time.UTC)))
	}
	resetCache()
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func(g int) {
			for i, y := 0, 2000; y < 2040; i, y = i+1, y+1 {
				day := 25 + g%2
				if got := IsBankHoliday(time.Date(y, 12, day, 0, 0, 0, 0, time.UTC)); got != want[2*i+g%2] {
					errs <- fmt.Errorf("%d-12-%d: got %v, want %v", y, day, got, want[2*i+g%2])
					return
				}
			}
			errs <- nil
		}(g)
	}
	for g := 0; g < 8; g++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
