package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/importers/gpadgen"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
	"github.com/strikeline/strikeline/reports/analysis"
	"github.com/strikeline/strikeline/reports/holidays"
)

// importGenerated imports generated GPAD data with the published category
// mix for months, attended GP appointments falling by drop on its days.
func importGenerated(t *testing.T, s *models.Store, months []time.Time, seed uint64, drops ...gpadgen.DropWindow) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "SUB_ICB_LOCATION_"+strconv.FormatUint(seed, 10)+".csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = gpadgen.Write(f, gpadgen.Options{Months: months, SubICBs: 2, Seed: seed, Shares: true, Drops: drops,
		Profile: gpadgen.Realistic(holidays.IsBankHoliday)})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	im := importers.New(s, importers.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if _, err := im.ImportPaths(context.Background(), []string{path}, importers.DefaultLimits); err != nil {
		t.Fatalf("import: %v", err)
	}
}

func months(y int, from, to time.Month) []time.Time {
	var out []time.Time
	for m := from; m <= to; m++ {
		out = append(out, time.Date(y, m, 1, 0, 0, 0, 0, time.UTC))
	}
	return out
}

// julyRound finds the seed's July 2025 strike round.
func julyRound(t *testing.T, s *models.Store) *models.Event {
	t.Helper()
	from, to := time.Date(2025, 7, 20, 0, 0, 0, 0, time.UTC), time.Date(2025, 7, 31, 0, 0, 0, 0, time.UTC)
	list, _, err := s.ListEvents(context.Background(), models.EventFilter{Kinds: []models.Kind{models.KindStrikeRound}, From: &from, To: &to, Limit: 5})
	if err != nil || len(list) == 0 {
		t.Fatalf("no July 2025 round in the seed (%v)", err)
	}
	return &list[0]
}

func window(t *testing.T, m analysis.MetricView, name string) analysis.WindowEffect {
	t.Helper()
	for _, w := range m.Windows {
		if w.Name == name {
			return w
		}
	}
	t.Fatalf("%s: no %s window in %+v", m.Key, name, m.Windows)
	return analysis.WindowEffect{}
}

