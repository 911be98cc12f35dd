package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
	"github.com/strikeline/strikeline/reports/analysis"
	"github.com/strikeline/strikeline/reports/holidays"
	"github.com/strikeline/strikeline/reports/impact"
)

// droppedSource is national daily activity with a weekday pattern, a
// small week-to-week wobble (so intervals have a width) and a known drop
// on the days in drop; practices are closed on bank holidays.
type droppedSource struct {
	drop   impact.DateRange
	dropBy float64
}

func (f droppedSource) Daily(_ context.Context, _ string, from, to time.Time, flt impact.Filter) (impact.Series, error) {
	if flt.Dataset != impact.Appointments {
		return nil, nil
	}
	weekday := map[time.Weekday]float64{time.Monday: 1.15, time.Tuesday: 1.05, time.Wednesday: 1, time.Thursday: 1, time.Friday: 0.95, time.Saturday: 0.08, time.Sunday: 0.02}
	var s impact.Series
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		_, wk := d.ISOWeek()
		v := 1_300_000 * weekday[d.Weekday()] * (1 + 0.01*math.Sin(float64(wk)*1.7))
		if holidays.IsBankHoliday(d) {
			v *= 0.03
		}
		if f.drop.Contains(d) {
			v *= 1 - f.dropBy
		}
		if len(flt.Status) > 0 {
			v *= 0.9 // attended
		}
		s = append(s, impact.Point{Day: d, Value: math.Round(v)})
	}
	return s, nil
}

