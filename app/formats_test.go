package app

import (
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/xuri/excelize/v2"

	"github.com/strikeline/strikeline/importers/events"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

func TestCORS(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		fx := newFixture(t, s)
		tok := fx.tokens[models.RolePlanner]
		origin := map[string]string{"Origin": "https://newsroom.example"}
		cases := []struct {
			name, method, path string
			hdr                map[string]string
			wantStatus         int
			wantCORS           bool
		}{
			{"TimelineJS from another site", "GET", "/timeline-js.json", origin, 200, true},
			{"calendar", "GET", "/strikes.ics", origin, 200, true},
			{"feed", "GET", "/feed.atom", nil, 200, true},
			{"csv", "GET", "/timeline.csv", origin, 200, true},
			{"xlsx", "HEAD", "/timeline.xlsx", origin, 200, true},
			{"anonymous API read", "GET", "/api/v1/timeline?kind=strike_round&kind=milestone", origin, 200, true},
			{"an API error is still readable", "GET", "/api/v1/timeline?from=July", origin, 422, true},
			{"preflight of a read", "OPTIONS", "/api/v1/timeline", map[string]string{"Origin": "https://x.example", "Access-Control-Request-Method": "GET"}, 204, true},
			{"preflight of a write", "OPTIONS", "/api/v1/strike-rounds", map[string]string{"Origin": "https://x.example", "Access-Control-Request-Method": "POST"}, 204, false},
			{"a write", "POST", "/api/v1/strike-rounds", map[string]string{"Origin": "https://x.example", "Content-Type": "application/json"}, 401, false},
			{"bearer-token read", "GET", "/api/v1/timeline", map[string]string{"Origin": "https://x.example", "Authorization": "Bearer " + tok}, 200, false},
			{"session-cookie read", "GET", "/timeline-js.json", map[string]string{"Origin": "https://x.example", "Cookie": sessionCookie + "=whatever"}, 200, false},
			{"a page", "GET", "/", origin, 200, false},
			{"the login form", "GET", "/login", origin, 200, false},
		}
		for _, tc := range cases {
			res := fx.request(tc.method, tc.path, "", tc.hdr)
			got := res.Header.Get("Access-Control-Allow-Origin")
			if res.StatusCode != tc.wantStatus || (got == "*") != tc.wantCORS {
				t.Errorf("%s: %s %s: status %d, Access-Control-Allow-Origin %q; want %d, CORS %v",
					tc.name, tc.method, tc.path, res.StatusCode, got, tc.wantStatus, tc.wantCORS)
			}
			if res.Header.Get("Access-Control-Allow-Credentials") != "" {
				t.Errorf("%s: allows credentials", tc.name)
			}
			if tc.method == "OPTIONS" && tc.wantCORS && (!strings.Contains(res.Header.Get("Access-Control-Allow-Methods"), "GET") ||
				strings.Contains(res.Header.Get("Access-Control-Allow-Headers"), "Authorization")) {
				t.Errorf("%s: preflight allows %q with headers %q", tc.name, res.Header.Get("Access-Control-Allow-Methods"), res.Header.Get("Access-Control-Allow-Headers"))
			}
		}
	})
}