// TestImpactSliceRatiosRoundsAndStore is the acceptance test on
// both backends: generated data with a −15% drop in attended GP
// appointments during the July 2025 round; the API, the rounds comparison
// and the workbook state the effect within 2 pp for hcp=GP, every rate
// metric has a window ratio between its daily values, unknown labels are a
// 422 listing the valid ones, and answers are stored and reused.
func TestImpactSliceRatiosRoundsAndStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		app, _ := newTestApp(t, s)
		july := julyRound(t, s)
		first, last := july.Days()
		importGenerated(t, s, months(2025, time.April, time.August), 11,
			gpadgen.DropWindow{From: first, To: last, Fraction: 0.15, HCP: []string{"GP"}, Status: []string{"Attended"}})
		c := newClient(t, app)
		base := "/api/v1/events/" + strconv.FormatInt(july.ID, 10) + "/impact"

		get := func(q string) analysis.View {
			t.Helper()
			res, body := c.get(base + q)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d %s", q, res.StatusCode, body)
			}
			if len(body) > 50<<10 && !strings.Contains(q, "detail=days") {
				t.Errorf("GET %s: %d bytes, want a compact answer ≤ 50 KB", q, len(body))
			}
			var v analysis.View
			if err := json.Unmarshal([]byte(body), &v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		v := get("?metric=attended&hcp=GP")
		if v.Slice.Source != analysis.SliceRequest || v.Slice.Description != "appointments with a GP, England" {
			t.Errorf("slice %+v", v.Slice)
		}
		during := window(t, v.Metrics[0], analysis.PhaseDuring)
		if math.Abs(during.Effect+0.15) > 0.02 || during.Upper >= 0 {
			t.Errorf("attended GP during: %.4f [%.4f, %.4f], want −15%% ± 2 pp excluding zero", during.Effect, during.Lower, during.Upper)
		}
		if v.Metrics[0].Baseline == nil || v.Metrics[0].Baseline.Days != nil {
			t.Error("the default answer should carry the window figures without per-day rows")
		}
		// The round is a resident doctors' strike: its default slice is
		// appointments with a GP, the same figure.
		d := get("?metric=attended")
		if d.Slice.Source != analysis.SliceDefault || strings.Join(d.Slice.HCP, ",") != "GP" ||
			math.Abs(window(t, d.Metrics[0], analysis.PhaseDuring).Effect-during.Effect) > 1e-12 {
			t.Errorf("default slice %+v", d.Slice)
		}
		// The public page, on the same default slice, states the attended
		// effect the API gives, rounded to 0.1%, and names the slice.
		_, page := c.get("/events/" + strconv.FormatInt(july.ID, 10))
		if want := "<dt>Attended appointments</dt><dd><span class=\"big\">" + signedPct(during.Effect) + "</span>"; !strings.Contains(page, want) {
			t.Errorf("event page lacks the attended GP effect %q", want)
		}
		if !strings.Contains(page, "appointments with a GP in England were") {
			t.Error("event page headline does not name the slice")
		}
		// Other practice staff were not touched.
		o := window(t, get("?metric=attended&hcp=Other%20Practice%20staff").Metrics[0], analysis.PhaseDuring)
		if o.Lower > 0 || o.Upper < 0 {
			t.Errorf("other staff during: %.4f [%.4f, %.4f], want an interval spanning zero", o.Effect, o.Lower, o.Upper)
		}
		for _, name := range []string{analysis.PhaseBefore, analysis.PhaseAfter, analysis.PhaseNet} {
			window(t, v.Metrics[0], name)
		}

		// Ratio metrics: a window rate, never a sum of daily rates.
		for _, key := range []string{"dna_rate", "gp_share", "same_day_share", "share_face_to_face", "share_telephone", "share_video_online", "share_home_visit"} {
			rv := get("?metric=" + key + "&detail=days")
			m := rv.Metrics[0]
			if m.Error != "" || !m.Ratio || m.Baseline == nil {
				t.Fatalf("%s: %+v", key, m)
			}
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, d := range m.Baseline.Days {
				if d.Included {
					lo, hi = math.Min(lo, *d.Observed), math.Max(hi, *d.Observed)
				}
			}
			w := m.Baseline.Cumulative.Actual
			if w < lo || w > hi {
				t.Errorf("%s: window rate %.4f outside the daily range [%.4f, %.4f]", key, w, lo, hi)
			}
			if dw := window(t, m, analysis.PhaseDuring); dw.Observed != w || dw.Lower > dw.Effect || dw.Upper < dw.Effect {
				t.Errorf("%s: during window %+v vs cumulative %.4f", key, dw, w)
			}
		}

		// Unknown labels: 422 naming the parameter and the valid labels.
		res, body := c.get(base + "?hcp=Nurse")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "hcp") || !strings.Contains(body, "Other Practice staff") {
			t.Errorf("unknown hcp: %d %s", res.StatusCode, body)
		}
		res, body = c.get("/api/v1/impact/rounds?metric=attended&mode=Carrier%20pigeon")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Face-to-Face") {
			t.Errorf("unknown mode on rounds: %d %s", res.StatusCode, body)
		}

		// Stored: the same question is answered from the table, an import
		// of another period leaves it, an edit of the event replaces it.
		var rows int64
		testdb.SQL(t, s).Model(&models.ImpactResult{}).Where("event_id = ?", july.ID).Count(&rows)
		if rows == 0 {
			t.Fatal("no stored impact result")
		}
		again := get("?metric=attended&hcp=GP")
		if again.DataState != v.DataState || again.DataState == "" {
			t.Errorf("data state %q then %q", v.DataState, again.DataState)
		}
		if err := testdb.SQL(t, s).Model(&models.ImpactResult{}).Where("event_id = ? AND data_state = ?", july.ID, v.DataState).
			Update("body", strings.Replace(mustJSON(t, again), `"title":"`, `"title":"stored `, 1)).Error; err != nil {
			t.Fatal(err)
		}
		// The same question spelled another way misses the register memo
		// (keyed by the query as sent) and reaches the stored answer.
		if st := get("?hcp=GP&metric=attended"); !strings.HasPrefix(st.Title, "stored ") {
			t.Errorf("the answer was recomputed instead of read from the store: %q", st.Title)
		}
		importGenerated(t, s, months(2024, time.January, time.January), 3)
		if st := get("?metric=attended&hcp=GP"); st.DataState != v.DataState {
			t.Errorf("an import of January 2024 changed the July 2025 data state: %q → %q", v.DataState, st.DataState)
		}
		announced := first.AddDate(0, 0, -10).Format(time.DateOnly)
		if _, err := s.PatchEvent(ctx, "test", july.ID, models.KindStrikeRound, []byte(`{"announced_on":"`+announced+`"}`)); err != nil {
			t.Fatal(err)
		}
		edited := get("?metric=attended&hcp=GP")
		if strings.HasPrefix(edited.Title, "stored ") {
			t.Error("an edit of the event did not replace the stored answer")
		}
		if b := window(t, edited.Metrics[0], analysis.PhaseBefore); b.From != announced || b.Label != "Announcement to start" {
			t.Errorf("before window after the edit: %+v", b)
		}

		// Rounds compared: JSON items, CSV, workbook and the page.
		res, body = c.get("/api/v1/impact/rounds?metric=attended&hcp=GP")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("rounds: %d %s", res.StatusCode, body)
		}
		var rounds struct {
			Items []struct {
				EventID             int64 `json:"event_id"`
				Value, Lower, Upper float64
			}
		}
		if err := json.Unmarshal([]byte(body), &rounds); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, it := range rounds.Items {
			if it.EventID == july.ID {
				found = math.Abs(it.Value+0.15) <= 0.02 && it.Lower <= it.Value && it.Value <= it.Upper
			}
		}
		if !found {
			t.Errorf("rounds: July round missing or wrong in %s", body)
		}
		// The comparison is stored once made; a published edit of a round
		// shows in it at once.
		doc := july.Doc()
		doc.Title = "July round, renamed"
		if _, err := s.ReplaceEvent(ctx, "test", july.ID, doc); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Publish(ctx, "editor@example.org", july.ID, models.PublishInput{Minor: true}); err != nil {
			t.Fatal(err)
		}
		if _, again := c.get("/api/v1/impact/rounds?metric=attended&hcp=GP"); !strings.Contains(again, `"title":"July round, renamed"`) {
			t.Errorf("rounds after the round was renamed and published: %.300s", again)
		}
		july.Title = doc.Title
		// The rounds CSV is written as the downloads are: a byte-order
		// mark unless bom=0, CRLF, titles quoted, days as YYYY-MM-DD.
		res, body = c.get("/api/v1/impact/rounds.csv?metric=attended")
		wantRow := fmt.Sprintf("\r\n%d,\"%s\",2025-07-", july.ID, strings.ReplaceAll(july.Title, `"`, `""`))
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(body, "\ufeffevent_id,title,from,to,working_days") || !strings.Contains(body, wantRow) {
			t.Errorf("rounds.csv: %d %.300s, want a row starting %q", res.StatusCode, body, wantRow)
		}
		if res, body = c.get("/api/v1/impact/rounds.csv?metric=attended&bom=0"); res.StatusCode != http.StatusOK || !strings.HasPrefix(body, "event_id,title,") {
			t.Errorf("rounds.csv?bom=0: %d %.200s", res.StatusCode, body)
		}
		res, body = c.get("/api/v1/impact/rounds.xlsx?metric=attended")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(body, "PK") {
			t.Errorf("rounds.xlsx: %d", res.StatusCode)
		}
		res, body = c.get("/impact?metric=attended&sort=effect")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "<svg") ||
			!strings.Contains(body, `href="/events/`+strconv.FormatInt(july.ID, 10)+`"`) {
			t.Errorf("/impact: %d", res.StatusCode)
		}
		// The page says the round's days as a reader would (the CSV above
		// keeps them as ISO days).
		if !strings.Contains(body, `<td class="days">25–29 Jul 2025</td>`) {
			t.Errorf("/impact does not give the July round's days as 25–29 Jul 2025")
		}

		// The workbook states the same effect for hcp=GP.
		rep, err := analysis.BuildWorkbook(ctx, s, analysis.NewStoreSource(s), analysis.WorkbookRequest{EventIDs: []int64{july.ID},
			Metrics: []string{"attended", "dna_rate"}, Slice: models.ActivitySlice{HCP: []string{"GP"}}})
		if err != nil {
			t.Fatal(err)
		}
		if pct := rep.Events[0].Total.Pct; math.Abs(pct+0.15) > 0.02 {
			t.Errorf("workbook effect %.4f, want −15%% ± 2 pp", pct)
		}
		if r := rep.Events[1]; !r.Ratio || r.Total.Observed > 0.1 {
			t.Errorf("workbook DNA window rate %.4f (a sum of daily rates?)", r.Total.Observed)
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
