package events_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/strikeline/strikeline/importers/events"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

func parseFile(t *testing.T, path string) *events.File {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := events.Parse(path, fh)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return f
}

func count(t *testing.T, s *models.Store) (events, history int64) {
	t.Helper()
	if err := testdb.SQL(t, s).Model(&models.Event{}).Unscoped().Count(&events).Error; err != nil {
		t.Fatal(err)
	}
	if err := testdb.SQL(t, s).Model(&models.HistoryEntry{}).Count(&history).Error; err != nil {
		t.Fatal(err)
	}
	return events, history
}

func TestDryRunWritesNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		f := parseFile(t, "testdata/new_events.csv")
		rep, err := events.Import(ctx, s, f, events.Options{Actor: "planner@example.org", DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Result.Added != 3 || rep.Result.Bad != 0 || rep.Result.Written {
			t.Fatalf("dry run = %+v, problems %+v", rep.Result, rep.Problems)
		}
		if n, h := count(t, s); n != 0 || h != 0 {
			t.Errorf("dry run wrote %d events and %d history entries", n, h)
		}
		if !strings.Contains(rep.Summary(), "would add 3") || !strings.Contains(rep.Summary(), "nothing written") {
			t.Errorf("summary %q", rep.Summary())
		}
	})
}

func TestImportAddsAndReimportIsNoop(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		rep, err := events.Import(ctx, s, parseFile(t, "testdata/new_events.csv"), events.Options{Actor: "planner@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Result.Added != 3 || !rep.Result.Written {
			t.Fatalf("import = %+v, problems %+v", rep.Result, rep.Problems)
		}
		// Imported records are drafts: read the working copies.
		list, _, err := s.ListEvents(ctx, models.EventFilter{Limit: 100, Working: true})
		if err != nil {
			t.Fatal(err)
		}
		byTitle := map[string]models.Event{}
		for _, e := range list {
			byTitle[e.Title] = e
		}
		dispute, strike := byTitle["Porters' dispute at Example Trust"], byTitle["Porters' strike at Example Trust"]
		if strike.DisputeID == nil || *strike.DisputeID != dispute.ID {
			t.Errorf("strike not linked to the dispute of the same file: %v vs %d", strike.DisputeID, dispute.ID)
		}
		full, _ := s.GetEvent(ctx, strike.ID)
		if len(full.Sources) != 2 || full.Sources[0].Title != "Porters strike" || full.Sources[0].Publisher != "Example Trust News" {
			t.Errorf("sources = %+v", full.Sources)
		}
		if len(full.Unions) != 2 || full.CreatedBy != "planner@example.org" || full.StableKey() != "ward-7-strike-1" {
			t.Errorf("unions %v, created by %q, key %q", full.Unions, full.CreatedBy, full.StableKey())
		}
		_, h1 := count(t, s)

		again, err := events.Import(ctx, s, parseFile(t, "testdata/new_events.csv"), events.Options{Actor: "planner@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		if r := again.Result; r.Added != 0 || r.Changed != 0 || r.Unchanged != 3 {
			t.Errorf("re-import = %+v", r)
		}
		if !strings.Contains(again.Summary(), "nothing to do") {
			t.Errorf("re-import summary %q does not say so", again.Summary())
		}
		if n, h2 := count(t, s); n != 3 || h2 != h1 {
			t.Errorf("re-import wrote: %d events, history %d -> %d", n, h1, h2)
		}

		// A changed cell changes that record and only that one; columns the
		// file lacks keep their stored values.
		csv := "key,kind,title,start,sources,notes\n" +
			"ward-7-strike-1,strike_round,Porters' strike at Example Trust,2026-03-16T07:00,https://example.org/ward7-strike,Confirmed by the trust\n"
		f, err := events.Parse("notes.csv", strings.NewReader(csv))
		if err != nil {
			t.Fatal(err)
		}
		ch, err := events.Import(ctx, s, f, events.Options{Actor: "editor@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		if ch.Result.Changed != 1 || strings.Join(ch.Result.Rows[0].Fields, ",") != "notes,sources" {
			t.Errorf("change = %+v", ch.Result.Rows)
		}
		got, _ := s.GetEvent(ctx, strike.ID)
		if got.Notes != "Confirmed by the trust" || got.Summary != "Two-day walkout." || got.EndAt == nil || got.DisputeID == nil {
			t.Errorf("merge lost fields: %+v", got)
		}
	})
}

func TestBadFileNamesLineAndLeavesNothing(t *testing.T) {
	want := []events.Problem{
		{Line: 3, Column: "kind", Value: "strike", Reason: "unknown kind; must be one of dispute, strike_round, pay_settlement, regulatory_change, milestone"},
		{Line: 4, Column: "end", Value: "2026-03-11", Reason: "must be after start"},
		{Line: 5, Column: "sources", Value: "", Reason: "at least one source is required"},
		{Line: 6, Column: "start", Value: "2026-13-45", Reason: "must be a date (2025-07-25 or 25/07/2025) or a date-time (2025-07-25T07:00:00+01:00)"},
		{Line: 7, Column: "dispute_key", Value: "no-such-dispute", Reason: "no dispute with this key in the file or the database"},
	}
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		for _, skip := range []bool{false, true} {
			rep, err := events.Import(ctx, s, parseFile(t, "testdata/bad_events.csv"), events.Options{Actor: "p", SkipBad: skip})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Problems) != len(want) {
				t.Fatalf("skip=%v: problems = %+v", skip, rep.Problems)
			}
			for i, p := range rep.Problems {
				if p != want[i] {
					t.Errorf("skip=%v: problem %d = %+v, want %+v", skip, i, p, want[i])
				}
			}
			n, _ := count(t, s)
			switch {
			case !skip && (!rep.Rejected || rep.Result.Written || n != 0):
				t.Errorf("default policy: rejected %v, written %v, %d events stored", rep.Rejected, rep.Result.Written, n)
			case skip && (rep.Rejected || rep.Result.Added != 1 || n != 1):
				t.Errorf("--skip-bad: rejected %v, added %d, %d events stored", rep.Rejected, rep.Result.Added, n)
			}
			var buf bytes.Buffer
			rep.Write(&buf)
			if !strings.Contains(buf.String(), `line 6: column start, value "2026-13-45"`) {
				t.Errorf("report does not name line, column and value:\n%s", buf.String())
			}
		}
	})
}

