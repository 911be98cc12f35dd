package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
	"github.com/strikeline/strikeline/reports/analysis"
)

// TestRoundsPageSaysWhyNotMeasured: on /impact a regulatory change the
// imported activity cannot measure is explained in plain English with the
// real dates, never with the engine's error text, while the API keeps a
// machine-readable reason. The seed's October 2025 contract change comes
// after activity imported to August 2025; a change on the first imported
// day has nothing before it.
func TestRoundsPageSaysWhyNotMeasured(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		app, _ := newTestApp(t, s)
		importGenerated(t, s, months(2025, time.April, time.August), 5)
		early := createPublished(t, s, models.EventDoc{Kind: models.KindRegulatoryChange, Title: "Change on the first imported day",
			Start: "2025-04-01", Body: "NHS England", Instrument: "contract",
			Sources: []models.Source{{URL: "https://www.england.nhs.uk/", Title: "NHS England"}}})
		c := newClient(t, app)

		res, body := c.get("/impact")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("/impact: %d", res.StatusCode)
		}
		text := strings.Join(strings.Fields(stripTags(body)), " ")
		for _, w := range []string{
			"Not measured yet: the imported activity ends on 31 August 2025, before this change.",
			"Not measured: the imported activity starts on 1 April 2025, so there is nothing before this change to compare with.",
		} {
			if !strings.Contains(text, w) {
				t.Errorf("/impact lacks %q", w)
			}
		}
		for _, leak := range []string{"its:", "intervention day", "modelled day", "rank deficient", "observations for"} {
			if strings.Contains(text, leak) {
				t.Errorf("/impact shows engine error text %q", leak)
			}
		}

		res, body = c.get("/api/v1/impact/rounds?metric=attended")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("rounds API: %d %s", res.StatusCode, body)
		}
		var r analysis.Rounds
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			t.Fatal(err)
		}
		got := map[string]analysis.NotMeasured{}
		for _, ch := range r.Changes {
			if ch.NotMeasured != nil {
				got[ch.Date] = *ch.NotMeasured
				if ch.Error == "" {
					t.Errorf("%s: a reason without the engine's error", ch.Title)
				}
			}
			if ch.EventID == early.ID && ch.NotMeasured == nil {
				t.Errorf("the early change has no reason: %+v", ch)
			}
		}
		want := map[string]analysis.NotMeasured{
			"2025-10-01": {Code: analysis.NotMeasuredAfterData, EventDay: "2025-10-01", DataFrom: "2025-04-01", DataTo: "2025-08-31"},
			"2025-04-01": {Code: analysis.NotMeasuredBeforeData, EventDay: "2025-04-01", DataFrom: "2025-04-01", DataTo: "2025-08-31"},
		}
		for d, w := range want {
			if got[d] != w {
				t.Errorf("change of %s: not_measured %+v, want %+v", d, got[d], w)
			}
		}
	})
}
