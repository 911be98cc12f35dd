package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

func TestRecordForms(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, _ := newTestApp(t, s)
		c := newClient(t, f)
		tok := c.login()
		form := func(kv ...string) url.Values {
			v := url.Values{"csrf_token": {tok}, "source_rows": {"2"}}
			for i := 0; i < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}

		// Invalid input comes back with messages beside the inputs.
		res, body := c.post("/events/new", form("kind", "strike_round", "title", "", "start", "2025-13-40",
			"action_type", "full_walkout", "staff_group", "resident_doctors", "nation", "England",
			"source_url_1", "not a url", "source_title_1", "x"))
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("invalid create: %d", res.StatusCode)
		}
		for _, want := range []string{`id="title-error"`, `id="start-error"`, `id="source_url_1-error"`, `href="#source_url_1"`,
			`aria-invalid="true"`, `value="x"`} {
			if !strings.Contains(body, want) {
				t.Errorf("invalid form lacks %q", want)
			}
		}

		// "Add another source" re-renders with one more row, saving nothing.
		res, body = c.post("/events/new", form("kind", "milestone", "title", "Keep me", "action", "add_source"))
		if res.StatusCode != 200 || !strings.Contains(body, `id="source_url_2"`) || !strings.Contains(body, `value="Keep me"`) {
			t.Errorf("add source: %d", res.StatusCode)
		}

		// A valid create redirects to the new record.
		res, _ = c.post("/events/new", form("kind", "milestone", "title", "GPC England ballot opens", "start", "2025-10-20",
			"milestone_type", "ballot_opened", "nation", "England", "unions", "BMA", "turnout_pct", "61.5",
			"source_url_0", "https://www.bma.org.uk/ballot", "source_publisher_0", "BMA"))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d", res.StatusCode)
		}
		loc := res.Header.Get("Location")
		_, body = c.get(loc)
		if !strings.Contains(body, "GPC England ballot opens") || !strings.Contains(body, "61.5%") {
			t.Fatalf("new record page lacks its content")
		}

		// Edit: a stale version is refused, the current one saves.
		_, body = c.get(loc + "/edit")
		if !strings.Contains(body, `value="GPC England ballot opens"`) || !strings.Contains(body, `value="https://www.bma.org.uk/ballot"`) {
			t.Fatal("edit form not filled")
		}
		edit := form("kind", "milestone", "title", "GPC England ballot opens (corrected)", "start", "2025-10-21",
			"milestone_type", "ballot_opened", "nation", "England", "source_url_0", "https://www.bma.org.uk/ballot", "version", "1")
		if res, _ := c.post(loc+"/edit", with(edit, "version", "7")); res.StatusCode != http.StatusConflict {
			t.Errorf("stale edit: %d, want 409", res.StatusCode)
		}
		if res, _ := c.post(loc+"/edit", edit); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d", res.StatusCode)
		}

		// History shows the field-level diff and offers restore.
		_, body = c.get(loc + "/history")
		for _, want := range []string{"Version 2: update", "<del>GPC England ballot opens</del>", "<ins>GPC England ballot opens (corrected)</ins>",
			"<del>2025-10-20</del>", "Restore version 1"} {
			if !strings.Contains(body, want) {
				t.Errorf("history lacks %q", want)
			}
		}
		if res, _ := c.post(loc+"/history/1/restore", url.Values{"csrf_token": {tok}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("restore: %d", res.StatusCode)
		}
		_, body = c.get(loc)
		if !strings.Contains(body, "<h1 id=\"rec-h\">GPC England ballot opens</h1>") {
			t.Error("restore did not bring back version 1")
		}

		// Delete, then the record is gone from the timeline but its history
		// remains and can restore it.
		if res, _ := c.post(loc+"/delete", url.Values{"csrf_token": {tok}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: %d", res.StatusCode)
		}
		if res, _ := c.get(loc); res.StatusCode != 404 {
			t.Errorf("deleted record: %d", res.StatusCode)
		}
		_, body = c.get(loc + "/history")
		if !strings.Contains(body, "has been deleted") || !strings.Contains(body, "Restore version 3") {
			t.Error("deleted record's history lacks restore")
		}

		// Every kind's form renders.
		for _, k := range models.Kinds {
			if res, body := c.get("/events/new?kind=" + string(k)); res.StatusCode != 200 || !strings.Contains(body, fmt.Sprintf(`name="kind" value="%s"`, k)) {
				t.Errorf("form for %s: %d", k, res.StatusCode)
			}
		}
	})
}

func with(v url.Values, k, val string) url.Values {
	c := url.Values{}
	for key, vals := range v {
		c[key] = append([]string(nil), vals...)
	}
	c.Set(k, val)
	return c
}

// A control character in a one-line field of the planner form comes back
// as a 422 with the message beside that input; a textarea's CRLF is kept
// as a line break.
func TestFormRefusesControlCharacters(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, _ := newTestApp(t, s)
		c := newClient(t, f)
		tok := c.login()
		_, before, _ := s.ListEvents(t.Context(), models.EventFilter{Working: true})
		v := url.Values{"csrf_token": {tok}, "source_rows": {"1"}, "kind": {"milestone"}, "title": {"Ballot opens\rBEGIN:VEVENT"},
			"start": {"2025-10-20"}, "milestone_type": {"ballot_opened"}, "nation": {"England"},
			"summary": {"First\r\nsecond"}, "source_url_0": {"https://www.bma.org.uk/ballot"}}
		res, body := c.post("/events/new", v)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="title-error"`) || strings.Contains(body, `id="summary-error"`) {
			t.Fatalf("CR in title: %d, title error shown: %v", res.StatusCode, strings.Contains(body, `id="title-error"`))
		}
		if res, _ := c.post("/events/new", with(v, "title", "Ballot opens")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("clean title: %d", res.StatusCode)
		}
		_, n, err := s.ListEvents(t.Context(), models.EventFilter{Working: true}) // the new record is a draft
		if err != nil || n != before+1 {
			t.Fatalf("%d events (%v), want %d", n, err, before+1)
		}
	})
}
