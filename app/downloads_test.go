package app

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
	"github.com/xuri/excelize/v2"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

func TestDownloads(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, hostile := newTestApp(t, s)
		c := newClient(t, f)
		_, total, err := s.ListEvents(t.Context(), models.EventFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}

		t.Run("csv", func(t *testing.T) {
			res, body := c.get("/timeline.csv")
			if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
				t.Fatalf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
			}
			rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if int64(len(rows)-1) != total {
				t.Errorf("%d rows, want %d", len(rows)-1, total)
			}
			found := false
			for _, r := range rows[1:] {
				if r[2] == hostileTitle {
					found = true
					if r[8] != `'=HYPERLINK("http://evil.example")` {
						t.Errorf("formula not neutralised: %q", r[8])
					}
				}
				for _, cell := range r {
					if cell != "" && strings.ContainsRune("=+-@\t\r\n", rune(cell[0])) {
						t.Errorf("unneutralised cell %q", cell)
					}
				}
			}
			if !found {
				t.Error("hostile record missing")
			}
			// The same filter as the page.
			_, body = c.get("/timeline.csv?kind=pay_settlement")
			rows, _ = csv.NewReader(strings.NewReader(body)).ReadAll()
			for _, r := range rows[1:] {
				if r[1] != "pay_settlement" {
					t.Errorf("filtered CSV has %s", r[1])
				}
			}
			if res, _ := c.get("/timeline.csv?year=x"); res.StatusCode != 422 {
				t.Errorf("bad filter: %d, want 422", res.StatusCode)
			}
		})

		t.Run("xlsx", func(t *testing.T) {
			res, body := c.get("/timeline.xlsx?kind=strike_round")
			if res.StatusCode != 200 {
				t.Fatalf("status %d", res.StatusCode)
			}
			x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := x.GetRows("Timeline")
			if err != nil {
				t.Fatal(err)
			}
			if rows[0][2] != "title" || len(rows) < 3 {
				t.Fatalf("rows: %v", rows[:1])
			}
			for _, r := range rows[1:] {
				if r[2] == hostileTitle && r[8] != `'=HYPERLINK("http://evil.example")` {
					t.Errorf("formula not neutralised: %q", r[8])
				}
			}
		})

		t.Run("json", func(t *testing.T) {
			_, body := c.get("/timeline.json?kind=dispute")
			var out struct {
				Items []models.EventDoc `json:"items"`
				Total int               `json:"total"`
			}
			if err := json.Unmarshal([]byte(body), &out); err != nil {
				t.Fatal(err)
			}
			if out.Total == 0 || out.Total != len(out.Items) || out.Items[0].Kind != models.KindDispute {
				t.Errorf("json: %d items", out.Total)
			}
		})

		t.Run("timelinejs", func(t *testing.T) {
			_, body := c.get("/timeline-js.json")
			var out struct {
				Title  map[string]any `json:"title"`
				Events []struct {
					StartDate map[string]int    `json:"start_date"`
					EndDate   map[string]int    `json:"end_date"`
					Text      map[string]string `json:"text"`
					Group     string            `json:"group"`
					UniqueID  string            `json:"unique_id"`
				} `json:"events"`
			}
			if err := json.Unmarshal([]byte(body), &out); err != nil {
				t.Fatal(err)
			}
			if int64(len(out.Events)) != total || out.Title["text"] == nil {
				t.Fatalf("%d events", len(out.Events))
			}
			ids := map[string]bool{}
			for _, e := range out.Events {
				if e.StartDate["year"] < 2000 || e.Text["headline"] == "" || e.Group == "" || ids[e.UniqueID] {
					t.Errorf("bad slide %+v", e)
				}
				ids[e.UniqueID] = true
				if e.UniqueID == "event-"+itoa(hostile.ID) {
					if e.StartDate["hour"] != 7 || e.StartDate["day"] != 14 || e.EndDate["day"] != 19 {
						t.Errorf("times not London: %v %v", e.StartDate, e.EndDate)
					}
					if strings.Contains(e.Text["headline"], "<script") {
						t.Errorf("headline not escaped: %q", e.Text["headline"])
					}
				}
			}
		})

		t.Run("ics", func(t *testing.T) {
			res, body := c.get("/strikes.ics")
			if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
				t.Errorf("type %q", res.Header.Get("Content-Type"))
			}
			cal, err := ics.ParseCalendar(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			_, rounds, _ := s.ListEvents(t.Context(), models.EventFilter{Kinds: []models.Kind{models.KindStrikeRound}, Limit: 1000})
			if int64(len(cal.Events())) != rounds {
				t.Fatalf("%d events, want %d strike rounds", len(cal.Events()), rounds)
			}
			uids := map[string]bool{}
			for _, ev := range cal.Events() {
				uids[ev.Id()] = true
				if ev.GetProperty(ics.ComponentPropertyDtStart) == nil || ev.GetProperty(ics.ComponentPropertyDtEnd) == nil {
					t.Errorf("event %s lacks DTSTART/DTEND", ev.Id())
				}
				if sum := ev.GetProperty(ics.ComponentPropertySummary); sum != nil && sum.Value == hostileTitle {
					start, _ := ev.GetStartAt()
					if start.UTC().Format("2006-01-02T15:04Z") != "2025-11-14T07:00Z" {
						t.Errorf("start %v", start)
					}
				}
			}
			if len(uids) != len(cal.Events()) {
				t.Error("UIDs are not unique")
			}
			// Commas and semicolons in text are escaped by the writer.
			if !strings.Contains(body, `\,`) && !strings.Contains(body, `\;`) {
				t.Log("no escaped punctuation in this seed")
			}
		})

		t.Run("atom", func(t *testing.T) {
			_, body := c.get("/feed.atom")
			var feed struct {
				XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
				Title   string   `xml:"title"`
				Entries []struct {
					ID      string `xml:"id"`
					Title   string `xml:"title"`
					Updated string `xml:"updated"`
					Link    struct {
						Href string `xml:"href,attr"`
					} `xml:"link"`
				} `xml:"entry"`
			}
			if err := xml.Unmarshal([]byte(body), &feed); err != nil {
				t.Fatal(err)
			}
			if len(feed.Entries) == 0 || len(feed.Entries) > feedSize {
				t.Fatalf("%d entries", len(feed.Entries))
			}
			for i := 1; i < len(feed.Entries); i++ {
				if feed.Entries[i].Updated > feed.Entries[i-1].Updated {
					t.Errorf("entries not newest first at %d", i)
				}
			}
			if !strings.HasPrefix(feed.Entries[0].Link.Href, "http://strikeline.test/events/") {
				t.Errorf("link %q", feed.Entries[0].Link.Href)
			}
		})
	})
}