// TestICSTextCannotForgeLines writes titles and summaries holding every
// kind of line break and control character and reads the calendar back the
// way the strictest and the sloppiest parsers do: CRLF lines (RFC 5545),
// and lines split at any CR, LF or Unicode line break. Either way there is
// one event per record and no forged property.
func TestICSTextCannotForgeLines(t *testing.T) {
	hostile := []string{
		"Walkout\rBEGIN:VEVENT\rUID:forged@evil.example\rSUMMARY:forged\rEND:VEVENT",
		"Walkout\r\nUID:forged@evil.example",
		"Walkout\nDTSTART:19700101T000000Z",
		"Walkout\u2028UID:forged\u0085UID:forged\u2029UID:forged",
		"Walkout\x00\x0b\x0c\x1b[31m\x7f; a, b\\c",
		strings.Repeat("Long £ title with multibyte text ", 12),
	}
	s := &Server{cfg: Config{BaseURL: "https://strikeline.example"}}
	now := time.Date(2025, 11, 1, 12, 0, 0, 0, time.UTC)
	var recs []exportRecord
	for i, h := range hostile {
		end := now.Add(48 * time.Hour)
		recs = append(recs, exportRecord{Event: &models.Event{ID: int64(i + 1), Kind: models.KindStrikeRound, Title: h, Summary: h + "\r\n" + h,
			StartAt: now, EndAt: &end, Version: 2, CreatedAt: now, UpdatedAt: now}})
	}
	// A withdrawn round stays as a cancelled event.
	recs[0].Withdrawn, recs[0].Note = true, "Called off\rUID:forged"
	body := s.calendar(recs, now)
	checkICSLines(t, body)

	anyBreak := regexp.MustCompile("\r\n|[\r\n\u0085\u2028\u2029\v\f]")
	for _, lines := range [][]string{strings.Split(body, "\r\n"), anyBreak.Split(body, -1)} {
		events := 0
		for _, l := range lines {
			if l == "BEGIN:VEVENT" {
				events++
			}
			if strings.HasPrefix(l, "UID:forged") || strings.HasPrefix(l, "DTSTART:19700101") || strings.HasPrefix(l, "SUMMARY:forged") {
				t.Errorf("forged line %q", l)
			}
		}
		if events != len(recs) {
			t.Errorf("%d VEVENTs, want %d", events, len(recs))
		}
	}
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i, ev := range cal.Events() {
		sum := ev.GetProperty(ics.ComponentPropertySummary).Value
		if strings.ContainsAny(sum, "\r\n\x00\x1b") || !strings.HasPrefix(sum, "Walkout") && i < 5 {
			t.Errorf("summary %d read back as %q", i, sum)
		}
		status := ev.GetProperty(ics.ComponentPropertyStatus).Value
		if want := map[bool]string{true: "CANCELLED", false: "CONFIRMED"}[i == 0]; status != want {
			t.Errorf("event %d STATUS %s, want %s", i, status, want)
		}
		if seq := ev.GetProperty(ics.ComponentPropertySequence).Value; seq != "2" {
			t.Errorf("SEQUENCE %s, want the version", seq)
		}
	}
	if got := cal.Events()[4].GetProperty(ics.ComponentPropertySummary).Value; got != "Walkout[31m; a, b\\c" {
		t.Errorf("punctuation not kept: %q", got)
	}
	if got := cal.Events()[5].GetProperty(ics.ComponentPropertySummary).Value; got != hostile[5] {
		t.Errorf("folded multibyte title read back as %q", got)
	}
}

// TestICSUIDsIndependentOfBaseURL: moving the site keeps every UID; the
// identity domain sets them.
func TestICSUIDsIndependentOfBaseURL(t *testing.T) {
	now := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	recs := []exportRecord{{Event: &models.Event{ID: 7, Kind: models.KindStrikeRound, Title: "x", StartAt: now, AllDay: true, Version: 1}}}
	uid := func(cfg Config) string {
		cal, err := ics.ParseCalendar(strings.NewReader((&Server{cfg: cfg}).calendar(recs, now)))
		if err != nil {
			t.Fatal(err)
		}
		return cal.Events()[0].Id()
	}
	a, b := uid(Config{BaseURL: "http://localhost:8080"}), uid(Config{BaseURL: "https://strikeline.example.org"})
	if a != b || a != "event-7@strikeline.invalid" {
		t.Errorf("UIDs %q and %q, want both event-7@strikeline.invalid", a, b)
	}
	if got := uid(Config{BaseURL: "http://x", ICSDomain: "Strikes.Example.ORG"}); got != "event-7@strikes.example.org" {
		t.Errorf("UID with STRIKELINE_ICS_DOMAIN: %q", got)
	}
	for d, ok := range map[string]bool{"strikes.example.org": true, "localhost": false, "a..b": false, "x y.org": false, "-a.org": false} {
		cfg, err := ConfigFromEnv() // the defaults, which are valid
		if err != nil {
			t.Fatal(err)
		}
		cfg.ICSDomain = d
		if err := cfg.Validate(); (err == nil) != ok {
			t.Errorf("domain %q: Validate %v", d, err)
		}
	}
}

type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID    string `xml:"id"`
		Title struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"title"`
		Summary struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"summary"`
		Updated string `xml:"updated"`
	} `xml:"entry"`
}

