package app

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"mime/multipart"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/strikeline/strikeline/importers/events"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// comparable strips what a copy in another database may differ in: ids,
// bookkeeping, and the dispute (compared by its key instead).
func comparable(t *testing.T, s *models.Store, e *models.Event) string {
	t.Helper()
	d := e.Doc()
	dispute := ""
	if d.DisputeID != nil {
		p, err := s.GetEventAny(context.Background(), *d.DisputeID)
		if err != nil {
			t.Fatal(err)
		}
		dispute = p.StableKey() + "|" + p.Title
	}
	d.ID, d.DisputeID, d.Version, d.CreatedAt, d.UpdatedAt, d.CreatedBy, d.UpdatedBy, d.IsSeed, d.Deleted = 0, nil, 0, nil, nil, "", "", false, false
	b, _ := json.Marshal(struct {
		models.EventDoc
		Dispute string
	}{d, dispute})
	return string(b)
}

// allRecords reads the working copies: imported records are drafts.
func allRecords(t *testing.T, s *models.Store) map[string]string {
	t.Helper()
	list, _, err := s.ListEvents(context.Background(), models.EventFilter{Limit: 1000, Working: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for i := range list {
		e, err := s.GetEvent(context.Background(), list[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		out[string(e.Kind)+"|"+e.Title+"|"+e.StartAt.String()] = comparable(t, s, e)
	}
	return out
}

// TestOwnExportRoundTrip downloads the whole timeline (the seed, with every
// kind of field, and a record with hostile text) as CSV, XLSX and JSON and
// imports each file: into the same database it changes nothing, and into an
// empty one it recreates every record field for field.
func TestOwnExportRoundTrip(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, _ := newTestApp(t, s)
		c := newClient(t, f)
		want := allRecords(t, s)
		for _, format := range []string{"csv", "xlsx", "json"} {
			t.Run(format, func(t *testing.T) {
				ctx := context.Background()
				res, body := c.get("/timeline." + format)
				if res.StatusCode != 200 {
					t.Fatalf("download: %d", res.StatusCode)
				}
				parse := func() *events.File {
					file, err := events.Parse("timeline."+format, strings.NewReader(body))
					if err != nil {
						t.Fatal(err)
					}
					return file
				}
				same, err := events.Import(ctx, s, parse(), events.Options{Actor: "p"})
				if err != nil {
					t.Fatal(err)
				}
				if r := same.Result; r.Unchanged != len(want) || r.Added+r.Changed+r.Bad != 0 {
					for _, row := range r.Rows {
						if row.Outcome != models.ImportUnchanged {
							t.Logf("%s %d: %s %q %v %+v", same.File.Unit, row.Line, row.Outcome, row.Title, row.Fields, same.Problems)
						}
					}
					t.Fatalf("re-import into the same database = %d added, %d changed, %d unchanged, %d bad; want all %d unchanged",
						r.Added, r.Changed, r.Unchanged, r.Bad, len(want))
				}

				fresh := testdb.New(t, s.Backend)
				rep, err := events.Import(ctx, fresh, parse(), events.Options{Actor: "p"})
				if err != nil {
					t.Fatal(err)
				}
				if rep.Result.Added != len(want) || rep.Result.Bad != 0 {
					t.Fatalf("import into an empty database = %+v, problems %+v", rep.Result, rep.Problems)
				}
				got := allRecords(t, fresh)
				for k, w := range want {
					if got[k] != w {
						t.Errorf("record %s differs after the round trip:\n got %s\nwant %s", k, got[k], w)
					}
				}
			})
		}
	})
}

func multipartFile(t *testing.T, fields map[string]string, name string, data []byte) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if name != "" {
		fw, err := w.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(data)
	}
	_ = w.Close()
	return &buf, w.FormDataContentType()
}

var carryRe = regexp.MustCompile(`name="carry" value="([^"]+)"`)

func TestEventsImportPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, _ := newTestApp(t, s)
		c := newClient(t, f)
		ctx := context.Background()
		// Imported records are drafts: count the working copies.
		_, before, _ := s.ListEvents(ctx, models.EventFilter{Working: true})

		if res, _ := c.get("/events/import"); res.StatusCode != 303 {
			t.Errorf("anonymous GET: %d, want a redirect to log in", res.StatusCode)
		}
		c.login()
		res, body := c.get("/events/import")
		if res.StatusCode != 200 || !strings.Contains(body, `enctype="multipart/form-data"`) {
			t.Fatalf("form: %d", res.StatusCode)
		}
		csrf := csrfFrom(t, body)
		data, err := os.ReadFile("../importers/events/testdata/new_events.csv")
		if err != nil {
			t.Fatal(err)
		}

		// Without the token the upload is refused.
		buf, ct := multipartFile(t, map[string]string{"action": "preview"}, "new.csv", data)
		if res, _ := c.do("POST", "/events/import", buf, map[string]string{"Content-Type": ct}); res.StatusCode != 403 {
			t.Errorf("POST without CSRF token: %d, want 403", res.StatusCode)
		}

		buf, ct = multipartFile(t, map[string]string{"csrf_token": csrf, "action": "preview"}, "new.csv", data)
		res, body = c.do("POST", "/events/import", buf, map[string]string{"Content-Type": ct})
		if res.StatusCode != 200 || !strings.Contains(body, "would add 3") {
			t.Fatalf("preview: %d\n%s", res.StatusCode, body)
		}
		if _, n, _ := s.ListEvents(ctx, models.EventFilter{Working: true}); n != before {
			t.Fatalf("preview wrote records: %d -> %d", before, n)
		}
		m := carryRe.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("the preview offers no Import button")
		}
		res, body = c.post("/events/import", url.Values{"csrf_token": {csrf}, "action": {"import"}, "carry": {html.UnescapeString(m[1])}, "carry_name": {"new.csv"}})
		if res.StatusCode != 200 || !strings.Contains(body, "3 added") {
			t.Fatalf("import: %d\n%s", res.StatusCode, body)
		}
		if _, n, _ := s.ListEvents(ctx, models.EventFilter{Working: true}); n != before+3 {
			t.Errorf("import stored %d records, want 3", n-before)
		}

		bad, err := os.ReadFile("../importers/events/testdata/bad_events.csv")
		if err != nil {
			t.Fatal(err)
		}
		buf, ct = multipartFile(t, map[string]string{"csrf_token": csrf, "action": "import"}, "bad.csv", bad)
		res, body = c.do("POST", "/events/import", buf, map[string]string{"Content-Type": ct})
		if res.StatusCode != 422 || !strings.Contains(body, "<td>6</td><td>start</td><td><code>2026-13-45</code></td>") ||
			!strings.Contains(body, "nothing was written") {
			t.Errorf("bad file: %d\n%s", res.StatusCode, body)
		}
		if _, n, _ := s.ListEvents(ctx, models.EventFilter{Working: true}); n != before+3 {
			t.Errorf("a rejected file wrote records")
		}
		buf, ct = multipartFile(t, map[string]string{"csrf_token": csrf, "action": "preview"}, "notes.txt", []byte("x"))
		if res, _ := c.do("POST", "/events/import", buf, map[string]string{"Content-Type": ct}); res.StatusCode != 422 {
			t.Errorf("wrong file type: %d, want 422", res.StatusCode)
		}
	})
}
