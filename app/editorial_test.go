package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	ics "github.com/arran4/golang-ical"
	"github.com/xuri/excelize/v2"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// editorialDownloads are every public place a record can appear.
var editorialDownloads = []string{"/", "/api/v1/timeline", "/api/v1/events?per_page=1000", "/timeline.csv", "/timeline.json",
	"/timeline.xlsx", "/timeline-js.json", "/strikes.ics", "/feed.atom"}

// bodyText returns a response as text; a workbook is read cell by cell.
func bodyText(t *testing.T, path, body string) string {
	t.Helper()
	if !strings.HasPrefix(path, "/timeline.xlsx") {
		return body
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer x.Close()
	var sb strings.Builder
	for _, sheet := range x.GetSheetList() {
		rows, _ := x.GetRows(sheet)
		for _, r := range rows {
			sb.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return sb.String()
}

// everywhere reports, per public place (with query), whether text is there.
func everywhere(t *testing.T, anon *client, query, text string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, p := range editorialDownloads {
		q := query
		if q != "" && strings.Contains(p, "?") {
			q = "&" + q[1:]
		}
		res, body := anon.get(p + q)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s%s: %d %.200s", p, query, res.StatusCode, body)
		}
		out[p] = strings.Contains(bodyText(t, p, body), text)
	}
	return out
}

func jsonField(t *testing.T, body, field string) any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("not JSON: %v %.200s", err, body)
	}
	return m[field]
}

