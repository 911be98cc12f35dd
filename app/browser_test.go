package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/app/svgchart"
	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/importers/gpadgen"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
	"github.com/strikeline/strikeline/reports/holidays"
)

// fakeActivity draws a weekday pattern with a dip on event days, so the
// browser test can look at a real chart.
type fakeActivity struct{}

func (fakeActivity) DailyTotals(_ context.Context, from, to time.Time, _ string) ([]svgchart.DayValue, error) {
	var out []svgchart.DayValue
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		v := 1_250_000.0
		switch d.Weekday() {
		case time.Saturday:
			v = 90_000
		case time.Sunday:
			v = 40_000
		case time.Monday:
			v = 1_450_000
		}
		out = append(out, svgchart.DayValue{Day: d, Value: v})
	}
	return out, nil
}

// browserPrereqs finds Chromium and reads axe-core; without them the test
// fails on CI and is skipped, saying why, elsewhere. -short skips it.
func browserPrereqs(t *testing.T) (chrome string, axeJS []byte) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chrome, err := exec.LookPath("chromium")
	if err != nil {
		missingTool(t, "browser test needs Debian's chromium (apt-get install chromium)")
	}
	axe, _ := filepath.Abs("testdata/axe/node_modules/axe-core/axe.min.js")
	if _, err := os.Stat(axe); err != nil {
		missingTool(t, "browser test needs axe-core: (cd app/testdata/axe && npm ci)")
	}
	if axeJS, err = os.ReadFile(axe); err != nil {
		t.Fatal(err)
	}
	return chrome, axeJS
}

