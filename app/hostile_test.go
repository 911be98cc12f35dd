package app

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// withField returns validStrike with one field set to v (raw JSON).
func withField(field, rawValue string) string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(validStrike), &m); err != nil {
		panic(err)
	}
	m[field] = json.RawMessage(rawValue)
	b, err := json.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("withField %s: %v", field, err))
	}
	return string(b)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestHostileInput throws malformed and malicious input at the write and
// read API on both backends: never a 5xx, nothing stored from a rejected
// request, and accepted text comes back byte for byte.
func TestHostileInput(t *testing.T) {
	// Text the API must store and return exactly: escaping is the job of
	// each output (HTML templates, CSV export), never of storage.
	exact := []string{
		`Robert'); DROP TABLE events;--`,
		`" OR 1=1 --`,
		`%_\`,
		`<script>alert("x")</script><img src=x onerror=alert(1)>`,
		`=HYPERLINK("http://evil.example","click")`,
		`+44 20 7946 0000`, `-1+2`, `@SUM(A1:A9)`,
		"Zürich – “quoted” 🏥 ﷽ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
		"right\u202eto\u202cleft and zero\u200bwidth",
		"tabs\tand\nnew lines",
		strings.Repeat("長", 300),
	}
	// Requests that must be refused with a 4xx (status given) and store
	// nothing.
	refused := []struct {
		name, body string
		status     int
	}{
		{"title number", withField("title", `123`), 422},
		{"title object", withField("title", `{"$ne":1}`), 422},
		{"unions string", withField("unions", `"BMA"`), 422},
		{"round_number string", withField("round_number", `"12"`), 422},
		{"round_number float", withField("round_number", `1.5`), 422},
		{"round_number huge", withField("round_number", `99999999999999999999999`), 422},
		{"round_number 1e400", withField("round_number", `1e400`), 422},
		{"title too long", withField("title", jsonString(strings.Repeat("a", 301))), 422},
		{"summary too long", withField("summary", jsonString(strings.Repeat("é", 20001))), 422},
		{"too many unions", withField("unions", `[`+strings.Repeat(`"U",`, 60)+`"U"]`), 422},
		{"NUL in title", withField("title", `"a\u0000b"`), 422},
		{"control char", withField("title", `"bell\u0007"`), 422},
		{"CR in title", withField("title", `"Walkout\r\nBEGIN:VEVENT"`), 422},
		{"LF in title", withField("title", `"Walkout\nX"`), 422},
		{"tab in title", withField("title", `"Walk\tout"`), 422},
		{"lone CR in summary", withField("summary", `"a\rb"`), 422},
		{"C1 control in notes", withField("notes", `"a\u0085b"`), 422},
		{"invalid UTF-8", strings.Replace(validStrike, "walkout", "walk\xff\xfeout", 1), 400},
		{"NaN literal", strings.Replace(validStrike, `"staff_group"`, `"round_number":NaN,"staff_group"`, 1), 400},
		{"Infinity literal", strings.Replace(validStrike, `"staff_group"`, `"round_number":Infinity,"staff_group"`, 1), 400},
		{"deep nesting", strings.Replace(validStrike, `"staff_group"`, `"scope":`+strings.Repeat("[", 20000)+strings.Repeat("]", 20000)+`,"staff_group"`, 1), 400},
		{"deep object nesting", `{"title":` + strings.Repeat(`{"a":`, 20000) + `1` + strings.Repeat("}", 20000) + `}`, 400},
		{"date year 0", withField("start", `"0000-01-01"`), 422},
		{"date year 10000", withField("start", `"10000-01-01T00:00:00Z"`), 422},
		{"date 30 Feb", withField("start", `"2025-02-30"`), 422},
		{"date year 1066", withField("start", `"1066-10-14"`), 422},
		{"date garbage", withField("start", `"yesterday'; --"`), 422},
		{"end before start", withField("end", `"2025-07-01T07:00:00+01:00"`), 422},
		{"unknown field", withField("is_admin", `true`), 422},
		{"dispute id huge", withField("dispute_id", `9223372036854775807`), 422},
		{"dispute id negative", withField("dispute_id", `-1`), 422},
		{"bad source url", withField("sources", `[{"url":"javascript:alert(1)","title":"x"}]`), 422},
		{"not an object", `[1,2,3]`, 422},
		{"empty body", ``, 400},
		{"trailing data", validStrike + `{}`, 400},
		{"truncated", validStrike[:40], 400},
	}
	// Query strings the list endpoints must answer without a 5xx.
	queries := []string{
		"q=" + url.QueryEscape(`'; DROP TABLE events; --`), "q=%ff%fe%00", "q=%00", "q=" + strings.Repeat("x", 1000),
		"from=0000-01-01", "from=99999-01-01", "to=2025-02-30", "year=1e9", "page=99999999999999999999",
		"per_page=-1", "dispute=1%27", "kind=%3Cscript%3E", "staff_group=%27", "union=%25%5F%5C",
	}

	testdb.Each(t, func(t *testing.T, s *models.Store) {
		fx := newFixture(t, s)
		tok := fx.tokens[models.RolePlanner]
		stored := 0
		for _, text := range exact {
			for _, field := range []string{"title", "summary", "notes"} {
				st, body := fx.do("POST", "/api/v1/strike-rounds", tok, withField(field, jsonString(text)))
				if field == "title" && strings.ContainsAny(text, "\t\n") {
					// A title is one line: refused, naming it.
					if st != http.StatusUnprocessableEntity || !strings.Contains(body, `"title"`) {
						t.Errorf("title=%q: %d %s, want 422 naming title", text, st, body)
					}
					continue
				}
				if st != http.StatusCreated {
					if field == "title" && len([]rune(text)) > 300 {
						continue
					}
					t.Errorf("%s=%q: %d %s", field, text, st, body)
					continue
				}
				stored++
				id := decode[models.EventDoc](t, body).ID
				// Read back as the planner: the record is a draft.
				st, body = fx.do("GET", fmt.Sprintf("/api/v1/events/%d", id), tok, "")
				got := decode[map[string]any](t, body)
				if st != 200 || got[field] != text {
					t.Errorf("%s=%q came back as %q (%d)", field, text, got[field], st)
				}
			}
		}
		for _, c := range refused {
			st, body := fx.do("POST", "/api/v1/strike-rounds", tok, c.body)
			if st != c.status {
				t.Errorf("%s: %d %.200s, want %d", c.name, st, body, c.status)
			}
			if !strings.HasPrefix(body, `{"error":`) {
				t.Errorf("%s: body is not a JSON error: %.200s", c.name, body)
			}
		}
		// Patches get the same validation.
		st, body := fx.do("POST", "/api/v1/strike-rounds", tok, validStrike)
		if st != http.StatusCreated {
			t.Fatalf("create: %d %s", st, body)
		}
		stored++
		id := decode[models.EventDoc](t, body).ID
		for _, p := range []string{`{"title":123}`, `{"title":"a\u0000"}`, `{"start":"0000-01-01"}`, `{"round_number":1e400}`, "{\"title\":\"\xff\"}", `{"kind":"dispute"}`, strings.Repeat("[", 20000)} {
			st, body := fx.do("PATCH", fmt.Sprintf("/api/v1/strike-rounds/%d", id), tok, p)
			if st < 400 || st >= 500 {
				t.Errorf("patch %.40q: %d %.200s", p, st, body)
			}
		}
		for _, q := range queries {
			for _, path := range []string{"/api/v1/events", "/api/v1/timeline", "/api/v1/disputes"} {
				if path == "/api/v1/disputes" && strings.HasPrefix(q, "kind=") {
					continue // a one-kind list takes no kind
				}
				if st, body := fx.do("GET", path+"?"+q, "", ""); st >= 500 {
					t.Errorf("GET %s?%.60s: %d %.200s", path, q, st, body)
				}
			}
		}
		for _, p := range []string{"/api/v1/events/-1", "/api/v1/events/1e3", "/api/v1/events/99999999999999999999", "/api/v1/events/1%27", "/api/v1/events/%00"} {
			if st, _ := fx.do("GET", p, "", ""); st != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, st)
			}
		}
		_, n, err := s.ListEvents(t.Context(), models.EventFilter{Working: true})
		if err != nil || int(n) != stored {
			t.Errorf("%d events stored, want %d (%v)", n, stored, err)
		}
		// The version never moved: every bad patch was refused whole.
		if e, err := s.GetEvent(t.Context(), id); err != nil || e.Version != 1 {
			t.Errorf("event after refused patches: %+v %v", e, err)
		}
	})
}