func TestTimelineJSLayoutImports(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		f := parseFile(t, "testdata/timelinejs.csv")
		if f.Layout != events.LayoutTimelineJS || len(f.Skipped) != 1 || f.Skipped[0].Line != 2 {
			t.Fatalf("layout %q, skipped %+v", f.Layout, f.Skipped)
		}
		ignored := strings.Join(f.Ignored, "; ")
		for _, c := range []string{"Display Date", "Media Thumbnail", "Background"} {
			if !strings.Contains(ignored, c) {
				t.Errorf("%s not reported as not imported: %q", c, ignored)
			}
		}
		rep, err := events.Import(ctx, s, f, events.Options{Actor: "p"})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Rejected || len(rep.Problems) != 1 {
			t.Fatalf("photo row should reject the file: %+v", rep.Problems)
		}
		if p := rep.Problems[0]; p.Line != 6 || p.Column != "Group" || p.Value != "Photos" || !strings.HasPrefix(p.Reason, "unknown kind") {
			t.Errorf("problem = %+v", p)
		}
		rep, err = events.Import(ctx, s, f, events.Options{Actor: "p", SkipBad: true})
		if err != nil || rep.Result.Added != 3 {
			t.Fatalf("skip-bad import = %+v, %v", rep.Result, err)
		}
		list, _, _ := s.ListEvents(ctx, models.EventFilter{Limit: 10, Working: true})
		byKind := map[models.Kind]models.Event{}
		for _, e := range list {
			byKind[e.Kind] = e
		}
		d, _ := s.GetEvent(ctx, byKind[models.KindDispute].ID)
		if d.Summary != "Porters in dispute over  banding  & pay." && d.Summary != "Porters in dispute over banding & pay." {
			t.Errorf("Text not turned into plain text: %q", d.Summary)
		}
		if len(d.Sources) != 1 || d.Sources[0].URL != "https://example.org/ward7" || d.Sources[0].Title != "Porters announce dispute" || d.Sources[0].Publisher != "Example Trust News" {
			t.Errorf("Media not mapped to the source: %+v", d.Sources)
		}
		se := byKind[models.KindStrikeRound]
		st := se.Doc()
		if st.Start != "2026-03-16T07:00:00Z" || st.End != "2026-03-18T07:00:00Z" {
			t.Errorf("start/end from Year..Time = %q, %q", st.Start, st.End)
		}
	})
}

