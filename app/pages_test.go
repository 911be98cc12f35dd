package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

func TestPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, hostile := newTestApp(t, s)
		c := newClient(t, f)
		id := fmt.Sprint(hostile.ID)
		tests := []struct {
			path   string
			status int
			want   []string
			reject []string
		}{
			{"/", 200, []string{"<h1>NHS industrial action timeline</h1>", `href="/events/` + id + `"`, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; strike",
				`rel="noopener noreferrer"`, `<time datetime=`, "July 2025", `href="/timeline.csv"`}, []string{`<script>alert`}},
			{"/?kind=strike_round&year=2025&q=strike", 200, []string{`<option value="strike_round" selected>`, `href="/timeline.csv?kind=strike_round&amp;q=strike&amp;year=2025"`,
				"07:00 Fri 14 Nov 2025 to 07:00 Wed 19 Nov 2025 (UK time)"}, []string{"Pay settlement</span>"}},
			{"/?year=abc", 400, []string{"must be a year like 2025"}, nil},
			{"/events/" + id, 200, []string{"&lt;script&gt;", "&lt;b&gt;BMA&lt;/b&gt;", "No appointment data imported for this period yet.", "Register version 2</a>: published", "Register version 2, no activity data imported yet", "@misc{strikeline_event_"}, []string{"<script>alert", "<b>BMA</b>"}},
			{"/events/" + id + "/history", 200, []string{"Version 2: published", "<ins>"}, []string{"<script>alert", "by test"}},
			{"/events/999999", 404, []string{"Page not found"}, nil},
			{"/events/abc", 404, []string{"Page not found"}, nil},
			{"/login", 200, []string{`name="csrf_token"`, `autocomplete="current-password"`}, nil},
			{"/events/new", 303, nil, nil},
		}
		for _, tc := range tests {
			t.Run(tc.path, func(t *testing.T) {
				res, body := c.get(tc.path)
				if res.StatusCode != tc.status {
					t.Fatalf("status %d, want %d\n%s", res.StatusCode, tc.status, body)
				}
				for _, w := range tc.want {
					if !strings.Contains(body, w) {
						t.Errorf("body lacks %q", w)
					}
				}
				for _, r := range tc.reject {
					if strings.Contains(body, r) {
						t.Errorf("body contains %q", r)
					}
				}
				if res.StatusCode == 200 {
					if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
						t.Errorf("CSP = %q", csp)
					}
					if rp := res.Header.Get("Referrer-Policy"); rp != "same-origin" {
						t.Errorf("Referrer-Policy = %q", rp)
					}
				}
			})
		}
		// The dispute page tells the story of its records in order.
		ds, _, err := s.ListEvents(t.Context(), models.EventFilter{Kinds: []models.Kind{models.KindDispute}, Limit: 1})
		if err != nil || len(ds) == 0 {
			t.Fatalf("no seeded dispute: %v", err)
		}
		res, body := c.get(fmt.Sprintf("/disputes/%d", ds[0].ID))
		if res.StatusCode != 200 || !strings.Contains(body, "The story in order") || !strings.Contains(body, "Strike round</span>") {
			t.Errorf("dispute page: %d", res.StatusCode)
		}
		if res, _ := c.get("/disputes/" + id); res.StatusCode != 404 {
			t.Errorf("a strike round as a dispute: %d, want 404", res.StatusCode)
		}
	})
}

