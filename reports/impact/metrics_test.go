package impact

import (
	"strings"
	"testing"
)

func TestMetricRegistry(t *testing.T) {
	want := []string{MetricTotal, MetricAttended, MetricDNARate, MetricGPShare, MetricSameDayShare,
		MetricFaceToFace, MetricTelephone, MetricVideoOnline, MetricHomeVisit,
		MetricShareFaceToFace, MetricShareTelephone, MetricShareVideoOnline, MetricShareHomeVisit, MetricOCSubmissions}
	got := Metrics()
	if len(got) != len(want) {
		t.Fatalf("%d metrics, want %d", len(got), len(want))
	}
	for i, m := range got {
		if m.Key != want[i] {
			t.Errorf("metric %d = %q, want %q", i, m.Key, want[i])
		}
		if m.Label == "" || m.Unit == "" || m.Numerator.IsZero() {
			t.Errorf("%s: incomplete definition %+v", m.Key, m)
		}
		if (m.Unit == UnitRatio) != m.IsRatio() {
			t.Errorf("%s: unit %q but IsRatio %v", m.Key, m.Unit, m.IsRatio())
		}
		if byKey, ok := MetricByKey(m.Key); !ok || byKey.Key != m.Key {
			t.Errorf("MetricByKey(%q) = %v, %v", m.Key, byKey, ok)
		}
	}
	if _, ok := MetricByKey("nope"); ok {
		t.Error("MetricByKey found an unknown key")
	}
	got[0].Key = "changed"
	if Metrics()[0].Key != MetricTotal {
		t.Error("Metrics returned the registry itself")
	}
}

func TestPublishedSpellings(t *testing.T) {
	// The double spaces are in the published files; a "tidy" edit would
	// silently stop matching them.
	for _, c := range []string{Lead8To14Days, Lead15To21Days, Lead22To28Days} {
		if !strings.Contains(c, "  to ") {
			t.Errorf("%q lost its double space", c)
		}
	}
	if Lead2To7Days != "2 to 7 Days" || ModeVideoConferenceOnline != "Video Conference/Online" || ModeVideoOnline != "Video/Online" {
		t.Error("published spellings changed")
	}
}

func TestDefaultMetrics(t *testing.T) {
	for subject, want := range map[string][]string{
		"gps":                     {MetricGPShare, MetricTotal},
		"resident_doctors":        {MetricTotal, MetricAttended},
		"consultants":             {MetricTotal, MetricAttended},
		SubjectOnlineConsultation: {MetricOCSubmissions, MetricSameDayShare},
		"something_new":           {MetricTotal},
	} {
		got := DefaultMetrics(subject)
		if len(got) != len(want) {
			t.Errorf("%s: %d metrics, want %v", subject, len(got), want)
			continue
		}
		for i := range want {
			if got[i].Key != want[i] {
				t.Errorf("%s: metric %d = %s, want %s", subject, i, got[i].Key, want[i])
			}
		}
	}
	// Every staff group code in models.StaffGroups has a default (and none
	// panics).
	for _, g := range []string{"resident_doctors", "consultants", "sas_doctors", "gps", "nurses", "midwives",
		"ambulance_staff", "agenda_for_change", "allied_health_professionals", "other"} {
		if len(DefaultMetrics(g)) == 0 {
			t.Errorf("%s has no default metrics", g)
		}
	}
}

func TestMetricSeries(t *testing.T) {
	d1, d3 := Date(2025, 10, 1), Date(2025, 10, 3)
	a := func(day int, status, hcp, mode, lead string, n float64) Count {
		return Count{Day: Date(2025, 10, day), Dataset: Appointments, Status: status, HCP: hcp, Mode: mode, Lead: lead, N: n}
	}
	counts := []Count{
		a(1, StatusAttended, HCPGP, ModeFaceToFace, LeadSameDay, 100),
		a(1, StatusAttended, HCPOther, ModeTelephone, Lead8To14Days, 60),
		a(1, StatusDNA, HCPGP, ModeVideoConferenceOnline, LeadSameDay, 10),
		a(1, StatusUnknown, HCPUnknown, ModeHomeVisit, LeadUnknownDataQuality, 30),
		a(1, "", "", ModeVideoOnline, "", 5), // a DataWarp row with Unknown stored empty
		a(2, StatusDNA, HCPOther, ModeUnknown, LeadUnknownDataIssue, 4),
		{Day: d1, Dataset: OnlineConsultations, OCMetric: OCTotalSubmissions, N: 77},
		{Day: d1, Dataset: OnlineConsultations, OCMetric: "OC_SUBMISSION_TYPE_CLINICAL", N: 50},
		{Day: d3, Dataset: OnlineConsultations, OCMetric: OCTotalSubmissions, N: 12},
	}
	// Day 1 by hand: total 205; attended 160; DNA rate 10/170; GP share
	// 110/170 (Unknown and empty HCP excluded); same-day 110/170 (known lead
	// times: same day 100+10, 8–14 days 60); video/online 10+5 across both
	// spellings. Day 2: four DNAs with other staff and an unknown lead time:
	// DNA rate 1, GP share 0, and no same-day share (0/0 is missing). Day 3
	// has only online-consultation counts.
	for _, tc := range []struct {
		key  string
		want map[string]float64
	}{
		{MetricTotal, map[string]float64{"2025-10-01": 205, "2025-10-02": 4}},
		{MetricAttended, map[string]float64{"2025-10-01": 160}},
		{MetricDNARate, map[string]float64{"2025-10-01": 10.0 / 170, "2025-10-02": 1}},
		{MetricGPShare, map[string]float64{"2025-10-01": 110.0 / 170, "2025-10-02": 0}},
		{MetricSameDayShare, map[string]float64{"2025-10-01": 110.0 / 170}},
		{MetricFaceToFace, map[string]float64{"2025-10-01": 100}},
		{MetricTelephone, map[string]float64{"2025-10-01": 60}},
		{MetricVideoOnline, map[string]float64{"2025-10-01": 15}},
		{MetricHomeVisit, map[string]float64{"2025-10-01": 30}},
		{MetricOCSubmissions, map[string]float64{"2025-10-01": 77, "2025-10-03": 12}},
	} {
		t.Run(tc.key, func(t *testing.T) {
			m, _ := MetricByKey(tc.key)
			s := m.Series(counts)
			if len(s) != len(tc.want) {
				t.Fatalf("series %v, want %v", s, tc.want)
			}
			for i, p := range s {
				if i > 0 && !s[i-1].Day.Before(p.Day) {
					t.Errorf("series not ascending at %d", i)
				}
				w, ok := tc.want[p.Day.Format("2006-01-02")]
				if !ok || !near(p.Value, w, 1e-15) {
					t.Errorf("%s = %v, want %v (present %v)", p.Day.Format("2006-01-02"), p.Value, w, ok)
				}
			}
		})
	}
}

func TestFilterZeroMatchesNothing(t *testing.T) {
	if (Filter{}).Match(Count{}) {
		t.Error("the zero Filter matched")
	}
	if (Filter{Dataset: Appointments}).Match(Count{Dataset: OnlineConsultations}) {
		t.Error("a filter matched another dataset")
	}
}
