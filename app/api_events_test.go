package app

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// as sends a request as role ("" for anonymous) through the shared fixture.
func (fx *fixture) as(role models.Role, method, path, body string) (int, string) {
	fx.t.Helper()
	return fx.do(method, path, fx.tokens[role], body)
}

const roundJSON = `{"title":"Resident doctors' walkout","start":"2025-07-25T07:00:00+01:00","end":"2025-07-30T07:00:00+01:00",
 "staff_group":"resident_doctors","unions":["BMA"],"round_number":12,"action_type":"full_walkout",
 "sources":[{"url":"https://www.bbc.co.uk/news/x","title":"Strike","publisher":"BBC News","published_on":"2025-07-25"}]}`

// apiStep is one request of a scripted API scenario and what it must answer.
type apiStep struct {
	role         models.Role
	method, path string
	body         string
	want         int
	contains     string
}

// run sends the steps in order, reporting each answer that differs.
func (fx *fixture) run(steps []apiStep) {
	fx.t.Helper()
	for _, st := range steps {
		status, body := fx.as(st.role, st.method, st.path, st.body)
		if status != st.want || !strings.Contains(body, st.contains) {
			fx.t.Errorf("%s %s %.60s as %q: %d %.300s; want %d containing %q", st.method, st.path, st.body, st.role, status, body, st.want, st.contains)
		}
	}
}

func TestAPIEventLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		status, body := f.as(models.RolePlanner, "POST", "/api/v1/strike-rounds", roundJSON)
		if status != http.StatusCreated {
			t.Fatalf("create: %d %s", status, body)
		}
		var created models.EventDoc
		json.Unmarshal([]byte(body), &created)
		id := itoa(created.ID)

		// Any record is reachable by its id under /events; the wrong
		// collection does not have it.
		steps := []apiStep{
			// A new record is a draft: planners see it, the public does not.
			{"", "GET", "/api/v1/events/" + id, "", 404, ""},
			{models.RoleAnalyst, "GET", "/api/v1/events/" + id, "", 404, ""},
			{models.RolePlanner, "GET", "/api/v1/events/" + id, "", 200, `"publication":{"status":"draft"}`},
			{models.RolePlanner, "GET", "/api/v1/events?status=draft", "", 200, `"total":1`},
			{"", "GET", "/api/v1/events?status=draft", "", 401, ""},
			{models.RoleAnalyst, "GET", "/api/v1/events?status=draft", "", 403, ""},
			{models.RolePlanner, "POST", "/api/v1/events/" + id + "/publish", "", 403, ""},
			{models.RoleEditor, "POST", "/api/v1/events/" + id + "/publish", `{"version":1,"note":"x"}`, 422, `"note":"unknown field"`},
			{models.RoleEditor, "POST", "/api/v1/events/" + id + "/publish", `{"version":1}`, 200, `"status":"published"`},
			{"", "GET", "/api/v1/events/" + id, "", 200, `"kind":"strike_round"`},
			{"", "GET", "/api/v1/strike-rounds/" + id, "", 200, `"round_number":12`},
			{"", "GET", "/api/v1/disputes/" + id, "", 404, `"error":"not found"`},
			{"", "GET", "/api/v1/events/abc", "", 404, ""},
			{"", "GET", "/api/v1/events/99999999", "", 404, ""},
			{"", "PATCH", "/api/v1/strike-rounds/" + id, `{"title":"x"}`, 401, "authentication required"},
			{models.RoleAnalyst, "PATCH", "/api/v1/strike-rounds/" + id, `{"title":"x"}`, 403, ""},
			{models.RolePlanner, "PATCH", "/api/v1/strike-rounds/" + id, `{"title":`, 400, "malformed JSON"},
			{models.RolePlanner, "PATCH", "/api/v1/strike-rounds/" + id, `{"end":"2025-07-01T07:00:00+01:00"}`, 422, `"end":"must be after start"`},
			{models.RolePlanner, "PATCH", "/api/v1/strike-rounds/" + id, `{"round_number":"twelve"}`, 422, `"round_number":"must be a number"`},
			{models.RolePlanner, "PATCH", "/api/v1/strike-rounds/" + id, `{"colour":"red"}`, 422, `"colour":"unknown field"`},
			{models.RolePlanner, "PATCH", "/api/v1/strike-rounds/" + id, `{"title":"Round 12","version":1}`, 409, "changed by someone else"},
			{models.RolePlanner, "PATCH", "/api/v1/strike-rounds/" + id, `{}`, 200, `"version":2`},
			{models.RolePlanner, "PATCH", "/api/v1/strike-rounds/" + id, `{"title":"Round 12","version":2}`, 200, `"version":3`},
			// The revision waits for an editor; the public keeps the old title.
			{"", "GET", "/api/v1/strike-rounds?q=round+12", "", 200, `"total":0`},
			{models.RolePlanner, "GET", "/api/v1/strike-rounds?q=round+12", "", 200, `"pending_revision":true`},
			{models.RoleEditor, "POST", "/api/v1/events/" + id + "/publish", `{}`, 422, `"correction_note"`},
			{models.RoleEditor, "POST", "/api/v1/events/" + id + "/publish", `{"correction_note":"Numbered as round 12."}`, 200, `"status":"published"`},
			{"", "GET", "/api/v1/strike-rounds?q=round+12", "", 200, `"total":1`},
			{"", "GET", "/api/v1/timeline?from=2025-07-01&to=2025-07-31", "", 200, `"title":"Round 12"`},
			{"", "GET", "/api/v1/events/" + id, "", 200, `"note":"Numbered as round 12."`},
			{"", "GET", "/api/v1/timeline?from=July", "", 422, `"from":"must be a date like 2025-01-31"`},
			{"", "GET", "/api/v1/timeline?kind=picnic", "", 422, `unknown kind`},
			{"", "GET", "/api/v1/timeline?as_of=x", "", 422, `"as_of"`},
			{"", "GET", "/api/v1/timeline?as_of=99", "", 422, `"as_of"`},
			{"", "GET", "/api/v1/strike-rounds/" + id + "/history", "", 200, `"state":"published"`},
			{models.RolePlanner, "GET", "/api/v1/strike-rounds/" + id + "/history", "", 200, `"action":"update"`},
			// Published records are withdrawn, not deleted.
			{models.RolePlanner, "DELETE", "/api/v1/strike-rounds/" + id, "", 409, "withdraws"},
			{models.RolePlanner, "POST", "/api/v1/strike-rounds/" + id + "/history/1/restore", "", 200, `"title":"Resident doctors' walkout"`},
			{"", "GET", "/api/v1/events/" + id, "", 200, `"title":"Round 12"`},
			{models.RolePlanner, "GET", "/api/v1/events/" + id, "", 200, `"version":5`},
			{models.RolePlanner, "POST", "/api/v1/strike-rounds/" + id + "/history/99/restore", "", 404, ""},
			{models.RolePlanner, "POST", "/api/v1/disputes", `{"kind":"milestone","title":"x","start":"2025-01-01","sources":[{"url":"https://x.org"}]}`, 422, `"kind"`},
			{models.RolePlanner, "POST", "/api/v1/disputes", `[1,2]`, 422, ""},
			{models.RolePlanner, "POST", "/api/v1/disputes", `{"title":"` + strings.Repeat("x", 300000) + `"}`, 413, "too large"},
		}
		f.run(steps)
	})
}

func TestAPIBadTokenIsRejected(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f := newFixture(t, s)
		req := httptest.NewRequest("GET", "/api/v1/timeline", nil)
		req.Header.Set("Authorization", "Bearer slk_nope")
		resp := testRequest(t, f.app, req)
		if resp.StatusCode != 401 {
			t.Errorf("bad token on a public read: %d, want 401", resp.StatusCode)
		}
	})
}
