package analysis

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/impact"
)

func TestDefaultSlice(t *testing.T) {
	for _, tc := range []struct {
		staff string
		kind  models.Kind
		title string
		want  models.ActivitySlice
	}{
		{"resident_doctors", models.KindStrikeRound, "", models.ActivitySlice{HCP: []string{"GP"}}},
		{"consultants", models.KindStrikeRound, "", models.ActivitySlice{HCP: []string{"GP"}}},
		{"nurses", models.KindStrikeRound, "", models.ActivitySlice{HCP: []string{"Other Practice staff"}}},
		{"ambulance_staff", models.KindStrikeRound, "", models.ActivitySlice{}},
		{"", models.KindRegulatoryChange, "GP contract: online consultation tools open all day", models.ActivitySlice{Mode: []string{"Video Conference/Online"}}},
		// The GP contract's staff group is GPs; its subject, the modes, wins.
		{"gps", models.KindRegulatoryChange, "GP contract 2025/26: online consultation tools open throughout core hours", models.ActivitySlice{Mode: []string{"Video Conference/Online"}}},
		{"gps", models.KindRegulatoryChange, "GP contract 2024/25 imposed (1.9% uplift)", models.ActivitySlice{HCP: []string{"GP"}}},
	} {
		e := &models.Event{Kind: tc.kind, StaffGroup: tc.staff, Title: tc.title, Instrument: "contract"}
		got := DefaultSlice(e)
		if !slices.Equal(got.HCP, tc.want.HCP) || !slices.Equal(got.Mode, tc.want.Mode) {
			t.Errorf("%s %s: %+v, want %+v", tc.kind, tc.staff, got, tc.want)
		}
		// Every default label is a published one.
		if _, err := models.ParseActivitySlice("", got); err != nil {
			t.Errorf("default slice %+v: %v", got, err)
		}
	}
}

func TestApplySlice(t *testing.T) {
	att, _ := impact.MetricByKey(impact.MetricAttended)
	m, ignored, err := applySlice(att, models.ActivitySlice{HCP: []string{"GP"}})
	if err != nil || len(ignored) > 0 || !slices.Equal(m.Numerator.HCP, []string{"GP"}) || !slices.Equal(m.Numerator.Status, []string{"Attended"}) {
		t.Errorf("attended with a GP: %+v %v %v", m.Numerator, ignored, err)
	}
	if _, _, err := applySlice(att, models.ActivitySlice{Status: []string{"DNA"}}); !errors.Is(err, ErrSliceEmpty) {
		t.Errorf("attended DNAs: %v, want ErrSliceEmpty", err)
	}
	dna, _ := impact.MetricByKey(impact.MetricDNARate)
	m, ignored, _ = applySlice(dna, models.ActivitySlice{HCP: []string{"GP"}, Status: []string{"Attended"}})
	if !slices.Equal(ignored, []string{"status"}) || !slices.Equal(m.Denominator.HCP, []string{"GP"}) || len(m.Denominator.Status) != 2 {
		t.Errorf("DNA rate of GP appointments: %+v / %+v, ignored %v", m.Numerator, m.Denominator, ignored)
	}
}