// TestHostileQueryParameters sends NUL, invalid UTF-8 and control
// characters in every kind of query parameter, on reads that reach the
// database: each is refused with a 422 naming the parameter (PostgreSQL
// once failed such text parameters with a 500).
func TestHostileQueryParameters(t *testing.T) {
	const days = "from=2025-10-01&to=2025-10-31"
	cases := []struct{ path, param string }{
		{"/api/v1/activity?" + days, "area"},
		{"/api/v1/activity?" + days, "status"},
		{"/api/v1/activity?" + days, "hcp"},
		{"/api/v1/activity?" + days, "granularity"},
		{"/api/v1/activity/categories?" + days, "category"},
		{"/api/v1/activity/categories?" + days, "setting"},
		{"/api/v1/activity/categories?" + days, "context"},
		{"/api/v1/activity/categories?" + days, "area"},
		{"/api/v1/activity/practices?" + days, "category"},
		{"/api/v1/activity/practices?" + days, "area"},
		{"/api/v1/activity/practices.csv?" + days, "group_by"},
		{"/api/v1/online-consultations?" + days, "metric"},
		{"/api/v1/online-consultations?" + days, "area"},
		{"/api/v1/events/1/impact?", "metric"},
		{"/api/v1/events/1/impact?", "area"},
		{"/api/v1/events?", "union"},
		{"/api/v1/events?", "staff_group"},
		{"/api/v1/events?", "unknown_param"},
		{"/?", "q"},
		{"/timeline.csv?", "union"},
	}
	values := []string{"%00", "a%00b", "%ff%fe", "x%c3", "a%0db", "%1b%5b31m"}
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		fx := newFixture(t, s)
		for _, c := range cases {
			for _, v := range values {
				u := c.path + "&" + c.param + "=" + v
				st, body := fx.do("GET", u, fx.tokens[models.RoleAnalyst], "")
				if st != http.StatusUnprocessableEntity || !strings.Contains(body, c.param) {
					t.Errorf("GET %s: %d %.200s, want 422 naming %s", u, st, body, c.param)
				}
			}
		}
		// The parameter's name is checked too, and quoted safely.
		if st, body := fx.do("GET", "/api/v1/events?a%00b=1", "", ""); st != http.StatusUnprocessableEntity || strings.ContainsRune(body, 0) {
			t.Errorf("NUL in a name: %d %q", st, body)
		}
		// Ordinary text, tab-free, still passes.
		if st, body := fx.do("GET", "/api/v1/events?union="+url.QueryEscape("Zürich – “BMA”"), "", ""); st != http.StatusOK {
			t.Errorf("plain text refused: %d %.200s", st, body)
		}
	})
}