// missingTool skips the test for want of a program, saying what to
// install, or fails it on CI, where .ci/run installs everything.
func missingTool(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// serveLoopback serves f on a free loopback port for the test and returns
// its base URL.
func serveLoopback(t *testing.T, f *fiber.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go f.Listener(ln)
	t.Cleanup(func() { f.ShutdownWithTimeout(5 * time.Second) })
	return "http://" + ln.Addr().String()
}

// startBrowser starts headless Chromium at 1280×900 for the test; its
// steps share budget. shot saves a full-page screenshot to
// artifacts/screenshots/NAME.png.
func startBrowser(t *testing.T, chrome string, budget time.Duration) (ctx context.Context, shot func(name string)) {
	t.Helper()
	shots := filepath.Join("..", "artifacts", "screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	// The first action starts the browser: it must not run under a timeout
	// (that would bound the browser's life); later steps share one budget.
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		cancelBrowser()
		cancelAlloc()
		t.Fatalf("starting chromium: %v", err)
	}
	ctx, cancel := context.WithTimeout(bctx, budget)
	t.Cleanup(func() { cancel(); cancelBrowser(); cancelAlloc() })
	shot = func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return ctx, shot
}

func TestBrowser(t *testing.T) {
	chrome, axeJS := browserPrereqs(t)
	s := testdb.New(t, models.SQLite)
	f, hostile := newTestAppWith(t, s, fakeActivity{})
	base := serveLoopback(t, f)
	ds, _, err := s.ListEvents(t.Context(), models.EventFilter{Kinds: []models.Kind{models.KindDispute}, Limit: 1})
	if err != nil || len(ds) == 0 {
		t.Fatal("no dispute in the seed")
	}

	ctx, shot := startBrowser(t, chrome, 180*time.Second)

	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	do := func(step string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	// submit clicks a button and waits for the page it loads.
	submit := func(step, sel string) {
		t.Helper()
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(css(sel))); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	// axe checks the page as it is; serious and critical violations fail.
	axe := func(page string) {
		t.Helper()
		script := string(axeJS) + `;
axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
  .filter(v => v.impact === "serious" || v.impact === "critical")
  .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))})))`
		out, err := chromedp.Run(ctx, chromedp.Evaluate[[]map[string]any](script, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("axe on %s: %v", page, err)
		}
		if len(out) > 0 {
			b, _ := json.MarshalIndent(out, "", "  ")
			t.Errorf("axe on %s: %d serious/critical violations:\n%s", page, len(out), b)
		}
	}

	// A journalist: the timeline, a filter, a record, a dispute.
	do("timeline", chromedp.Navigate(base+"/"), chromedp.WaitVisible(css("h1")))
	shot("01-timeline")
	axe("timeline")
	do("filter", chromedp.SetValue(css("#f-kind"), "strike_round"), chromedp.SetValue(css("#f-year"), "2025"))
	submit("filter", ".filters button[type=submit]")
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if got := text(".count"); !strings.Contains(loc, "kind=strike_round") || !strings.Contains(loc, "year=2025") || !strings.Contains(got, "match") {
		t.Errorf("filter: at %s, %q", loc, got)
	}
	shot("02-timeline-filtered")
	do("open record", chromedp.Navigate(fmt.Sprintf("%s/events/%d", base, hostile.ID)), chromedp.WaitVisible(css("#rec-h")))
	if got := text("#rec-h"); got != hostileTitle {
		t.Errorf("record title %q (markup must show as text)", got)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg.chart title").length`)); err != nil || n == 0 {
		t.Errorf("no accessible chart on the record page (%v)", err)
	}
	shot("03-event")
	axe("event")
	// Impact pages over imported generated activity: a strike round with a
	// 15% drop, a regulatory change with a 5% step, at desktop and phone
	// widths. The phone must not scroll sideways and the chart it shows
	// must be the narrow one.
	strike, change := importDemoActivity(t, s)
	for _, pg := range []struct {
		name string
		id   int64
	}{{"13-strike-impact", strike}, {"14-change-impact", change}} {
		for _, w := range []int{1280, 390} {
			do(pg.name, chromedp.EmulateViewport(int64(w), 900), chromedp.Navigate(fmt.Sprintf("%s/events/%d", base, pg.id)), chromedp.WaitVisible(css("#impact-h")))
			if got := text(".headline"); !strings.Contains(got, "expected") && !strings.Contains(got, "when the change came in") {
				t.Errorf("%s: headline %q", pg.name, got)
			}
			visible := ".chart-wide"
			if w < 700 {
				visible = ".chart-narrow"
				if sw, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || sw > w {
					t.Errorf("%s at %d px: page is %d px wide (%v)", pg.name, w, sw, err)
				}
			}
			// The smallest chart text as rendered on screen.
			px, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`Math.min(...[...document.querySelectorAll("`+visible+` text")].map(t => t.getBoundingClientRect().height).filter(h => h > 0))`))
			if err != nil || px < 11 {
				t.Errorf("%s at %d px: chart text %.1f px high (%v)", pg.name, w, px, err)
			}
			// Window labels clear of the y-axis title and of each other, as
			// the browser lays the text out.
			clash, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
				const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
				for (const svg of document.querySelectorAll("`+visible+`")) {
					const texts = [...svg.querySelectorAll("text.axis-label, text.window-label")];
					for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++)
						if (hit(texts[i].getBoundingClientRect(), texts[j].getBoundingClientRect())) return texts[i].textContent + " / " + texts[j].textContent;
				}
				return "";
			})()`))
			if err != nil || clash != "" {
				t.Errorf("%s at %d px: chart labels overlap: %s (%v)", pg.name, w, clash, err)
			}
			shot(fmt.Sprintf("%s-%d", pg.name, w))
			axe(fmt.Sprintf("%s at %d px", pg.name, w))
		}
	}
	// Rounds compared: the form, the dot-and-whisker chart and the table,
	// readable and without sideways scrolling on a phone (the table
	// scrolls in its own region).
	for _, w := range []int{1280, 390} {
		do("rounds", chromedp.EmulateViewport(int64(w), 900), chromedp.Navigate(base+"/impact?metric=attended"), chromedp.WaitVisible(css(".dot-chart")))
		if sw, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || sw > w {
			t.Errorf("/impact at %d px: page is %d px wide (%v)", w, sw, err)
		}
		px, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`Math.min(...[...document.querySelectorAll(".dot-chart text")].map(t => t.getBoundingClientRect().height).filter(h => h > 0))`))
		if err != nil || px < 11 {
			t.Errorf("/impact at %d px: chart text %.1f px high (%v)", w, px, err)
		}
		shot(fmt.Sprintf("16-rounds-compared-%d", w))
		axe(fmt.Sprintf("/impact at %d px", w))
	}
	do("every day", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(fmt.Sprintf("%s/events/%d?days=all", base, strike)), chromedp.WaitVisible(css("#impact-h")))
	shot("15-strike-impact-all-days-1280")
	do("back to desktop", chromedp.EmulateViewport(1280, 900))

	do("dispute", chromedp.Navigate(fmt.Sprintf("%s/disputes/%d", base, ds[0].ID)), chromedp.WaitVisible(css("#story-h")))
	shot("04-dispute")
	axe("dispute")
	do("404", chromedp.Navigate(base+"/events/999999"), chromedp.WaitVisible(css("h1")))
	axe("error")

	// A planner: log in (proves the form post and its CSRF cookie work in a
	// real browser), create a strike round through the form, find it.
	do("login page", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(css("#email")))
	shot("05-login")
	axe("login")
	do("login", chromedp.SendKeys(css("#email"), plannerEmail), chromedp.SendKeys(css("#password"), plannerPassword))
	submit("login", "form.stack button[type=submit]")
	do("logged in", chromedp.WaitVisible(css("header .who")))
	do("new form", chromedp.Navigate(base+"/events/new?kind=strike_round"), chromedp.WaitVisible(css("#title")))
	shot("06-form")
	axe("form")
	do("invalid", chromedp.SendKeys(css("#source_url_0"), "not a url"))
	submit("invalid submit", "button[value=save]")
	do("errors", chromedp.WaitVisible(css(".error-summary")))
	shot("07-form-errors")
	axe("form with errors")
	title := "Browser-made strike round"
	do("fill", chromedp.SetValue(css("#title"), title), chromedp.SetValue(css("#start"), "2026-01-12T07:00"),
		chromedp.SetValue(css("#end"), "2026-01-17T07:00"), chromedp.SetValue(css("#staff_group"), "resident_doctors"),
		chromedp.SetValue(css("#action_type"), "full_walkout"), chromedp.SetValue(css("#source_url_0"), "https://www.bma.org.uk/news"))
	submit("valid submit", "button[value=save]")
	do("created", chromedp.WaitVisible(css("#rec-h")))
	if got := text("#rec-h"); got != title {
		t.Fatalf("after create, page title %q", got)
	}
	do("find on timeline", chromedp.Navigate(base+"/?q=browser-made"), chromedp.WaitVisible(css(".items")))
	if got := text(".items"); !strings.Contains(got, title) {
		t.Errorf("new record not on the timeline: %q", got)
	}
	shot("08-timeline-planner")
	do("history", chromedp.Navigate(fmt.Sprintf("%s/events/%d/history", base, hostile.ID)), chromedp.WaitVisible(css(".history")))
	shot("09-history")
	axe("history")

	// The analyst pages, as an admin (the same signed-in user, promoted in
	// the database; the session stays valid).
	if err := testdb.SQL(t, s).Model(&models.User{}).Where("email = ?", plannerEmail).Update("role", models.RoleAdmin).Error; err != nil {
		t.Fatal(err)
	}
	do("imports", chromedp.Navigate(base+"/imports"), chromedp.WaitVisible(css("#file")))
	shot("11-imports")
	axe("imports")
	do("reports", chromedp.Navigate(base+"/reports"), chromedp.WaitVisible(css("#event")))
	shot("12-reports")
	axe("reports")

	// An editor (the admin may do what editors do): the review queue, a
	// publish from it, a correction with a public note, a withdrawal from
	// the record page; then what the public sees of each.
	made, _, err := s.ListEvents(t.Context(), models.EventFilter{Working: true, Query: "browser-made"})
	if err != nil || len(made) != 1 {
		t.Fatalf("browser-made record: %v %v", made, err)
	}
	mid := made[0].ID
	do("review", chromedp.Navigate(base+"/review"), chromedp.WaitVisible(css(".review-item")))
	shot("20-review-queue")
	axe("review queue")
	submit("publish from the queue", fmt.Sprintf(`form[action="/events/%d/publish"] button`, mid))
	do("queue after publish", chromedp.WaitVisible(css("h1")))
	if got := text("main"); strings.Contains(got, title) {
		t.Errorf("published record still in the queue")
	}
	do("edit", chromedp.Navigate(fmt.Sprintf("%s/events/%d/edit", base, mid)), chromedp.WaitVisible(css("#title")),
		chromedp.SetValue(css("#end"), "2026-01-18T07:00"))
	submit("save revision", "button[value=save]")
	do("record with a pending revision", chromedp.WaitVisible(css(".editorial")))
	shot("21-pending-revision")
	axe("record with a pending revision")
	do("note", chromedp.SetValue(css(fmt.Sprintf("#note-%d", mid)), "The round was extended by a day: it ends at 07:00 on 18 January."))
	submit("publish the correction", fmt.Sprintf(`form[action="/events/%d/publish"] button`, mid))
	wid := ds[0].ID
	do("record to withdraw", chromedp.Navigate(fmt.Sprintf("%s/events/%d", base, wid)), chromedp.WaitVisible(css(".editorial")),
		chromedp.SetValue(css(fmt.Sprintf("#reason-%d", wid)), "This dispute was entered twice; see the other record."))
	submit("withdraw", fmt.Sprintf(`form[action="/events/%d/withdraw"] button`, wid))
	submit("log out", "header form button")
	do("public corrected record", chromedp.Navigate(fmt.Sprintf("%s/events/%d", base, mid)), chromedp.WaitVisible(css(".correction")))
	if got := text(".correction"); !strings.Contains(got, "Corrected on") || !strings.Contains(got, "extended by a day") {
		t.Errorf("correction line %q", got)
	}
	shot("22-corrected-record")
	axe("corrected record")
	do("public withdrawn record", chromedp.Navigate(fmt.Sprintf("%s/events/%d", base, wid)), chromedp.WaitVisible(css("#gone-h")))
	if got := text(".correction"); !strings.Contains(got, "entered twice") {
		t.Errorf("withdrawal line %q", got)
	}
	shot("23-withdrawn-record")
	axe("withdrawn record")
	do("corrections", chromedp.Navigate(base+"/corrections"), chromedp.WaitVisible(css(".corrections")))
	shot("24-corrections")
	axe("corrections")
	do("changes", chromedp.Navigate(base+"/changes?since=1"), chromedp.WaitVisible(css(".changes")))
	shot("25-changes")
	axe("changes")
	do("phone record", chromedp.EmulateViewport(390, 844), chromedp.Navigate(fmt.Sprintf("%s/events/%d", base, mid)), chromedp.WaitVisible(css(".correction")))
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 390 {
		t.Errorf("phone record page is %d px wide (%v)", w, err)
	}
	shot("26-corrected-record-phone")
	do("desktop again", chromedp.EmulateViewport(1280, 900))

	// A phone-sized screen: the layout must reflow, not scroll sideways.
	do("phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/?kind=strike_round&year=2025"), chromedp.WaitVisible(css(".items")))
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 390 {
		t.Errorf("phone layout is %d px wide (%v)", w, err)
	}
	shot("10-timeline-phone")
}

// importDemoActivity imports two years of generated national activity (a
// few areas, realistic weekday and holiday shape) with a 15% drop during a
// July 2025 strike and a 5% step from June 2025, and records both events.
func importDemoActivity(t testing.TB, s *models.Store) (strike, change int64) {
	t.Helper()
	ctx := context.Background()
	var months []time.Time
	for m := time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC); m.Before(time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)); m = m.AddDate(0, 1, 0) {
		months = append(months, m)
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	path := filepath.Join(t.TempDir(), "demo.csv")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = gpadgen.Write(fh, gpadgen.Options{Months: months, SubICBs: 3, Combos: 40, Seed: 12,
		Profile: gpadgen.Realistic(holidays.IsBankHoliday,
			gpadgen.DropWindow{From: day(2025, 7, 25), To: day(2025, 7, 29), Fraction: 0.15},
			gpadgen.DropWindow{From: day(2025, 6, 2), To: day(2025, 9, 30), Fraction: -0.05})})
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := importers.New(s, importers.Options{}).ImportPaths(ctx, []string{path}, importers.DefaultLimits); err != nil {
		t.Fatalf("importing generated activity: %v", err)
	}
	e, err := s.CreateEvent(ctx, "test", models.EventDoc{Kind: models.KindStrikeRound, Title: "Resident doctors' strike, 25–30 July 2025",
		Start: "2025-07-25T07:00", End: "2025-07-30T07:00", StaffGroup: "resident_doctors", ActionType: "full_walkout", Unions: []string{"BMA"},
		Figures: []models.Figure{{Metric: "appointments_rescheduled", Value: 54_337, SourceURL: "https://www.england.nhs.uk/"},
			{Metric: "staff_absent_peak", Value: 20_000, SourceURL: "https://www.england.nhs.uk/"}},
		Sources: []models.Source{{URL: "https://www.bma.org.uk/", Title: "BMA"}}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.CreateEvent(ctx, "test", models.EventDoc{Kind: models.KindRegulatoryChange, Title: "GP contract change: more same-day appointments, June 2025",
		Start: "2025-06-02", Body: "NHS England", Instrument: "contract", SPCRebase: true,
		Sources: []models.Source{{URL: "https://www.england.nhs.uk/", Title: "NHS England"}}})
	if err != nil {
		t.Fatal(err)
	}
	// New records are drafts; the impact pages are the public's.
	for _, id := range []int64{e.ID, c.ID} {
		if _, err := s.Publish(ctx, "editor", id, models.PublishInput{}); err != nil {
			t.Fatal(err)
		}
	}
	return e.ID, c.ID
}
