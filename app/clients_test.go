package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// The tests in this file open the downloads in the programs people use
// them with: Python's icalendar, ical.js and node-ical for the calendar,
// feedparser for the feed, openpyxl for the workbook, LibreOffice for the
// CSV, promtool for /metrics and TimelineJS in Chromium for the timeline.
// Each is skipped, saying what to install, when its program is missing,
// and fails instead under CI=true (.ci/run installs them all).

// debianPython is Debian's python3 with the given modules importable.
func debianPython(t *testing.T, modules, pkgs string) string {
	t.Helper()
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import "+modules).Run(); err != nil {
		missingTool(t, fmt.Sprintf("needs %s for %s (apt-get install %s)", py, modules, pkgs))
	}
	return py
}

// clientModules is where npm ci puts the JavaScript clients.
func clientModules(t *testing.T) string {
	t.Helper()
	dir, _ := filepath.Abs("testdata/clients/node_modules")
	if _, err := os.Stat(filepath.Join(dir, "@knight-lab", "timelinejs", "dist", "js", "timeline.js")); err != nil {
		missingTool(t, "needs the JavaScript clients: (cd app/testdata/clients && npm ci)")
	}
	if _, err := exec.LookPath("node"); err != nil {
		missingTool(t, "needs node (apt-get install nodejs)")
	}
	return dir
}

// trickyTitle and trickySummary carry what a calendar, a feed or a
// spreadsheet mangles first: markup, ampersands, iCalendar's separators,
// a backslash, a non-ASCII currency sign, a line break and length enough to
// fold.
const (
	trickyTitle   = `Pay & conditions <review>; "phase 2", a\b — £5`
	trickySummary = "Talks resume; <b>not</b> bold & not a tag.\nSecond line, with commas, semicolons; and a long tail that makes the property fold at seventy-five octets £££."
)