// The whole editorial flow through the web app: a planner's draft is
// hidden from the public everywhere; an editor publishes it; a planner's
// correction stays private until an editor publishes it with a note; as_of
// reproduces the earlier text; a stale If-Match is refused; a withdrawal
// answers 410 with its reason and shows in the feeds and the calendar.
func TestEditorialFlow(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, _ := newTestApp(t, s)
		anon := newClient(t, f)
		planner := newClient(t, f)
		ptok := planner.login()
		editor := newClient(t, f)
		etok := editor.loginAs(editorEmail)
		const first, second = "Feb 2026 strike", "Feb 2026 resident doctors strike"

		res, body := planner.post("/events/new", url.Values{"csrf_token": {ptok}, "kind": {"strike_round"}, "title": {first},
			"start": {"2026-02-10T07:00"}, "end": {"2026-02-15T07:00"}, "staff_group": {"resident_doctors"}, "nation": {"England"},
			"unions": {"BMA"}, "action_type": {"full_walkout"}, "source_rows": {"1"}, "source_url_0": {"https://www.bma.org.uk/feb"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d %s", res.StatusCode, body)
		}
		rec := res.Header.Get("Location")
		id, _ := strconv.ParseInt(strings.TrimPrefix(rec, "/events/"), 10, 64)
		api := "/api/v1/events/" + strconv.FormatInt(id, 10)

		// 1. The draft is the planner's alone.
		for p, seen := range everywhere(t, anon, "", first) {
			if seen {
				t.Errorf("draft visible to the public in %s", p)
			}
		}
		if res, _ := anon.get(api); res.StatusCode != 404 {
			t.Errorf("anonymous GET of a draft: %d", res.StatusCode)
		}
		if res, _ := anon.get(rec); res.StatusCode != 404 {
			t.Errorf("anonymous page of a draft: %d", res.StatusCode)
		}
		if _, body := planner.get("/"); !strings.Contains(body, first) || !strings.Contains(body, "Draft: not published") {
			t.Error("planner's timeline lacks the marked draft")
		}
		reg0 := int(jsonField(t, func() string { _, b := anon.get("/api/v1/register"); return b }(), "version").(float64))

		// 2. Planners cannot publish; the editor publishes from the queue.
		if res, _ := planner.post(rec+"/publish", url.Values{"csrf_token": {ptok}}); res.StatusCode != 403 {
			t.Errorf("planner publish: %d, want 403", res.StatusCode)
		}
		_, queue := editor.get("/review")
		if !strings.Contains(queue, first) || !strings.Contains(queue, `action="`+rec+`/publish"`) {
			t.Fatal("review queue lacks the draft and its publish button")
		}
		if res, body := editor.post(rec+"/publish", url.Values{"csrf_token": {etok}, "version": {"1"}, "back": {"review"}}); res.StatusCode != 303 || res.Header.Get("Location") != "/review" {
			t.Fatalf("publish: %d %s", res.StatusCode, body)
		}
		for p, seen := range everywhere(t, anon, "", first) {
			if !seen {
				t.Errorf("published record missing from %s", p)
			}
		}
		reg1 := reg0 + 1
		if _, b := anon.get("/api/v1/register"); int(jsonField(t, b, "version").(float64)) != reg1 {
			t.Fatalf("register after publishing: %s, want version %d", b, reg1)
		}

		// 3. The planner corrects the title; the public keeps the old text.
		_, form := planner.get(rec + "/edit")
		v := url.Values{"csrf_token": {ptok}, "version": {"2"}, "title": {second}, "start": {"2026-02-10T07:00"},
			"end": {"2026-02-15T07:00"}, "staff_group": {"resident_doctors"}, "nation": {"England"}, "unions": {"BMA"},
			"action_type": {"full_walkout"}, "scope": {"ENGLAND"}, "source_rows": {"1"}, "source_url_0": {"https://www.bma.org.uk/feb"}}
		if !strings.Contains(form, `name="version" value="2"`) {
			t.Fatal("edit form lacks version 2")
		}
		if res, body := planner.post(rec+"/edit", v); res.StatusCode != 303 {
			t.Fatalf("edit: %d %s", res.StatusCode, body)
		}
		for p, seen := range everywhere(t, anon, "", second) {
			if seen {
				t.Errorf("unpublished correction visible in %s", p)
			}
		}
		if _, body := anon.get(rec); !strings.Contains(body, first) {
			t.Error("public page lost the published title")
		}

		// 4. Publishing changed facts needs a note; nothing changes without.
		res, body = editor.post(rec+"/publish", url.Values{"csrf_token": {etok}, "version": {"3"}})
		if res.StatusCode != 422 || !strings.Contains(body, "Correction note") {
			t.Fatalf("publish without a note: %d %.300s", res.StatusCode, body)
		}
		const note = "The round was called by resident doctors only."
		if res, _ := editor.post(rec+"/publish", url.Values{"csrf_token": {etok}, "version": {"3"}, "correction_note": {note}}); res.StatusCode != 303 {
			t.Fatalf("publish with a note: %d", res.StatusCode)
		}
		reg2 := reg1 + 1
		for p, seen := range everywhere(t, anon, "", second) {
			if !seen {
				t.Errorf("published correction missing from %s", p)
			}
		}
		_, page := anon.get(rec)
		if !strings.Contains(page, "Corrected on") || !strings.Contains(page, note) || !strings.Contains(page, "Register version "+strconv.Itoa(reg2)) {
			t.Error("record page lacks the correction line or the register version")
		}
		if !strings.Contains(page, "as_of="+strconv.Itoa(reg2)) || !strings.Contains(page, "(Register version "+strconv.Itoa(reg2)+")") || !strings.Contains(page, "@misc{") {
			t.Error("record page lacks an as-of citation")
		}
		// Every download states the register version it holds.
		for _, p := range editorialDownloads[3:] {
			if res, body := anon.get(p); res.Header.Get("X-Register-Version") != strconv.Itoa(reg2) {
				t.Errorf("%s: X-Register-Version %q, want %d", p, res.Header.Get("X-Register-Version"), reg2)
			} else if (p == "/timeline.json" || p == "/timeline-js.json") && !strings.Contains(body, "Register version "+strconv.Itoa(reg2)) {
				t.Errorf("%s does not state the register version in its body", p)
			}
		}
		for _, p := range []string{"/corrections", "/corrections.atom", "/feed.atom"} {
			if _, body := anon.get(p); !strings.Contains(body, note) {
				t.Errorf("%s lacks the correction", p)
			}
		}

		// 5. as_of reproduces what was published then, everywhere.
		asOf := "?as_of=" + strconv.Itoa(reg1)
		for p, seen := range everywhere(t, anon, asOf, first) {
			if !seen {
				t.Errorf("%s%s lacks the earlier title", p, asOf)
			}
		}
		for p, seen := range everywhere(t, anon, asOf, second) {
			if seen {
				t.Errorf("%s%s shows the later title", p, asOf)
			}
		}
		if _, body := anon.get(rec + asOf); !strings.Contains(body, first) || strings.Contains(body, note) {
			t.Error("record page as of the first version is not the first version")
		}
		if _, body := anon.get(api + asOf); jsonField(t, body, "title") != first {
			t.Errorf("API as_of: %.200s", body)
		}
		for _, q := range []string{"?as_of=abc", "?as_of=0", "?as_of=" + strconv.Itoa(reg2+1)} {
			if res, body := anon.get(api + q); res.StatusCode != 422 || !strings.Contains(body, `"as_of"`) {
				t.Errorf("GET %s%s: %d %s", api, q, res.StatusCode, body)
			}
		}

		// 6. ETag and If-Match.
		res, _ = planner.get(api)
		if res.Header.Get("ETag") != `"4"` {
			t.Fatalf("ETag %q, want \"4\"", res.Header.Get("ETag"))
		}
		hdr := map[string]string{"Content-Type": "application/json", "X-CSRF-Token": ptok, "If-Match": `"2"`}
		if res, body := planner.do("PATCH", "/api/v1/strike-rounds/"+strconv.FormatInt(id, 10), strings.NewReader(`{"summary":"late edit"}`), hdr); res.StatusCode != 412 {
			t.Errorf("PATCH with a stale If-Match: %d %s", res.StatusCode, body)
		}
		ehdr := map[string]string{"Content-Type": "application/json", "X-CSRF-Token": etok, "If-Match": `"3"`}
		if res, body := editor.do("POST", api+"/withdraw", strings.NewReader(`{"reason":"x"}`), ehdr); res.StatusCode != 412 {
			t.Errorf("withdraw with a stale If-Match: %d %s", res.StatusCode, body)
		}
		if _, b := anon.get("/api/v1/register"); int(jsonField(t, b, "version").(float64)) != reg2 {
			t.Fatalf("a refused request moved the register: %s", b)
		}

		// 7. Withdrawal: reason required, editors only, then 410 everywhere.
		if res, _ := planner.post(rec+"/withdraw", url.Values{"csrf_token": {ptok}, "reason": {"x"}}); res.StatusCode != 403 {
			t.Errorf("planner withdraw: %d", res.StatusCode)
		}
		if res, body := editor.post(rec+"/withdraw", url.Values{"csrf_token": {etok}, "version": {"4"}}); res.StatusCode != 422 || !strings.Contains(body, "Reason for withdrawal") {
			t.Errorf("withdraw without a reason: %d %.300s", res.StatusCode, body)
		}
		const reason = "No strike was called for February 2026."
		ehdr["If-Match"] = `"4"`
		if res, body := editor.do("POST", api+"/withdraw", strings.NewReader(`{"reason":"`+reason+`"}`), ehdr); res.StatusCode != 200 {
			t.Fatalf("withdraw: %d %s", res.StatusCode, body)
		}
		res, body = anon.get(rec)
		if res.StatusCode != 410 || !strings.Contains(body, reason) || !strings.Contains(body, second) || !strings.Contains(body, "10–15 Feb 2026") && !strings.Contains(body, "Tue 10 Feb 2026") {
			t.Errorf("withdrawn page: %d %.500s", res.StatusCode, body)
		}
		res, body = anon.get(api)
		if res.StatusCode != 410 || jsonField(t, body, "reason") != reason || jsonField(t, body, "title") != second || jsonField(t, body, "start") == nil {
			t.Errorf("withdrawn JSON: %d %s", res.StatusCode, body)
		}
		if _, body := anon.get("/feed.atom"); !strings.Contains(body, "Withdrawn") || !strings.Contains(body, reason) {
			t.Error("feed lacks the withdrawal")
		}
		_, body = anon.get("/strikes.ics")
		cal, err := ics.ParseCalendar(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		cancelled := false
		for _, ev := range cal.Events() {
			if strings.HasPrefix(ev.Id(), fmt.Sprintf("event-%d@", id)) {
				st := ev.GetProperty(ics.ComponentPropertyStatus)
				cancelled = st != nil && st.Value == "CANCELLED"
				// Calendars apply a cancellation only with a higher
				// SEQUENCE than the copy they hold (version 4).
				var seq int
				if p := ev.GetProperty(ics.ComponentPropertySequence); p != nil {
					seq, _ = strconv.Atoi(p.Value)
				}
				if seq <= 4 {
					t.Errorf("withdrawn round's SEQUENCE %d, want above the published 4", seq)
				}
			}
		}
		if !cancelled {
			t.Error("calendar does not mark the withdrawn round CANCELLED")
		}
		for _, p := range []string{"/", "/api/v1/timeline", "/timeline.csv"} {
			if _, body := anon.get(p); strings.Contains(body, second) {
				t.Errorf("%s still lists the withdrawn record", p)
			}
		}
		_, body = anon.get("/changes?since=" + strconv.Itoa(reg0))
		for _, w := range []string{"Added", "Corrected", "Withdrawn", "as_of=" + strconv.Itoa(reg1)} {
			if !strings.Contains(body, w) {
				t.Errorf("/changes lacks %q", w)
			}
		}
		// The public history has published versions only: no drafts, no
		// planners' names.
		_, body = anon.get(rec + "/history")
		if strings.Contains(body, plannerEmail) || strings.Contains(body, "Version 1:") || !strings.Contains(body, "Version 5: withdrawn") {
			t.Errorf("public history shows unpublished versions:\n%.2000s", body)
		}
		if _, body := planner.get(rec + "/history"); !strings.Contains(body, "Version 1: create") {
			t.Error("planner's history lacks the draft")
		}
	})
}

// Twelve people saving the same form version at once: exactly one save
// wins; each of the others gets the 409 form showing the other change.
func TestConcurrentFormSaves(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, hostile := newTestApp(t, s)
		c := newClient(t, f)
		tok := c.login()
		rec := eventURL(hostile.ID)
		_, form := c.get(rec + "/edit")
		version := regexpFind(t, form, `name="version" value="(\d+)"`)
		const n = 12
		codes := make([]int, n)
		bodies := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, body := c.post(rec+"/edit", url.Values{"csrf_token": {tok}, "version": {version}, "title": {fmt.Sprintf("Save %d", i)},
					"start": {"2025-11-14T07:00"}, "end": {"2025-11-19T07:00"}, "staff_group": {"resident_doctors"}, "nation": {"England"},
					"action_type": {"full_walkout"}, "source_rows": {"1"}, "source_url_0": {"https://www.bma.org.uk/"}})
				codes[i], bodies[i] = res.StatusCode, body
			}()
		}
		wg.Wait()
		won := 0
		for i, code := range codes {
			switch code {
			case 303:
				won++
			case 409:
				if !strings.Contains(bodies[i], "Someone else changed this record") || !strings.Contains(bodies[i], "<ins>Save ") {
					t.Errorf("409 page does not show the other change")
				}
			default:
				t.Errorf("save %d: %d", i, code)
			}
		}
		e, _ := s.GetEvent(t.Context(), hostile.ID)
		want, _ := strconv.Atoi(version)
		if won != 1 || e.Version != want+1 {
			t.Fatalf("%d saves won, version %d; want 1 and %d", won, e.Version, want+1)
		}
	})
}