func TestCSRF(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, _ := newTestApp(t, s)
		anon := newClient(t, f)
		anon.get("/login")
		// A login post without the double-submit token is refused.
		if res, _ := anon.post("/login", url.Values{"email": {plannerEmail}, "password": {plannerPassword}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("login without token: %d, want 403", res.StatusCode)
		}
		if res, _ := anon.post("/login", url.Values{"csrf_token": {"forged-forged-forged-forged-forged-forged"}, "email": {plannerEmail}, "password": {plannerPassword}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("login with wrong token: %d, want 403", res.StatusCode)
		}
		c := newClient(t, f)
		token := c.login()
		// Only a draft can be deleted (a published record is withdrawn).
		draft, err := s.CreateEvent(t.Context(), "test", models.EventDoc{Kind: models.KindMilestone, Title: "Draft ballot",
			Start: "2025-09-01", MilestoneType: "ballot_opened", Sources: []models.Source{{URL: "https://example.org/d"}}})
		if err != nil {
			t.Fatal(err)
		}
		del := fmt.Sprintf("/events/%d/delete", draft.ID)
		if res, _ := c.post(del, url.Values{}); res.StatusCode != http.StatusForbidden {
			t.Errorf("delete without token: %d, want 403", res.StatusCode)
		}
		if res, _ := c.post(del, url.Values{"csrf_token": {token + "x"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("delete with wrong token: %d, want 403", res.StatusCode)
		}
		// The JSON API accepts the session cookie, but writes need the header.
		body := `{"title":"API milestone","start":"2025-09-01","milestone_type":"ballot_opened","sources":[{"url":"https://example.org/a"}]}`
		hdr := map[string]string{"Content-Type": "application/json"}
		if res, _ := c.do("POST", "/api/v1/milestones", strings.NewReader(body), hdr); res.StatusCode != http.StatusForbidden {
			t.Errorf("API write from session without X-CSRF-Token: %d, want 403", res.StatusCode)
		}
		hdr["X-CSRF-Token"] = token
		if res, b := c.do("POST", "/api/v1/milestones", strings.NewReader(body), hdr); res.StatusCode != http.StatusCreated {
			t.Errorf("API write from session with token: %d %s", res.StatusCode, b)
		}
		if res, _ := c.post(del, url.Values{"csrf_token": {token}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("delete with token: %d, want 303", res.StatusCode)
		}
		// Logging out ends the session in the database.
		c.post("/logout", url.Values{"csrf_token": {token}})
		if res, _ := c.get("/events/new"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("after logout /events/new: %d, want a redirect to login", res.StatusCode)
		}
	})
}

// TestTimelinePaging: a register of thousands of records is read a page
// at a time, newest first; the page stays small, the links go to older and
// newer pages and keep the filters.
func TestTimelinePaging(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, _ := newTestApp(t, s)
		publishGenerated(t, s, 5000)
		c := newClient(t, f)
		res, body := c.get("/")
		if res.StatusCode != 200 {
			t.Fatalf("status %d", res.StatusCode)
		}
		if len(body) >= 200_000 {
			t.Errorf("first page of 5000+ records is %d bytes, want < 200 KB", len(body))
		}
		if n := strings.Count(body, `<article class="item"`); n != timelinePerPage {
			t.Errorf("first page lists %d records, want %d", n, timelinePerPage)
		}
		if !strings.Contains(body, `href="/?page=2" rel="next">Older records</a>`) || strings.Contains(body, `rel="prev"`) {
			t.Errorf("first page lacks the link to older records (or has one to newer)")
		}
		// Filters survive paging, in the links both ways.
		_, body = c.get("/?kind=strike_round&q=generated&page=2")
		for _, want := range []string{`href="/?kind=strike_round&amp;page=1&amp;q=generated" rel="prev"`, `href="/?kind=strike_round&amp;page=3&amp;q=generated" rel="next"`,
			"5000 records match these filters", "Generated round 4949"} {
			if !strings.Contains(body, want) {
				t.Errorf("page 2 lacks %q", want)
			}
		}
		if strings.Contains(body, "Generated round 4950") {
			t.Errorf("page 2 repeats a record of page 1")
		}
		// The last page links back only.
		_, body = c.get("/?q=generated&page=100")
		if !strings.Contains(body, "Generated round 0<") || strings.Contains(body, `rel="next"`) {
			t.Errorf("last page: want the oldest record and no link to older records")
		}
	})
}

// publishGenerated adds n published strike rounds, each with two sources,
// one a day from 2010 on, as one bulk import.
func publishGenerated(t testing.TB, s *models.Store, n int) {
	t.Helper()
	rows := make([]models.ImportRow, n)
	for i := range rows {
		day := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		doc := models.EventDoc{Kind: models.KindStrikeRound, Title: fmt.Sprintf("Generated round %d", i),
			Summary: "A generated record to measure how the timeline grows with the register.",
			Start:   day.Format("2006-01-02T07:00"), End: day.AddDate(0, 0, 2).Format("2006-01-02T07:00"),
			StaffGroup: "resident_doctors", ActionType: "full_walkout", Unions: []string{"BMA"},
			Sources: []models.Source{{URL: fmt.Sprintf("https://www.bma.org.uk/news/%d", i), Title: "BMA announcement", Publisher: "BMA"},
				{URL: fmt.Sprintf("https://www.england.nhs.uk/news/%d", i), Title: "NHS England statement"}}}
		rows[i] = models.ImportRow{Line: i + 2, Key: fmt.Sprintf("gen-%d", i), Apply: func(models.EventDoc) (models.EventDoc, error) { return doc, nil }}
	}
	res, err := s.ImportEvents(context.Background(), rows, models.ImportOptions{Actor: "bench", Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != n {
		t.Fatalf("generated %d records, want %d", res.Added, n)
	}
}
