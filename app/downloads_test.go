package app

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"regexp"
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
			if !strings.HasPrefix(body, "\ufeffid,kind,title,") {
				t.Fatalf("no UTF-8 BOM before the header: %q", body[:min(len(body), 20)])
			}
			rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if int64(len(rows)-1) != total {
				t.Errorf("%d rows, want %d", len(rows)-1, total)
			}
			col := columnIndex(rows[0])
			found := false
			for _, r := range rows[1:] {
				if r[col["title"]] == hostileTitle {
					found = true
					if r[col["summary"]] != `'=HYPERLINK("http://evil.example")` {
						t.Errorf("formula not neutralised: %q", r[col["summary"]])
					}
					if r[col["start"]] != "2025-11-14" || r[col["end"]] != "2025-11-19" ||
						r[col["start_time"]] != "2025-11-14T07:00:00Z" || r[col["end_time"]] != "2025-11-19T07:00:00Z" {
						t.Errorf("dates: %q %q %q %q", r[col["start"]], r[col["end"]], r[col["start_time"]], r[col["end_time"]])
					}
				}
				for _, cell := range r {
					if formulaStart(cell) {
						t.Errorf("unneutralised cell %q", cell)
					}
				}
				// One form per column: dates are dates, times carry an offset.
				for _, name := range []string{"start", "end"} {
					if v := r[col[name]]; v != "" && !dateRe.MatchString(v) {
						t.Errorf("%s %q is not a date", name, v)
					}
				}
				for _, name := range []string{"start_time", "end_time", "updated_at"} {
					if v := r[col[name]]; v != "" && !timeRe.MatchString(v) {
						t.Errorf("%s %q is not a time with offset", name, v)
					}
				}
			}
			if !found {
				t.Error("hostile record missing")
			}
			// The same filter as the page.
			_, body = c.get("/timeline.csv?kind=pay_settlement&bom=0")
			if strings.HasPrefix(body, "\ufeff") {
				t.Error("?bom=0 still has a BOM")
			}
			rows, _ = csv.NewReader(strings.NewReader(body)).ReadAll()
			for _, r := range rows[1:] {
				if r[1] != "pay_settlement" {
					t.Errorf("filtered CSV has %s", r[1])
				}
			}
			if res, _ := c.get("/timeline.csv?year=x"); res.StatusCode != 422 {
				t.Errorf("bad filter: %d, want 422", res.StatusCode)
			}
			if res, _ := c.get("/timeline.csv?bom=yes"); res.StatusCode != 422 {
				t.Errorf("bad bom: %d, want 422", res.StatusCode)
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
			col := columnIndex(rows[0])
			if rows[0][2] != "title" || len(rows) < 3 {
				t.Fatalf("rows: %v", rows[:1])
			}
			if dim, _ := x.GetSheetDimension("Timeline"); dim != "A1:"+lastCol()+itoa(int64(len(rows))) {
				t.Errorf("dimension %q for %d rows", dim, len(rows))
			}
			for i, r := range rows[1:] {
				if r[col["title"]] == hostileTitle && r[col["summary"]] != `=HYPERLINK("http://evil.example")` {
					t.Errorf("text changed (a string cell needs no quote): %q", r[col["summary"]])
				}
				for _, name := range []string{"id", "version"} {
					cell, _ := excelize.CoordinatesToCellName(col[name]+1, i+2)
					if typ, _ := x.GetCellType("Timeline", cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
						t.Errorf("%s %s is %v, want a number", name, cell, typ)
					}
				}
				if r[col["title"]] == hostileTitle {
					cell, _ := excelize.CoordinatesToCellName(col["start_time"]+1, i+2)
					raw, _ := x.GetCellValue("Timeline", cell, excelize.Options{RawCellValue: true})
					// 2025-11-14 07:00 London (GMT) as an Excel serial date.
					if raw != "45975.291666666664" && raw != "45975.29166666666" {
						t.Errorf("start_time %s raw %q, want the serial of 2025-11-14 07:00", cell, raw)
					}
					if got, _ := x.GetCellValue("Timeline", cell); got != "2025-11-14 07:00" {
						t.Errorf("start_time shows %q", got)
					}
				}
			}
			tables, err := x.GetTables("Timeline")
			if err != nil || len(tables) != 1 || tables[0].Range != "A1:"+lastCol()+itoa(int64(len(rows))) {
				t.Errorf("tables %+v (%v), want one over every row", tables, err)
			}
			panes, _ := x.GetPanes("Timeline")
			if !panes.Freeze || panes.YSplit != 1 {
				t.Errorf("header not frozen: %+v", panes)
			}
			// An empty filter is still a well-formed table.
			res, body = c.get("/timeline.xlsx?q=nothing+matches+this")
			if x, err = excelize.OpenReader(bytes.NewReader([]byte(body))); res.StatusCode != 200 || err != nil {
				t.Fatalf("empty xlsx: %d %v", res.StatusCode, err)
			}
			if tables, _ := x.GetTables("Timeline"); len(tables) != 1 {
				t.Errorf("empty xlsx tables %+v", tables)
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
			checkICSLines(t, body)
			cal, err := ics.ParseCalendar(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			_, rounds, _ := s.ListEvents(t.Context(), models.EventFilter{Kinds: []models.Kind{models.KindStrikeRound}, Limit: 1000})
			if int64(len(cal.Events())) != rounds {
				t.Fatalf("%d events, want %d strike rounds", len(cal.Events()), rounds)
			}
			if p := cal.CalendarProperties; !strings.Contains(body, "\r\nX-WR-CALNAME:NHS strike rounds (Strikeline)\r\n") || len(p) == 0 {
				t.Error("no X-WR-CALNAME")
			}
			uids := map[string]bool{}
			for _, ev := range cal.Events() {
				uids[ev.Id()] = true
				if !strings.HasSuffix(ev.Id(), "@strikeline.invalid") {
					t.Errorf("UID %q is not at the identity domain", ev.Id())
				}
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
			// An empty filter is still a calendar with a component.
			_, body = c.get("/strikes.ics?q=nothing+matches+this")
			checkICSLines(t, body)
			if !strings.Contains(body, "BEGIN:VTIMEZONE\r\n") || strings.Contains(body, "BEGIN:VEVENT") {
				t.Errorf("empty calendar:\n%s", body)
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

var (
	// contentLineRe is RFC 5545 §3.1's name: IANA or X- tokens.
	contentLineRe = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*[;:]`)
	dateRe        = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	timeRe        = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$`)
)

// columnIndex maps a header row's names to their positions.
func columnIndex(header []string) map[string]int {
	m := map[string]int{}
	for i, h := range header {
		m[strings.TrimPrefix(h, "\ufeff")] = i
	}
	return m
}

// lastCol is the letter of the downloads' last column.
func lastCol() string {
	name, _ := excelize.ColumnNumberToName(len(exportHeader()))
	return name
}

// checkICSLines checks RFC 5545 §3.1 line syntax: every line ends in CRLF,
// none is longer than 75 octets, no bare CR or LF, and nothing but tab
// among the control characters.
func checkICSLines(t *testing.T, body string) {
	t.Helper()
	if !strings.HasSuffix(body, "\r\n") {
		t.Error("calendar does not end in CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(line), line)
		}
		if !strings.HasPrefix(line, " ") && !contentLineRe.MatchString(line) {
			t.Errorf("line %d is not a content line (name[;params]:value): %q", i+1, line)
		}
		for _, r := range line {
			if r != '\t' && (r < 0x20 || r == 0x7f) {
				t.Errorf("line %d holds control character %U: %q", i+1, r, line)
			}
		}
	}
}