// The form lists its errors in the order of its inputs, with their labels,
// and explains dates in the words of the hint.
func TestFormErrorsInFormOrder(t *testing.T) {
	s := testdb.New(t, models.SQLite)
	f, _ := newTestApp(t, s)
	c := newClient(t, f)
	tok := c.login()
	res, body := c.post("/events/new", url.Values{"csrf_token": {tok}, "kind": {"strike_round"}, "title": {""},
		"start": {"25/07/2025"}, "staff_group": {"resident_doctors"}, "nation": {"England"}, "action_type": {"full_walkout"},
		"source_rows": {"1"}})
	if res.StatusCode != 422 {
		t.Fatalf("status %d", res.StatusCode)
	}
	summary := body[strings.Index(body, "There is a problem"):]
	summary = summary[:strings.Index(summary, "</ul>")]
	want := []string{"Title: is required", "Starts: " + whenHint, "Sources: at least one source is required"}
	at := -1
	for _, w := range want {
		i := strings.Index(summary, w)
		if i < 0 || i < at {
			t.Fatalf("summary %q: %q missing or out of order", summary, w)
		}
		at = i
	}
	if !strings.Contains(body, "(2025-07-25T07:00)") {
		t.Error("hint does not show the accepted local time form")
	}
	// The hint's form is accepted and read as London time.
	res, _ = c.post("/events/new", url.Values{"csrf_token": {tok}, "kind": {"milestone"}, "title": {"Ballot opens"},
		"start": {"2025-07-25T07:00"}, "milestone_type": {"ballot_opened"}, "nation": {"England"}, "source_rows": {"1"},
		"source_url_0": {"https://example.org/b"}})
	if res.StatusCode != 303 {
		t.Fatalf("local time refused: %d", res.StatusCode)
	}
	_, body = c.get(res.Header.Get("Location"))
	if !strings.Contains(body, "07:00 Fri 25 Jul 2025") {
		t.Error("local time not read as Europe/London")
	}
}