func TestCSVEncodings(t *testing.T) {
	text := "kind,title,start,sources,milestone_type\n" +
		"milestone,\"Nurses’ vote — £1,655 offer rejected\",2023-04-14,https://example.org/rcn,ballot_result\n"
	cp1252, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, data, enc string
	}{
		{"utf8", text, "UTF-8"},
		{"bom", "\xef\xbb\xbf" + text, "UTF-8 with BOM"},
		{"windows-1252", cp1252, "Windows-1252"},
	} {
		f, err := events.Parse(tc.name+".csv", strings.NewReader(tc.data))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if f.Encoding != tc.enc || len(f.Rows) != 1 {
			t.Fatalf("%s: encoding %q, %d rows", tc.name, f.Encoding, len(f.Rows))
		}
		doc, err := f.ImportRows()[0].Apply(models.EventDoc{})
		if err != nil || doc.Title != "Nurses’ vote — £1,655 offer rejected" || doc.Kind != models.KindMilestone {
			t.Errorf("%s: title %q, kind %q, %v", tc.name, doc.Title, doc.Kind, err)
		}
	}
}

func TestMissingColumnsRejectTheFile(t *testing.T) {
	_, err := events.Parse("x.csv", strings.NewReader("kind,title\nmilestone,x\n"))
	if err == nil || !strings.Contains(err.Error(), "start, sources") {
		t.Errorf("err = %v", err)
	}
}

// TestConcurrentImportsStoreOnce: two imports of the same file at once store
// what one after the other would: each record once.
func TestConcurrentImportsStoreOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		reps := make(chan *events.Report, 2)
		errs := make(chan error, 2)
		files := []*events.File{parseFile(t, "testdata/new_events.csv"), parseFile(t, "testdata/new_events.csv")}
		for _, f := range files {
			go func() {
				rep, err := events.Import(ctx, s, f, events.Options{Actor: "p"})
				reps <- rep
				errs <- err
			}()
		}
		added, unchanged := 0, 0
		for i := 0; i < 2; i++ {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
			r := (<-reps).Result
			added += r.Added
			unchanged += r.Unchanged
		}
		if n, _ := count(t, s); n != 3 || added != 3 || unchanged != 3 {
			t.Errorf("%d events stored, %d added, %d unchanged; want 3, 3, 3", n, added, unchanged)
		}
	})
}

// TestNeutralisedCellsReadBack: the quote a download puts before formula
// text, at the start or after a cell break, is taken off again; a
// start_time column gives a timed record's instant.
func TestNeutralisedCellsReadBack(t *testing.T) {
	csv := "kind,title,start,start_time,sources,summary,milestone_type\n" +
		"milestone,'=SUM(A1),2026-03-16,2026-03-16T07:00:00Z,https://example.org/a,\"x; '=1+1 and '-2\",ballot_result\n"
	f, err := events.Parse("n.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := f.ImportRows()[0].Apply(models.EventDoc{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "=SUM(A1)" || doc.Summary != "x; =1+1 and '-2" || doc.Start != "2026-03-16T07:00:00Z" {
		t.Errorf("title %q, summary %q, start %q", doc.Title, doc.Summary, doc.Start)
	}
	if len(f.Ignored) != 0 {
		t.Errorf("start_time reported as unused: %v", f.Ignored)
	}
}

// TestJSONArrayImports: a bare JSON array of records is read like our
// download's {"items": [...]}, lists as arrays, and unknown keys reported.
func TestJSONArrayImports(t *testing.T) {
	data := `[{"kind":"milestone","title":"Porters vote","start":"2026-03-09","milestone_type":"ballot_result",
	  "turnout_pct":61.5,"unions":["Unison","GMB"],"sources":[{"url":"https://example.org/v","publisher":"Trust"}],"colour":"red"}]`
	f, err := events.Parse("records.json", strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if f.Unit != "item" || len(f.Rows) != 1 || len(f.Ignored) != 1 || !strings.HasPrefix(f.Ignored[0], "colour") {
		t.Fatalf("unit %q, %d rows, ignored %v", f.Unit, len(f.Rows), f.Ignored)
	}
	doc, err := f.ImportRows()[0].Apply(models.EventDoc{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.TurnoutPct == nil || *doc.TurnoutPct != 61.5 || len(doc.Unions) != 2 || doc.Sources[0].Publisher != "Trust" {
		t.Errorf("doc = %+v", doc)
	}
}