func TestEventPageImpact(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		strike := impact.Range(impact.Date(2025, 7, 25), impact.Date(2025, 7, 29))
		f, err := New(Deps{Store: s, Config: webTestConfig, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Activity: droppedSource{drop: strike, dropBy: 0.15}})
		if err != nil {
			t.Fatal(err)
		}
		e, err := s.CreateEvent(ctx, "test", models.EventDoc{Kind: models.KindStrikeRound, Title: "Resident doctors' strike, July 2025",
			Start: "2025-07-25T07:00", End: "2025-07-30T07:00", StaffGroup: "resident_doctors", ActionType: "full_walkout",
			Figures: []models.Figure{{Metric: "appointments_rescheduled", Value: 54321, SourceURL: "https://www.england.nhs.uk/2025/08/strike-figures/"}},
			Sources: []models.Source{{URL: "https://www.bma.org.uk/", Title: "BMA"}}})
		if err != nil {
			t.Fatal(err)
		}
		change, err := s.CreateEvent(ctx, "test", models.EventDoc{Kind: models.KindRegulatoryChange, Title: "Contract change, June 2025",
			Start: "2025-06-02", Body: "NHS England", Instrument: "contract", SPCRebase: true,
			Sources: []models.Source{{URL: "https://www.england.nhs.uk/", Title: "NHS England"}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{e.ID, change.ID} {
			if _, err := s.Publish(ctx, "editor", id, models.PublishInput{}); err != nil {
				t.Fatal(err)
			}
		}
		c := newClient(t, f)
		_, body := c.get(fmt.Sprintf("/events/%d", e.ID))

		// The API's relative effect for the default slice, rounded to 0.1%,
		// is the one the page states, as "below expected".
		_, apiBody := c.get(fmt.Sprintf("/api/v1/events/%d/impact", e.ID))
		var v analysis.View
		if err := json.Unmarshal([]byte(apiBody), &v); err != nil {
			t.Fatal(err)
		}
		rel := v.Metrics[0].Baseline.Cumulative.Relative
		if math.Abs(rel.Value+0.15) > 0.02 {
			t.Fatalf("API effect %.3f, want about −15%%", rel.Value)
		}
		want := fmt.Sprintf("were %s below expected during the strike (95%% interval %s to %s below)",
			analysis.Percent(-rel.Value), analysis.Percent(-rel.Lower), analysis.Percent(-rel.Upper))
		i := strings.Index(body, `<p class="headline">`)
		if i < 0 || !strings.Contains(body[i:], want) {
			t.Fatalf("page lacks the headline %q", want)
		}
		// The sentence names the default slice of a doctors' strike.
		if !strings.Contains(body[i:], "appointments with a GP in England were") {
			t.Error("the headline does not name the slice (appointments with a GP)")
		}
		// First on the page: before any section heading.
		if h2 := strings.Index(body, "<h2"); h2 < i {
			t.Error("the headline is not the first thing after the title")
		}
		for _, w := range []string{
			`class="chart chart-wide"`, `class="chart chart-narrow"`, `id="chart-baseline-h"`, `id="chart-spc-h"`,
			`class="window window-action"`, `95% prediction band`, `<th scope="row">Fri 25 Jul 2025</th>`,
			`Show every calendar day`, `class="gap"`, `Weekend left out`, `Hospitals (NHS England’s published figures)`, `54,321`, `Source: www.england.nhs.uk`,
			`Full walkout`, `<dd>England</dd>`, `Contract change, June 2025`, "limits recalculated from here", "Limits are recalculated from Contract change, June 2025 (2 Jun 2025)", // a logged rebase in range
		} {
			if !strings.Contains(body, w) {
				t.Errorf("event page lacks %q", w)
			}
		}
		for _, r := range []string{"ENGLAND", "full_walkout", "appointments_rescheduled"} {
			if strings.Contains(stripTags(body), r) {
				t.Errorf("event page shows the code %q", r)
			}
		}
		// Working days only by default: no weekend on the axis; all days on ?days=all.
		if strings.Contains(body, `class="shade weekend"`) {
			t.Error("default chart shades weekends: it should leave them out")
		}
		_, all := c.get(fmt.Sprintf("/events/%d?days=all", e.ID))
		if !strings.Contains(all, `class="shade weekend"`) || !strings.Contains(all, "Show working days only") {
			t.Error("?days=all lacks weekend shading or the way back")
		}

		// The history page reads codes as words and keeps the rebase mark.
		doc := change.Doc()
		doc.SPCRebase = false
		if _, err := s.ReplaceEvent(ctx, "test", change.ID, doc); err != nil {
			t.Fatal(err)
		}
		// The public history shows published versions: publish the change.
		if _, err := s.Publish(ctx, "editor", change.ID, models.PublishInput{CorrectionNote: "Not a rebase point after all."}); err != nil {
			t.Fatal(err)
		}
		_, hist := c.get(fmt.Sprintf("/events/%d/history", change.ID))
		if !strings.Contains(hist, `<th scope="row">SPC rebase point</th><td><del>Yes</del></td><td><ins></ins></td>`) {
			t.Error("history does not show the rebase mark being removed")
		}
		// The strike's impact section is stored once rendered, and the
		// rendering names other records (the rebase point): publishing the
		// change without its mark supersedes it.
		_, body = c.get(fmt.Sprintf("/events/%d", e.ID))
		if strings.Contains(body, "Limits are recalculated from Contract change") || !strings.Contains(body, "none falls in this range") {
			t.Error("the strike's page still shows the change as a rebase point after it was published without the mark")
		}
		var renderings int64
		testdb.SQL(t, s).Model(&models.ImpactResult{}).Where("event_id = ? AND slice_key LIKE ?", e.ID, "event-page/%").Count(&renderings)
		if renderings != 2 {
			t.Errorf("%d stored renderings of the strike's section, want 2 (working days, every day; the superseded one removed)", renderings)
		}
		_, hist = c.get(fmt.Sprintf("/events/%d/history", e.ID))
		for _, w := range []string{"<ins>Full walkout</ins>", "<ins>Strike round</ins>", "<ins>Resident doctors</ins>", "Appointments rescheduled · 54,321"} {
			if !strings.Contains(hist, w) {
				t.Errorf("history lacks %q", w)
			}
		}
		if strings.Contains(stripTags(hist), "full_walkout") {
			t.Error("history shows the code full_walkout")
		}

		// The regulatory change: ITS lines and the level change in words.
		_, rc := c.get(fmt.Sprintf("/events/%d", change.ID))
		for _, w := range []string{`id="chart-its-h"`, `class="line fitted"`, `class="line counterfactual"`, "Level change (the step when the change came in):",
			"Slope change (how the trend bent afterwards):", "when the change came in",
			// The box counts every modelled day, the headline those after the
			// change: each says which it means.
			"modelled, before and after the change", "modelled after it"} {
			if !strings.Contains(rc, w) {
				t.Errorf("regulatory change page lacks %q", w)
			}
		}
	})
}

var tagRE = regexp.MustCompile(`(?s)<[^>]*>`)

// stripTags leaves the text a reader sees (attribute values such as
// class names are not text).
func stripTags(s string) string { return tagRE.ReplaceAllString(s, " ") }

// TestEventPageWindowLeftOut: a round whose recovery runs into Christmas
// (the December 2025 one) says on its page which recovery days the figure
// left out and why, beside the baselines' left-out days.
func TestEventPageWindowLeftOut(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, err := New(Deps{Store: s, Config: webTestConfig, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Activity: droppedSource{drop: impact.Range(impact.Date(2025, 12, 17), impact.Date(2025, 12, 21)), dropBy: 0.15}})
		if err != nil {
			t.Fatal(err)
		}
		e := createPublished(t, s, models.EventDoc{Kind: models.KindStrikeRound, Title: "Resident doctors' strike, round 14",
			Start: "2025-12-17T07:00:00+00:00", End: "2025-12-22T07:00:00+00:00", StaffGroup: "resident_doctors", ActionType: "full_walkout",
			Sources: []models.Source{{URL: "https://www.bma.org.uk/", Title: "BMA"}}})
		c := newClient(t, f)
		_, body := c.get(fmt.Sprintf("/events/%d", e.ID))
		text := strings.Join(strings.Fields(stripTags(body)), " ")
		for _, w := range []string{
			"Not counted in the windows' own figures",
			"Recovery (14 days after), 22 Dec 2025 – 4 Jan 2026: Christmas to New Year (24 Dec – 2 Jan): 24 Dec 2025, 27–31 Dec 2025, 2 Jan 2026; bank holiday: 25–26 Dec 2025, 1 Jan 2026",
		} {
			if !strings.Contains(text, w) {
				t.Errorf("event page lacks %q", w)
			}
		}
		_, apiBody := c.get(fmt.Sprintf("/api/v1/events/%d/impact", e.ID))
		var v analysis.View
		if err := json.Unmarshal([]byte(apiBody), &v); err != nil {
			t.Fatal(err)
		}
		for _, w := range v.Metrics[0].Windows {
			if w.Name == analysis.PhaseAfter && len(w.Excluded) != 10 {
				t.Errorf("API recovery window lists %d left-out days, want 10: %+v", len(w.Excluded), w.Excluded)
			}
		}
	})
}
