package app

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// TestImportPagesFitTheScreen opens the import list and a failed import's
// page, holding long file names, a long refusal message and a SHA-256,
// and the 1 October 2025 change's page with its online consultations by
// time of day, at 1280 and 390 px: none may be wider than the screen (the
// import list was 2,384 px wide), and axe finds no serious violation.
// Screenshots go to artifacts/screenshots.
func TestImportPagesFitTheScreen(t *testing.T) {
	chrome, axeJS := browserPrereqs(t)
	shots := filepath.Join("..", "artifacts", "screenshots")
	os.MkdirAll(shots, 0o755)
	s := testdb.New(t, models.SQLite)
	f, _ := newTestAppWith(t, s, fakeActivity{})
	if err := testdb.SQL(t, s).Model(&models.User{}).Where("email = ?", plannerEmail).Update("role", models.RoleAdmin).Error; err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	long := filepath.Join(dir, "Appointments_GP_Regional_CSV_Oct_25_Regional_CSV_Bath_and_North_East_Somerset_Swindon_and_Wiltshire.csv")
	os.WriteFile(long, []byte(strings.Repeat("SOME_COLUMN_OF_ANOTHER_PUBLICATION,", 60)+"X\n1\n"), 0o644)
	im := importers.New(s, importers.Options{Actor: "cli:analyst"})
	im.ImportPaths(context.Background(), []string{long}, importers.DefaultLimits)
	runs, err := im.ImportPaths(context.Background(), []string{"../importers/testdata/nhs/SDS_Role_CSV_Oct_25__00L_Oct2025_only__datawarp.csv"}, importers.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	failed := runs[0].ID - 1
	// The regulatory change's page with its by-time-of-day table.
	loadOCAroundOctober(t, s)
	evs, _, _ := s.ListEvents(context.Background(), models.EventFilter{Kinds: []models.Kind{models.KindRegulatoryChange}, Limit: 50})
	var reg int64
	for _, e := range evs {
		if e.StartAt.Format("2006-01") == "2025-10" {
			reg = e.ID
		}
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go f.Listener(ln)
	t.Cleanup(func() { f.ShutdownWithTimeout(5 * time.Second) })
	base := "http://" + ln.Addr().String()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	ctx, cancel := context.WithTimeout(bctx, 60*time.Second)
	defer cancel()
	do := func(step string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	do("login", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), plannerEmail), chromedp.SendKeys(chromedp.CSS("#password"), plannerPassword))
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("form.stack button[type=submit]"))); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int{1280, 390} {
		for name, path := range map[string]string{"imports": "/imports", "import-failed": fmt.Sprintf("/imports/%d", failed), "import-ok": fmt.Sprintf("/imports/%d", failed+1), "regulatory-change": fmt.Sprintf("/events/%d", reg)} {
			do(name, chromedp.EmulateViewport(int64(width), 900), chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("h1")))
			w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if err != nil || w > width {
				t.Errorf("%s at %d px is %d px wide (%v)", path, width, w, err)
			}
			script := string(axeJS) + `;
axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
  .filter(v => v.impact === "serious" || v.impact === "critical").map(v => v.id + ": " + v.help))`
			if bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](script, chromedp.EvalAwaitPromise)); err != nil || len(bad) > 0 {
				t.Errorf("axe on %s at %d px: %v %v", path, width, bad, err)
			}
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err == nil {
				os.WriteFile(filepath.Join(shots, fmt.Sprintf("15-%s-%d.png", name, width)), png, 0o644)
			}
		}
	}
}