func TestAtomFeed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, hostile := newTestApp(t, s)
		c := newClient(t, f)
		read := func(target string) atomDoc {
			t.Helper()
			res, body := c.get(target)
			var d atomDoc
			if err := xml.Unmarshal([]byte(body), &d); err != nil || res.StatusCode != 200 {
				t.Fatalf("%s: %d %v", target, res.StatusCode, err)
			}
			return d
		}
		all := read("/feed.atom")
		if all.Author.Name == "" {
			t.Error("feed has no author (RFC 4287 §4.1.1)")
		}
		self := ""
		for _, l := range all.Links {
			if l.Rel == "self" {
				self = l.Href
			}
		}
		if self != "http://strikeline.test/feed.atom" {
			t.Errorf("self link %q", self)
		}
		if len(all.Entries) == 0 || all.Updated != all.Entries[0].Updated {
			t.Fatalf("updated %q is not the newest entry's", all.Updated)
		}
		found := false
		for _, e := range all.Entries {
			if e.Title.Type != "text" || e.Summary.Type != "text" {
				t.Errorf("entry %s is not text-typed", e.ID)
			}
			if strings.HasSuffix(e.Title.Body, hostileTitle) {
				found = true
				if !strings.Contains(e.Summary.Body, `=HYPERLINK("http://evil.example")`) {
					t.Errorf("summary lost text: %q", e.Summary.Body)
				}
			}
		}
		if !found {
			t.Errorf("no entry titled %q (markup kept as text)", hostileTitle)
		}
		if !regexp.MustCompile(`^tag:strikeline\.invalid,2025:event-\d+-v\d+$`).MatchString(all.Entries[0].ID) {
			t.Errorf("entry id %q", all.Entries[0].ID)
		}
		_ = hostile

		// Each filter is its own feed, whatever order its parameters take.
		a := read("/feed.atom?kind=strike_round&year=2025&utm_source=x")
		b := read("/feed.atom?year=2025&kind=strike_round")
		if a.ID != b.ID || a.ID == all.ID {
			t.Errorf("feed ids: all %q, filtered %q and %q", all.ID, a.ID, b.ID)
		}
		if a.Links[0].Href != "http://strikeline.test/feed.atom?kind=strike_round&year=2025" {
			t.Errorf("filtered self link %q", a.Links[0].Href)
		}
		// An empty feed is updated when the register last changed.
		empty := read("/feed.atom?q=nothing+matches+this")
		last, ok, err := s.RegisterUpdatedAt(t.Context())
		if err != nil || !ok || len(empty.Entries) != 0 || empty.Updated != last.UTC().Format(time.RFC3339) {
			t.Errorf("empty feed updated %q, register changed %v (%v %v)", empty.Updated, last, ok, err)
		}
	})
}

func TestRepeatedKindAndDisputeID(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		if _, err := s.LoadSeed(t.Context()); err != nil {
			t.Fatal(err)
		}
		fx := newFixture(t, s)
		type page struct {
			Items []struct {
				Kind      models.Kind `json:"kind"`
				DisputeID *int64      `json:"dispute_id"`
			} `json:"items"`
		}
		count := func(path string) map[models.Kind]int {
			status, body := fx.do("GET", path, "", "")
			if status != http.StatusOK {
				t.Fatalf("%s: %d %s", path, status, body)
			}
			out := map[models.Kind]int{}
			for _, it := range decode[page](t, body).Items {
				out[it.Kind]++
			}
			return out
		}
		rep := count("/api/v1/timeline?kind=strike_round&kind=milestone")
		comma := count("/api/v1/timeline?kind=strike_round,milestone")
		if rep[models.KindStrikeRound] == 0 || rep[models.KindMilestone] == 0 || len(rep) != 2 ||
			rep[models.KindStrikeRound] != comma[models.KindStrikeRound] || rep[models.KindMilestone] != comma[models.KindMilestone] {
			t.Errorf("repeated kind %v, comma list %v", rep, comma)
		}
		_, body := fx.do("GET", "/api/v1/timeline?kind=strike_round", "", "")
		withDispute := 0
		for _, it := range decode[page](t, body).Items {
			if it.DisputeID != nil {
				withDispute++
			}
		}
		if withDispute == 0 {
			t.Error("no timeline item carries dispute_id")
		}
	})
}

