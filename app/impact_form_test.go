package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// TestPlannerEditsImpactOverrides: the edit form carries the impact
// window, scope, metrics, slice, recovery and announcement, saves them in
// the record (and so in its history), shows them again, and reports an
// unknown label beside its input with the valid ones.
func TestPlannerEditsImpactOverrides(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, ev := newTestApp(t, s)
		c := newClient(t, f)
		tok := c.login()
		loc := eventURL(ev.ID)
		_, body := c.get(loc + "/edit")
		for _, id := range []string{"announced_on", "impact_recovery_days", "impact_window_start", "impact_scope", "impact_metrics", "impact_hcp", "impact_lead"} {
			if !strings.Contains(body, `id="`+id+`"`) {
				t.Errorf("edit form lacks %s", id)
			}
		}
		post := func(extra ...string) (*http.Response, string) {
			v := url.Values{"csrf_token": {tok}, "source_rows": {"1"}, "kind": {"strike_round"}, "title": {"Round"},
				"start": {"2025-11-14T07:00"}, "end": {"2025-11-19T07:00"}, "staff_group": {"resident_doctors"},
				"nation": {"England"}, "action_type": {"full_walkout"}, "source_url_0": {"https://www.bma.org.uk/"}}
			e, _ := s.GetEvent(context.Background(), ev.ID)
			v.Set("version", itoa(int64(e.Version)))
			for i := 0; i < len(extra); i += 2 {
				v.Set(extra[i], extra[i+1])
			}
			return c.post(loc+"/edit", v)
		}
		res, body := post("impact_hcp", "Nurse")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="impact_hcp-error"`) || !strings.Contains(body, "Other Practice staff") {
			t.Fatalf("unknown label: %d", res.StatusCode)
		}
		res, _ = post("impact_hcp", "gp", "impact_mode", "Face-to-Face, Telephone", "impact_recovery_days", "7",
			"announced_on", "2025-10-30", "impact_metrics", "attended, dna_rate", "impact_scope", "ENGLAND")
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d", res.StatusCode)
		}
		e, err := s.GetEvent(context.Background(), ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		d := e.Doc()
		if d.ImpactSlice == nil || strings.Join(d.ImpactSlice.HCP, ",") != "GP" || len(d.ImpactSlice.Mode) != 2 ||
			d.ImpactRecoveryDays == nil || *d.ImpactRecoveryDays != 7 || d.AnnouncedOn != "2025-10-30" || len(d.ImpactMetrics) != 2 {
			t.Errorf("saved doc %+v %+v", d.ImpactSlice, d)
		}
		_, body = c.get(loc + "/edit")
		if !strings.Contains(body, `value="GP"`) || !strings.Contains(body, `value="2025-10-30"`) || !strings.Contains(body, `value="7"`) {
			t.Error("edit form does not show the saved overrides")
		}
		_, body = c.get(loc + "/history")
		if !strings.Contains(body, "announced_on") && !strings.Contains(body, "2025-10-30") {
			t.Error("history does not show the override")
		}
	})
}