func regexpFind(t *testing.T, s, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no match for %s", re)
	}
	return m[1]
}

// Bad editorial requests are refused with a 4xx naming the problem, and
// change nothing.
func TestEditorialBadInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		fx := newFixture(t, s)
		status, body := fx.as(models.RolePlanner, "POST", "/api/v1/strike-rounds", roundJSON)
		if status != http.StatusCreated {
			t.Fatalf("create: %d %s", status, body)
		}
		id := itoa(decode[models.EventDoc](t, body).ID)
		pub := "/api/v1/events/" + id + "/publish"
		wd := "/api/v1/events/" + id + "/withdraw"
		steps := []apiStep{
			{models.RoleEditor, "POST", wd, `{"reason":"x"}`, 409, "only a published record"},
			{models.RoleEditor, "POST", pub, `{"minor":"yes"}`, 422, `"minor"`},
			{models.RoleEditor, "POST", pub, `[1]`, 422, ""},
			{models.RoleEditor, "POST", pub, `{"version":`, 400, "malformed"},
			{models.RoleEditor, "POST", pub, `{"version":0}`, 422, `"version"`},
			{models.RoleEditor, "POST", pub, `{"version":7}`, 409, "changed by someone else"},
			{models.RoleEditor, "POST", "/api/v1/events/999999/publish", `{}`, 404, ""},
			{models.RoleEditor, "POST", pub, `{}`, 200, `"status":"published"`},
			{models.RoleEditor, "POST", pub, `{}`, 409, "nothing to publish"},
			{models.RoleEditor, "POST", wd, `{"reason":"bad\u0000reason"}`, 422, `"reason"`},
			{models.RoleEditor, "POST", wd, `{"reason":"split\rline"}`, 422, `"reason"`},
			{models.RoleEditor, "POST", wd, `{"reason":"` + strings.Repeat("x", 2001) + `"}`, 422, "at most 2000"},
			{models.RoleEditor, "POST", wd, `{"reason":"x","why":"y"}`, 422, `"why":"unknown field"`},
			{models.RoleAnalyst, "POST", wd, `{"reason":"x"}`, 403, ""},
			{"", "POST", wd, `{"reason":"x"}`, 401, ""},
			{"", "GET", "/api/v1/events?as_of=-1", "", 422, `"as_of"`},
			{"", "GET", "/api/v1/events?as_of=99999999999999999999", "", 422, `"as_of"`},
			{"", "GET", "/timeline.csv?as_of=1.5", "", 422, "as_of"},
			{"", "GET", "/changes?since=x", "", 422, "since"},
			{models.RoleEditor, "GET", "/api/v1/events/" + id, "", 200, `"version":2`},
		}
		fx.run(steps)
		if r, err := s.RegisterState(t.Context()); err != nil || r.Version != 1 {
			t.Errorf("register version %d after one publish (%v)", r.Version, err)
		}
	})
}