// clientFixture is an app with the seed, the hostile record and a tricky
// one, and the strike rounds the calendar should hold.
func clientFixture(t *testing.T) (*models.Store, *client, []models.Event) {
	t.Helper()
	s := testdb.New(t, models.SQLite)
	f, _ := newTestAppWith(t, s, fakeActivity{})
	e, err := s.CreateEvent(t.Context(), "test", models.EventDoc{Kind: models.KindStrikeRound, Title: trickyTitle, Summary: trickySummary,
		Start: "2026-03-02", End: "2026-03-04", StaffGroup: "nurses", ActionType: "full_walkout", Unions: []string{"RCN"},
		Sources: []models.Source{{URL: "https://www.rcn.org.uk/", Title: "RCN"}}})
	if err != nil {
		t.Fatal(err)
	}
	// The clients read the public downloads: publish it.
	if _, err := s.Publish(t.Context(), "editor@example.org", e.ID, models.PublishInput{}); err != nil {
		t.Fatal(err)
	}
	rounds, _, err := s.ListEvents(t.Context(), models.EventFilter{Kinds: []models.Kind{models.KindStrikeRound}, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return s, newClient(t, f), rounds
}

// download saves a download to a temporary file.
func download(t *testing.T, c *client, target, name string) string {
	t.Helper()
	res, body := c.get(target)
	if res.StatusCode != 200 {
		t.Fatalf("%s: %d", target, res.StatusCode)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// runJSON runs a client program and decodes the JSON it prints.
func runJSON(t *testing.T, out any, env []string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, stderr.String())
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("%s output: %v\n%.500s", name, err, b)
	}
}

// icsEvent is one VEVENT as each parser reports it.
type icsEvent struct {
	UID         string `json:"uid"`
	Summary     string `json:"summary"`
	Description string `json:"description"`
	AllDay      bool   `json:"all_day"`
	Start       string `json:"start"`
	End         string `json:"end"`
	Status      string `json:"status"`
	Sequence    int    `json:"sequence"`
}

// wantICS is what the API says each strike round is, in the parsers'
// terms: all-day rounds end the day after their last day.
func wantICS(rounds []models.Event) map[string]icsEvent {
	out := map[string]icsEvent{}
	for _, e := range rounds {
		w := icsEvent{UID: fmt.Sprintf("event-%d@strikeline.invalid", e.ID), Summary: e.Title, AllDay: e.AllDay,
			Status: "CONFIRMED", Sequence: e.Version}
		if e.AllDay {
			last := e.StartAt
			if e.EndAt != nil {
				last = *e.EndAt
			}
			w.Start, w.End = e.StartAt.UTC().Format(time.DateOnly), last.UTC().AddDate(0, 0, 1).Format(time.DateOnly)
		} else {
			end := e.StartAt.Add(24 * time.Hour)
			if e.EndAt != nil {
				end = *e.EndAt
			}
			w.Start, w.End = e.StartAt.UTC().Format("2006-01-02T15:04:05Z"), end.UTC().Format("2006-01-02T15:04:05Z")
		}
		out[w.UID] = w
	}
	return out
}

func TestClientsICSParsersAgreeWithAPI(t *testing.T) {
	py := debianPython(t, "icalendar", "python3-icalendar")
	mods := clientModules(t)
	_, c, rounds := clientFixture(t)
	path := download(t, c, "/strikes.ics", "strikes.ics")

	var pyOut struct {
		Events  []icsEvent `json:"icalendar"`
		CalName string     `json:"calname"`
		Errors  []string   `json:"errors"`
	}
	runJSON(t, &pyOut, nil, py, "testdata/clients/ics_python.py", path)
	var jsOut map[string][]icsEvent
	runJSON(t, &jsOut, []string{"TZ=UTC", "NODE_PATH=" + mods}, "node", "testdata/clients/ics_node.mjs", path)
	if pyOut.CalName != calendarName || len(pyOut.Errors) > 0 {
		t.Errorf("icalendar: calendar name %q, errors %v", pyOut.CalName, pyOut.Errors)
	}
	want := wantICS(rounds)
	parsers := map[string][]icsEvent{"icalendar": pyOut.Events, "ical.js": jsOut["ical.js"], "node-ical": jsOut["node-ical"]}
	for name, got := range parsers {
		if len(got) != len(want) {
			t.Errorf("%s: %d events, want %d", name, len(got), len(want))
		}
		for _, ev := range got {
			w, ok := want[ev.UID]
			if !ok {
				t.Errorf("%s: unknown UID %q", name, ev.UID)
				continue
			}
			desc := ev.Description
			ev.Description = ""
			if ev != w {
				t.Errorf("%s read\n  %+v\nthe API says\n  %+v", name, ev, w)
			}
			if w.Summary == trickyTitle && !strings.HasPrefix(desc, trickySummary) {
				t.Errorf("%s: description %q lost text", name, desc)
			}
		}
	}
}

func TestClientsFeedparser(t *testing.T) {
	py := debianPython(t, "feedparser", "python3-feedparser")
	_, c, _ := clientFixture(t)
	var out struct {
		Bozo          bool   `json:"bozo"`
		BozoException string `json:"bozo_exception"`
		Version       string `json:"version"`
		Feed          struct {
			ID     string   `json:"id"`
			Author string   `json:"author"`
			Self   []string `json:"self"`
		} `json:"feed"`
		Entries []struct {
			Title       string `json:"title"`
			Summary     string `json:"summary"`
			SummaryType string `json:"summary_type"`
		} `json:"entries"`
	}
	for _, target := range []string{"/feed.atom", "/feed.atom?kind=strike_round", "/feed.atom?q=nothing+matches"} {
		runJSON(t, &out, nil, py, "testdata/clients/feed_python.py", download(t, c, target, "feed.atom"))
		if out.Bozo || out.Version != "atom10" || out.Feed.Author == "" || len(out.Feed.Self) != 1 || out.Feed.ID == "" {
			t.Errorf("%s: bozo %v (%s), version %q, author %q, self %v", target, out.Bozo, out.BozoException, out.Version, out.Feed.Author, out.Feed.Self)
		}
	}
	runJSON(t, &out, nil, py, "testdata/clients/feed_python.py", download(t, c, "/feed.atom", "feed.atom"))
	found := false
	for _, e := range out.Entries {
		if strings.HasSuffix(e.Title, trickyTitle) {
			found = true
			if e.SummaryType != "text/plain" || !strings.Contains(e.Summary, "Talks resume; <b>not</b> bold & not a tag.") {
				t.Errorf("summary (%s) lost < or &: %q", e.SummaryType, e.Summary)
			}
		}
	}
	if !found {
		t.Errorf("no entry titled %q: < and & must survive", trickyTitle)
	}
}

func TestClientsOpenpyxlReadOnly(t *testing.T) {
	py := debianPython(t, "openpyxl", "python3-openpyxl")
	s, c, _ := clientFixture(t)
	_, total, err := s.ListEvents(t.Context(), models.EventFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	type cell struct {
		Type     string `json:"type"`
		Value    any    `json:"value"`
		DataType string `json:"data_type"`
	}
	var out struct {
		MaxRow int      `json:"max_row"`
		Rows   [][]cell `json:"rows"`
	}
	runJSON(t, &out, nil, py, "testdata/clients/xlsx_python.py", download(t, c, "/timeline.xlsx", "timeline.xlsx"))
	if int64(len(out.Rows)) != total+1 || int64(out.MaxRow) != total+1 {
		t.Fatalf("read-only openpyxl sees %d rows (max_row %d), want %d", len(out.Rows), out.MaxRow, total+1)
	}
	col := map[string]int{}
	for i, h := range out.Rows[0] {
		col[fmt.Sprint(h.Value)] = i
	}
	for _, r := range out.Rows[1:] {
		if r[col["id"]].Type != "int" || r[col["version"]].Type != "int" || r[col["start"]].Type != "datetime" || r[col["updated_at"]].Type != "datetime" {
			t.Errorf("types: id %s, version %s, start %s, updated_at %s", r[col["id"]].Type, r[col["version"]].Type, r[col["start"]].Type, r[col["updated_at"]].Type)
		}
		for _, x := range r {
			if x.DataType == "f" {
				t.Errorf("formula cell %v", x.Value)
			}
		}
		if r[col["title"]].Value == hostileTitle {
			if r[col["summary"]].Value != `=HYPERLINK("http://evil.example")` || r[col["summary"]].DataType != "s" {
				t.Errorf("summary %+v: want the text as written, a string cell", r[col["summary"]])
			}
			if r[col["start_time"]].Value != "2025-11-14T07:00:00" || r[col["start"]].Value != "2025-11-14T00:00:00" {
				t.Errorf("start %v, start_time %v: want London dates", r[col["start"]].Value, r[col["start_time"]].Value)
			}
		}
	}
}

// TestClientsLibreOfficeCSV opens /timeline.csv in LibreOffice with comma,
// semicolon and every separator at once, formulas evaluated, and checks
// that no cell became a formula: text that could start one anywhere a
// cell can start is neutralised (issue 11).
func TestClientsLibreOfficeCSV(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice test skipped in -short mode")
	}
	lo, err := exec.LookPath("libreoffice")
	if err != nil {
		missingTool(t, "needs LibreOffice (apt-get install libreoffice-calc)")
	}
	s := testdb.New(t, models.SQLite)
	f, _ := newTestApp(t, s)
	hostile := []string{";=1+1", "x;=2+2", "a,=3+3", "line\n=4+4", "crlf\r\n+6+6", "tab\t-7+7", "bar|@SUM(8)", " =9+9", "=10+10", "+11", "-12+1", "@SUM(13)", "\t=14"}
	ctx := t.Context()
	for i, h := range hostile {
		e, err := s.CreateEvent(ctx, "test", models.EventDoc{Kind: models.KindMilestone, Title: fmt.Sprintf("Hostile %d %s", i, strings.TrimSpace(strings.Map(func(r rune) rune {
			if r < 0x20 {
				return ' '
			}
			return r
		}, h))), Summary: h, Start: "2025-01-01", MilestoneType: "ballot_opened", Sources: []models.Source{{URL: "https://example.org/" + fmt.Sprint(i)}}})
		if err != nil {
			t.Fatalf("record %q: %v", h, err)
		}
		// Downloads hold published records only.
		if _, err := s.Publish(ctx, "editor@example.org", e.ID, models.PublishInput{}); err != nil {
			t.Fatal(err)
		}
	}
	c := newClient(t, f)
	path := download(t, c, "/timeline.csv", "timeline.csv")
	raw, _ := os.ReadFile(path)
	if n := strings.Count(string(raw), "=1+1"); n == 0 {
		t.Fatal("the hostile text is not in the CSV")
	}
	profile := t.TempDir()
	for _, sep := range []struct{ name, code string }{{"comma", "44"}, {"semicolon", "59"}, {"all", "44/59/9/124"}} {
		outDir := t.TempDir()
		// CSV filter options: separators, quote ("), UTF-8, from line 1,
		// default columns, default language, quoted fields not forced to
		// text, special numbers detected, …, formulas evaluated.
		cmd := exec.Command(lo, "-env:UserInstallation=file://"+profile, "--headless", "--infilter=CSV:"+sep.code+",34,76,1,,0,false,true,false,false,false,0,true",
			"--convert-to", "xlsx", "--outdir", outDir, path)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("libreoffice (%s): %v\n%s", sep.name, err, out)
		}
		x, err := excelize.OpenFile(filepath.Join(outDir, "timeline.xlsx"))
		if err != nil {
			t.Fatalf("%s: %v", sep.name, err)
		}
		rows, err := x.GetRows(x.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		formulas := 0
		for r, row := range rows {
			for cIdx := range row {
				cell, _ := excelize.CoordinatesToCellName(cIdx+1, r+1)
				if fm, _ := x.GetCellFormula(x.GetSheetName(0), cell); fm != "" {
					formulas++
					if formulas <= 5 {
						t.Errorf("%s: %s is the formula %q", sep.name, cell, fm)
					}
				}
			}
		}
		if formulas > 0 {
			t.Errorf("%s: %d formula cells", sep.name, formulas)
		}
		x.Close()
	}
}

// TestClientsPromtool checks /metrics with promtool check metrics.
func TestClientsPromtool(t *testing.T) {
	pt, err := exec.LookPath("promtool")
	if err != nil {
		missingTool(t, "needs promtool (apt-get install prometheus)")
	}
	_, c, _ := clientFixture(t)
	c.get("/timeline.csv") // some traffic, so the request metrics have series
	c.get("/api/v1/timeline")
	res, body := c.get("/metrics")
	if res.StatusCode != 200 {
		t.Fatalf("/metrics: %d", res.StatusCode)
	}
	cmd := exec.Command(pt, "check", "metrics")
	cmd.Stdin = strings.NewReader(body)
	if out, err := cmd.CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

// TestClientsTimelineJSCrossOrigin loads TimelineJS on a page of another
// origin (a second loopback port, like a newsroom's site) pointing at
// /timeline-js.json, and checks in headless Chromium that it renders a
// slide for every record. The same foreign page frames an embed card.
// Screenshots go to artifacts/screenshots.
func TestClientsTimelineJSCrossOrigin(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chrome, err := exec.LookPath("chromium")
	if err != nil {
		missingTool(t, "needs Debian's chromium (apt-get install chromium)")
	}
	mods := clientModules(t)
	s := testdb.New(t, models.SQLite)
	f, hostile := newTestAppWith(t, s, fakeActivity{})
	// Imported activity with a strike in it, so an embed card shows a
	// measured effect.
	strike, _ := importDemoActivity(t, s)
	api := serveLoopback(t, f)

	// The newsroom: another port, so another origin. Its page is its own
	// and may run inline script; TimelineJS comes from its npm package.
	mux := http.NewServeMux()
	mux.Handle("/tl/", http.StripPrefix("/tl/", http.FileServer(http.Dir(filepath.Join(mods, "@knight-lab", "timelinejs", "dist")))))
	mux.HandleFunc("/timeline.html", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Newsroom timeline</title>
<link rel="stylesheet" href="/tl/css/timeline.css"><script src="/tl/js/timeline.js"></script></head>
<body style="margin:0;font-family:sans-serif"><h1 style="margin:8px">The Daily Example: NHS strikes</h1>
<div id="timeline-embed" style="width:100%%;height:640px"></div>
<script>window.tlErrors = []; window.timeline = new TL.Timeline("timeline-embed", %q, {font: null, hash_bookmark: false});
window.timeline.on("dataloaded", function () { window.tlLoaded = true; });
window.addEventListener("error", function (e) { window.tlErrors.push(String(e.message)); });</script></body></html>`, api+"/timeline-js.json")
	})
	mux.HandleFunc("/article.html", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Newsroom article</title></head>
<body style="margin:0 auto;max-width:720px;padding:16px;font-family:Georgia,serif;line-height:1.5">
<h1>Doctors walk out again</h1><p>Resident doctors in England began a five-day strike on Friday. The record below is kept by Strikeline.</p>
%s
<p>The rest of the article continues here.</p></body></html>`, embedSnippet(api, strike))
	})
	news := &http.Server{Handler: mux}
	nln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go news.Serve(nln)
	t.Cleanup(func() { news.Close() })
	newsroom := "http://" + nln.Addr().String()

	ctx, shot := startBrowser(t, chrome, 90*time.Second)

	_, total, err := s.ListEvents(t.Context(), models.EventFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(newsroom+"/timeline.html")); err != nil {
		t.Fatal(err)
	}
	// TimelineJS makes one slide per event plus the title slide.
	n, err := chromedp.Run(ctx, chromedp.Poll[int](fmt.Sprintf(`(document.querySelectorAll(".tl-slide").length >= %d) && document.querySelectorAll(".tl-slide").length`, total+1),
		chromedp.WithPollingTimeout(45*time.Second)))
	if err != nil {
		errs, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.tlErrors.concat(Array.from(document.querySelectorAll(".tl-message-content")).map(e => e.textContent))`))
		t.Fatalf("TimelineJS did not render %d slides from %s: %v (page errors %v)", total+1, api, err, errs)
	}
	headlines, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".tl-slide-content .tl-headline")).map(h => h.textContent.trim())`))
	if err != nil {
		t.Fatal(err)
	}
	events, _, _ := s.ListEvents(t.Context(), models.EventFilter{Limit: 1000})
	want := []string{"NHS industrial action"}
	for _, e := range events {
		want = append(want, e.Title)
	}
	sort.Strings(want)
	sort.Strings(headlines)
	if n != int(total)+1 || strings.Join(headlines, "\n") != strings.Join(want, "\n") {
		t.Errorf("TimelineJS rendered %d slides with headlines\n%q\nwant\n%q", n, headlines, want)
	}
	// Go to the hostile record's slide, so the screenshot shows text that
	// would be markup if it were not escaped.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`window.timeline.goToId("event-%d")`, hostile.ID)), chromedp.Sleep(1500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	shot("20-timelinejs-cross-origin")

	for _, width := range []int64{1280, 390} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(newsroom+"/article.html"), chromedp.Sleep(1500*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		frames, err := chromedp.Run(ctx, childFrameURLs)
		if err != nil {
			t.Fatal(err)
		}
		embedURL := fmt.Sprintf("%s/embed/events/%d", api, strike)
		if len(frames) != 1 || frames[0] != embedURL {
			t.Errorf("the foreign page's iframe shows %v, want %s (blocked from framing?)", frames, embedURL)
		}
		shot(fmt.Sprintf("21-embed-in-foreign-page-%d", width))
	}

	// The card on its own, at the snippet's largest width.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(640, 900), chromedp.Navigate(fmt.Sprintf("%s/embed/events/%d", api, strike)),
		chromedp.WaitVisible(chromedp.CSS(".card"))); err != nil {
		t.Fatal(err)
	}
	if h, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Math.ceil(document.querySelector(".card").getBoundingClientRect().bottom)`)); err != nil || h > embedHeight {
		t.Errorf("the card is %d px tall at 640 px, more than the snippet's %d (%v)", h, embedHeight, err)
	}
	shot("25-embed-card-640")

	// The timeline card, as a narrow iframe would show it.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 900), chromedp.Navigate(api+"/embed/timeline?kind=strike_round"),
		chromedp.WaitVisible(chromedp.CSS(".items"))); err != nil {
		t.Fatal(err)
	}
	shot("24-embed-timeline-390")

	// The record page offers the snippet the article above pasted.
	for _, width := range []int64{1280, 390} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(fmt.Sprintf("%s/events/%d", api, hostile.ID)),
			chromedp.WaitVisible(chromedp.CSS("details.embed")), chromedp.Evaluate[chromedp.Void](`document.querySelector("details.embed").open = true`)); err != nil {
			t.Fatal(err)
		}
		snippet, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#embed-code").value`))
		if err != nil || snippet != embedSnippet(webTestConfig.BaseURL, hostile.ID) {
			t.Errorf("snippet on the record page %q (%v)", snippet, err)
		}
		shot(fmt.Sprintf("23-event-embed-snippet-%d", width))
	}

	// The API docs page: Swagger UI from the binary, under the site's CSP.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(api+"/api/docs")); err != nil {
		t.Fatal(err)
	}
	ops, err := chromedp.Run(ctx, chromedp.Poll[int](`document.querySelectorAll(".opblock").length > 20 && document.querySelectorAll(".opblock").length`,
		chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		t.Fatalf("Swagger UI did not render the operations on /api/docs: %v", err)
	}
	if ops < 40 {
		t.Errorf("/api/docs shows %d operations", ops)
	}
	shot("22-api-docs")
}

// childFrameURLs lists the URLs the page's iframes show; a frame the
// browser refused to load shows chrome-error://.
func childFrameURLs(ctx context.Context, t *chromedp.Target) ([]string, error) {
	var res struct {
		FrameTree struct {
			ChildFrames []struct {
				Frame struct {
					URL            string `json:"url"`
					UnreachableURL string `json:"unreachableUrl"`
				} `json:"frame"`
			} `json:"childFrames"`
		} `json:"frameTree"`
	}
	if err := t.Call(ctx, "Page.getFrameTree", struct{}{}, &res); err != nil {
		return nil, err
	}
	var out []string
	for _, f := range res.FrameTree.ChildFrames {
		u := f.Frame.URL
		if f.Frame.UnreachableURL != "" {
			u = "unreachable: " + f.Frame.UnreachableURL
		}
		out = append(out, u)
	}
	return out, nil
}