func TestLinkWindowsAndOverridesOnce(t *testing.T) {
	e := strikeEvent(5, "2025-07-25T07:00:00+01:00", "2025-07-30T07:00:00+01:00")
	sp, err := Link(&e, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sp.Before != impact.Range(impact.Date(2025, 7, 11), impact.Date(2025, 7, 24)) || sp.BeforeFrom != "notice" ||
		sp.After != impact.Range(impact.Date(2025, 7, 30), impact.Date(2025, 8, 12)) || sp.SliceFrom != SliceDefault {
		t.Errorf("default windows: before %v (%s), after %v, slice %s", sp.Before, sp.BeforeFrom, sp.After, sp.SliceFrom)
	}
	ann, rec := time.Date(2025, 7, 9, 0, 0, 0, 0, time.UTC), 7
	e.AnnouncedOn, e.ImpactRecoveryDays, e.ImpactSlice = &ann, &rec, models.ActivitySlice{Mode: []string{"Telephone"}}
	sp, _ = Link(&e, nil)
	if sp.Before.From != ann || sp.BeforeFrom != "announced_on" || sp.After.To != impact.Date(2025, 8, 5) || sp.SliceFrom != SliceEvent {
		t.Errorf("overridden windows: before %v, after %v, slice %s", sp.Before, sp.After, sp.SliceFrom)
	}
	if !slices.Equal(sp.Overridden, []string{"slice", "recovery"}) {
		t.Errorf("overridden = %v", sp.Overridden)
	}
	if got := len(sp.phases()); got != 4 {
		t.Errorf("%d phases, want before, during, after, net", got)
	}
}

func TestLeftOutInWords(t *testing.T) {
	got := leftOut([]impact.ExcludedDay{
		{Day: impact.Date(2023, 12, 25), Reason: impact.ReasonBankHoliday},
		{Day: impact.Date(2023, 12, 27), Reason: impact.ChristmasNewYear.Reason},
		{Day: impact.Date(2023, 12, 26), Reason: impact.ReasonBankHoliday},
		{Day: impact.Date(2023, 12, 20), Reason: impact.ReasonNoData},
	})
	want := "bank holiday: 25–26 Dec 2023; Christmas to New Year (24 Dec – 2 Jan): 27 Dec 2023"
	if got != want {
		t.Errorf("leftOut = %q, want %q", got, want)
	}
	// Runs of days become ranges, across a year end too; gaps split them.
	got = leftOut([]impact.ExcludedDay{
		{Day: impact.Date(2024, 1, 2), Reason: impact.ChristmasNewYear.Reason},
		{Day: impact.Date(2023, 12, 30), Reason: impact.ChristmasNewYear.Reason},
		{Day: impact.Date(2023, 12, 31), Reason: impact.ChristmasNewYear.Reason},
		{Day: impact.Date(2024, 1, 1), Reason: impact.ChristmasNewYear.Reason},
		{Day: impact.Date(2023, 11, 20), Reason: impact.ReasonOtherEvent},
		{Day: impact.Date(2023, 11, 27), Reason: impact.ReasonOtherEvent},
	})
	want = "Christmas to New Year (24 Dec – 2 Jan): 30 Dec 2023 – 2 Jan 2024; inside another event's window: 20 Nov 2023, 27 Nov 2023"
	if got != want {
		t.Errorf("leftOut = %q, want %q", got, want)
	}
}

func TestMeasureOf(t *testing.T) {
	gp := models.ActivitySlice{HCP: []string{"GP"}}
	for _, tc := range []struct {
		key  string
		sl   models.ActivitySlice
		want string
	}{
		{impact.MetricAttended, gp, "Attended appointments with a GP"},
		{impact.MetricTotal, models.ActivitySlice{}, "Total appointments"},
		{impact.MetricDNARate, gp, "DNA rate of appointments with a GP"},
		// The GP share is across HCP types and attended is a status: the
		// slice's filter on that dimension is not repeated.
		{impact.MetricGPShare, gp, "GP share"},
		{impact.MetricAttended, models.ActivitySlice{Status: []string{"Attended"}, Mode: []string{"Telephone"}}, "Attended appointments by telephone"},
		{impact.MetricHomeVisit, gp, "Home visits with a GP"},
		{impact.MetricTotal, models.ActivitySlice{Dataset: models.SliceRoles, Role: []string{"Nurses"}}, "Total appointments by role group Nurses"},
	} {
		m, _ := impact.MetricByKey(tc.key)
		if got := MeasureOf(tc.key, m.Label, tc.sl); got != tc.want {
			t.Errorf("MeasureOf(%s, %+v) = %q, want %q", tc.key, tc.sl, got, tc.want)
		}
	}
}