// TestHostileAuthInput throws hostile input at login, uploads and the
// client address on both backends: never a 5xx, never an off-site
// redirect, JSON errors under /api.
func TestHostileAuthInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		_, f := loginApp(t, s)
		l := newLoginForm(t, f)
		for i, email := range []string{"a\x00b@example.org", "\xff\xfe@example.org", strings.Repeat("x", 5000) + "@example.org", "' OR 1=1 --", ""} {
			if st, _ := l.post(t, fmt.Sprintf("203.0.113.%d", i), email, "wrong password"); st != http.StatusUnauthorized {
				t.Errorf("login as %.40q: %d, want 401", email, st)
			}
		}
		if st, _ := l.post(t, "203.0.113.50", plannerEmail, strings.Repeat("p", 100<<10)); st != http.StatusUnauthorized {
			t.Errorf("100 KB password: %d, want 401", st)
		}
		for _, xff := range []string{"not-an-ip", "999.1.1.1", strings.Repeat("1.2.3.4,", 400), "[::1]:80", "\x00"} {
			if st, _ := l.post(t, xff, "nobody@example.org", "wrong password"); st >= 500 || st == 0 {
				t.Errorf("X-Forwarded-For %.40q: %d", xff, st)
			}
		}
		for _, next := range []string{"/%09/evil.example", "/\\evil.example", "//evil.example", "/%2F%2Fevil.example", "https://evil.example", "/\t/evil.example"} {
			form := url.Values{"csrf_token": {l.csrf}, "email": {plannerEmail}, "password": {plannerPassword}, "next": {next}}
			req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", "198.51.100.200")
			req.AddCookie(&http.Cookie{Name: csrfCookie, Value: l.cookie})
			res, err := f.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/" {
				t.Errorf("next=%q: %d Location %q, want / ", next, res.StatusCode, loc)
			}
		}

		analyst, err := s.CreateUser(t.Context(), "analyst@example.org", models.RoleAnalyst, "")
		if err != nil {
			t.Fatal(err)
		}
		tok, _, err := s.CreateToken(t.Context(), analyst.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ name, ctype, body string }{
			{"no boundary", "multipart/form-data", "--b\r\n"},
			{"truncated part", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n\r\nA,B"},
			{"no file part", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ngpad\r\n--b--\r\n"},
			{"not multipart", "application/json", `{"file":"x"}`},
			{"bad header", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition\r\n\r\nx\r\n--b--\r\n"},
		} {
			req := httptest.NewRequest("POST", "/api/v1/imports", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", tc.ctype)
			req.Header.Set("Authorization", "Bearer "+tok)
			res, err := f.Test(req, -1)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode < 400 || res.StatusCode >= 500 || !strings.HasPrefix(string(b), `{"error":`) {
				t.Errorf("upload %s: %d %.200s, want a JSON 4xx", tc.name, res.StatusCode, b)
			}
		}
	})
}
