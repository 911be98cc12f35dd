package app

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
	"github.com/strikeline/strikeline/reports/analysis"
	"github.com/strikeline/strikeline/reports/holidays"
)

// writeLabelledFile writes a daily SDS role group (column SDS_ROLE_GROUP)
// or actual duration (ACTUAL_DURATION) file for sub-ICB 00L in the
// published layout, from..to: each label has its own weekday level with a
// little deterministic noise, and drop[label] is the fraction it falls by
// on the days first..last.
func writeLabelledFile(t *testing.T, column string, from, to, first, last time.Time, level map[string]float64, drop map[string]float64) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_ONS_CODE,SUB_ICB_LOCATION_NAME,ICB_ONS_CODE,REGION_ONS_CODE,Appointment_Date," + column + ",COUNT_OF_APPOINTMENTS\n")
	// Labels in a fixed order: the noise below follows the row number, so
	// map order would make every run's data (and effects) different.
	labels := slices.Sorted(maps.Keys(level))
	i := 0
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		for _, label := range labels {
			n := level[label]
			i++
			v := n * (1 + 0.02*math.Sin(float64(i)*1.7))
			switch {
			case d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || holidays.IsBankHoliday(d):
				v *= 0.05
			case d.Weekday() == time.Monday:
				v *= 1.2
			}
			if !d.Before(first) && !d.After(last) {
				v *= 1 - drop[label]
			}
			fmt.Fprintf(&b, "00L,E38000130,NHS North East and North Cumbria ICB - 00L,E54000050,E40000012,%s,%s,%d\n",
				strings.ToUpper(d.Format("02Jan2006")), label, int64(v))
		}
	}
	path := filepath.Join(t.TempDir(), column+".csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestImpactOnRoleGroupsAndDurations measures the July 2025 round on
// generated SDS role group and actual duration files with a known drop:
// −30% for GPs and none for nurses, −20% for 6-10 minute appointments. The
// API states each effect for its own role or duration, unknown labels and
// impossible combinations are 422s, and a stored result for one role is
// never served for another.
func TestImpactOnRoleGroupsAndDurations(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		app, _ := newTestApp(t, s)
		july := julyRound(t, s)
		first, last := july.Days()
		from, to := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 8, 31, 0, 0, 0, 0, time.UTC)
		roles := writeLabelledFile(t, "SDS_ROLE_GROUP", from, to, first, last,
			map[string]float64{"GP": 4000, "Nurses": 2500, "Other Direct Patient Care": 1500}, map[string]float64{"GP": 0.30})
		durations := writeLabelledFile(t, "ACTUAL_DURATION", from, to, first, last,
			map[string]float64{"6-10 Minutes": 3000, "11-15 Minutes": 2000}, map[string]float64{"6-10 Minutes": 0.20})
		if _, err := importers.New(s, importers.Options{}).ImportPaths(context.Background(), []string{roles, durations}, importers.DefaultLimits); err != nil {
			t.Fatalf("import: %v", err)
		}
		c := newClient(t, app)
		base := "/api/v1/events/" + strconv.FormatInt(july.ID, 10) + "/impact"
		get := func(q string) analysis.View {
			t.Helper()
			res, body := c.get(base + q)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d %s", q, res.StatusCode, body)
			}
			var v analysis.View
			if err := json.Unmarshal([]byte(body), &v); err != nil {
				t.Fatal(err)
			}
			if len(v.Metrics) != 1 || v.Metrics[0].Error != "" {
				t.Fatalf("GET %s: metrics %+v", q, v.Metrics)
			}
			return v
		}
		during := func(q string) analysis.WindowEffect {
			t.Helper()
			return window(t, get(q).Metrics[0], analysis.PhaseDuring)
		}

		gp := get("?dataset=roles&role=GP&metric=total")
		if gp.Slice.Dataset != models.SliceRoles || strings.Join(gp.Slice.Role, ",") != "GP" ||
			gp.Slice.Description != "appointments by role group GP, England" {
			t.Errorf("slice %+v", gp.Slice)
		}
		g := window(t, gp.Metrics[0], analysis.PhaseDuring)
		if math.Abs(g.Effect+0.30) > 0.03 || g.Upper >= 0 {
			t.Errorf("GP during: %.4f [%.4f, %.4f], want −30%% ± 3 pp excluding zero", g.Effect, g.Lower, g.Upper)
		}
		if n := during("?dataset=roles&role=Nurses&metric=total"); math.Abs(n.Effect) > 0.03 || n.Lower > 0 || n.Upper < 0 {
			t.Errorf("nurses during: %.4f [%.4f, %.4f], want about 0 with an interval spanning it", n.Effect, n.Lower, n.Upper)
		}
		// role= alone implies the dataset, and the event's default metrics
		// fall back to the total, the only thing the file counts.
		if d := during("?role=GP"); math.Abs(d.Effect-g.Effect) > 1e-12 {
			t.Errorf("role=GP without dataset: %.4f, want %.4f", d.Effect, g.Effect)
		}
		// Both roles together: weighted by volume, between the two.
		if b := during("?dataset=roles&role=GP&role=Nurses&metric=total"); b.Effect >= -0.1 || b.Effect <= g.Effect {
			t.Errorf("GP and nurses: %.4f", b.Effect)
		}
		if d := during("?dataset=durations&duration=6-10%20Minutes&metric=total"); math.Abs(d.Effect+0.20) > 0.03 {
			t.Errorf("6-10 minutes during: %.4f, want −20%% ± 3 pp", d.Effect)
		}
		if d := during("?dataset=durations&duration=11-15%20Minutes"); math.Abs(d.Effect) > 0.03 {
			t.Errorf("11-15 minutes during: %.4f, want about 0", d.Effect)
		}

		// The rounds comparison takes the same slice.
		res, body := c.get("/api/v1/impact/rounds?dataset=roles&role=GP&metric=total")
		var rounds struct {
			Items []struct {
				EventID int64    `json:"event_id"`
				Value   *float64 `json:"value"`
			} `json:"items"`
		}
		json.Unmarshal([]byte(body), &rounds)
		found := false
		for _, it := range rounds.Items {
			if it.EventID == july.ID {
				found = it.Value != nil && math.Abs(*it.Value-g.Effect) < 1e-9
			}
		}
		if res.StatusCode != http.StatusOK || !found {
			t.Errorf("rounds on role=GP: %d, July round not at %.4f: %.400s", res.StatusCode, g.Effect, body)
		}

		// The rounds page and the report builder offer the same slice: the
		// data file and the imported role groups and durations, the chosen
		// ones kept selected.
		_, page := c.get("/impact?dataset=roles&role=GP&metric=total")
		for _, w := range []string{`<option value="roles" selected>SDS role group file</option>`, `name="role" multiple`,
			`<option value="GP" selected>GP</option>`, `<option value="Nurses">Nurses</option>`, `name="duration" multiple`, `<option value="6-10 Minutes">6-10 Minutes</option>`} {
			if !strings.Contains(page, w) {
				t.Errorf("/impact form lacks %q", w)
			}
		}
		hash, err := models.HashPassword(plannerPassword)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(context.Background(), "analyst@example.org", models.RoleAnalyst, hash); err != nil {
			t.Fatal(err)
		}
		ac := newClient(t, app)
		_, login := ac.get("/login")
		ac.post("/login", url.Values{"csrf_token": {csrfFrom(t, login)}, "email": {"analyst@example.org"}, "password": {plannerPassword}})
		_, builder := ac.get("/reports")
		for _, w := range []string{`name="dataset"`, `<option value="Nurses">Nurses</option>`, `<option value="6-10 Minutes">6-10 Minutes</option>`} {
			if !strings.Contains(builder, w) {
				t.Errorf("report builder lacks %q", w)
			}
		}

		for q, want := range map[string]string{
			"?dataset=roles&role=Doctors&metric=total": "Nurses",       // lists the imported role groups
			"?dataset=durations&duration=Forever":      "6-10 Minutes", // and the durations
			"?dataset=roles&role=GP&metric=gp_share":   "metric",       // the file has no HCP type
			"?dataset=roles&role=GP&hcp=GP":            "dataset",      // nor HCP filters
			"?dataset=durations&role=GP":               "role",         // a role is not a duration
			"?dataset=staff&metric=total":              "appointments, roles, durations",
		} {
			res, body := c.get(base + q)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, want) {
				t.Errorf("GET %s: %d %s, want 422 mentioning %q", q, res.StatusCode, body, want)
			}
		}

		// A stored answer for GPs is not served for nurses: mark the GP
		// row, ask for nurses, then GPs again.
		if err := testdb.SQL(t, s).Model(&models.ImpactResult{}).Where("event_id = ? AND body LIKE ?", july.ID, `%role group GP, England%`).
			Update("body", strings.Replace(mustJSON(t, gp), `"title":"`, `"title":"stored `, 1)).Error; err != nil {
			t.Fatal(err)
		}
		if n := get("?dataset=roles&role=Nurses&metric=total"); strings.HasPrefix(n.Title, "stored ") {
			t.Error("the stored GP answer was served for nurses")
		}
		// The same question spelled another way misses the register memo
		// (keyed by the query as sent) and reaches the stored answer.
		if st := get("?metric=total&role=GP&dataset=roles"); !strings.HasPrefix(st.Title, "stored ") {
			t.Error("the GP answer was recomputed instead of read from the store")
		}
		// The appointments file's answer is another slice again (and has
		// no data here: only the role and duration files are imported).
		res, body = c.get(base + "?metric=total&slice=all")
		var a analysis.View
		json.Unmarshal([]byte(body), &a)
		if res.StatusCode != http.StatusOK || strings.HasPrefix(a.Title, "stored ") || a.Slice.Dataset != "" ||
			len(a.Metrics) != 1 || a.Metrics[0].Error != analysis.ErrNoData.Error() {
			t.Errorf("appointments answer: %d %s", res.StatusCode, body)
		}
	})
}