func TestEmbedCards(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, hostile := newTestAppWith(t, s, fakeActivity{})
		c := newClient(t, f)
		anon := newClient(t, f)
		c.login() // a signed-in reader gets the same card: no cookie is read
		id := itoa(hostile.ID)
		for _, cl := range []*client{anon, c} {
			res, body := cl.get("/embed/events/" + id)
			if res.StatusCode != 200 {
				t.Fatalf("embed: %d", res.StatusCode)
			}
			csp := res.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "frame-ancestors *") || strings.Contains(csp, "script-src") && !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("embed CSP %q", csp)
			}
			if res.Header.Get("X-Frame-Options") != "" || len(res.Header.Values("Set-Cookie")) > 0 {
				t.Errorf("embed X-Frame-Options %q, cookies %q", res.Header.Get("X-Frame-Options"), res.Header.Values("Set-Cookie"))
			}
			for _, want := range []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; strike", `href="http://strikeline.test/events/` + id + `"`,
				`target="_blank" rel="noopener"`, "<svg", "&lt;b&gt;BMA&lt;/b&gt;"} {
				if !strings.Contains(body, want) {
					t.Errorf("embed card lacks %q", want)
				}
			}
			if strings.Contains(body, "<script") || strings.Contains(body, "Log in") || strings.Contains(body, "Signed in") {
				t.Error("embed card has a script or the site's header")
			}
		}
		// Only the embeds may be framed.
		res, body := anon.get("/events/" + id)
		if !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") || res.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("record page frameable: %q", res.Header.Get("Content-Security-Policy"))
		}
		if !strings.Contains(body, `&lt;iframe src=&#34;http://strikeline.test/embed/events/`+id+`&#34;`) {
			t.Error("record page has no embed snippet")
		}
		res, body = anon.get("/embed/timeline?kind=strike_round")
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors *") || !strings.Contains(body, "/events/"+id) {
			t.Errorf("timeline card: %d %q", res.StatusCode, res.Header.Get("Content-Security-Policy"))
		}
		if strings.Contains(body, "Pay settlement") {
			t.Error("timeline card ignores its filter")
		}
		if res, _ := anon.get("/embed/events/999999"); res.StatusCode != 404 {
			t.Errorf("missing record: %d", res.StatusCode)
		}
	})
}

// TestExportDatesInLondon: a round starting 00:30 BST on 1 July is on 1
// July in every column, with its offset; an all-day record is its day.
func TestExportDatesInLondon(t *testing.T) {
	start := time.Date(2025, 6, 30, 23, 30, 0, 0, time.UTC)
	end := start.Add(48 * time.Hour)
	day := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		e    models.Event
		want map[string]string
	}{
		{models.Event{ID: 1, Kind: models.KindStrikeRound, StartAt: start, EndAt: &end, Version: 3, CreatedAt: start, UpdatedAt: start},
			map[string]string{"start": "2025-07-01", "end": "2025-07-03", "start_time": "2025-07-01T00:30:00+01:00", "end_time": "2025-07-03T00:30:00+01:00", "version": "3"}},
		{models.Event{ID: 2, Kind: models.KindMilestone, StartAt: day, AllDay: true, Version: 1, CreatedAt: start, UpdatedAt: start},
			map[string]string{"start": "2025-07-01", "end": "", "start_time": "", "end_time": "", "updated_at": "2025-06-30T23:30:00Z"}},
	}
	for _, tc := range cases {
		cells := exportCells(&events.Record{EventDoc: tc.e.Doc()})
		col := columnIndex(exportHeader())
		for name, want := range tc.want {
			if got := cells[col[name]]; got != want {
				t.Errorf("record %d %s = %q, want %q", tc.e.ID, name, got, want)
			}
		}
	}
	if got := xlsxCell(colTime, "2025-07-01T00:30:00+01:00", 1, 2).(excelize.Cell); got.Value != time.Date(2025, 7, 1, 0, 30, 0, 0, time.UTC) || got.StyleID != 2 {
		t.Errorf("workbook time %+v, want the London wall clock", got)
	}
	if got := xlsxCell(colInt, "12", 1, 2); got != int64(12) {
		t.Errorf("workbook int %#v", got)
	}
	if got := xlsxCell(colDate, "not a date", 1, 2); got != "not a date" {
		t.Errorf("unparsable date %#v, want the text kept", got)
	}
}

// TestEmbedCardShowsTheEffect: with imported activity around a strike, the
// card carries the event page's headline sentence and effect chart.
func TestEmbedCardShowsTheEffect(t *testing.T) {
	if testing.Short() {
		t.Skip("imports two years of generated activity")
	}
	s := testdb.New(t, models.SQLite)
	f, _ := newTestApp(t, s)
	strike, _ := importDemoActivity(t, s)
	c := newClient(t, f)
	_, page := c.get("/events/" + itoa(strike))
	res, card := c.get("/embed/events/" + itoa(strike))
	if res.StatusCode != 200 {
		t.Fatalf("card: %d", res.StatusCode)
	}
	head := regexp.MustCompile(`<p class="headline">([^<]+)</p>`)
	ph, ch := head.FindStringSubmatch(page), head.FindStringSubmatch(card)
	if ph == nil || ch == nil || ph[1] != ch[1] {
		t.Errorf("headline on the page %q, on the card %q: want the same sentence", ph, ch)
	}
	if !strings.Contains(card, `class="chart chart-`) || !strings.Contains(card, `class="legend"`) {
		t.Error("card lacks the effect chart and its key")
	}
}
