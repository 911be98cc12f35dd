package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
	"github.com/strikeline/strikeline/reports/impact"
)

const ocDayTimeSample = "../importers/testdata/nhs/OC_Submissions_By_Day_and_Time__Aug25__00L_only__datawarp.csv"

// loadOCAroundOctober imports the real August 2025 by-day-and-time file
// and an October one made from it with every 08:00 - 09:59 figure halved
// (requests spreading out of the morning rush); it returns the share of
// that band in each month, computed over the files themselves.
func loadOCAroundOctober(t *testing.T, s *models.Store) (aug, oct float64) {
	b, err := os.ReadFile(ocDayTimeSample)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var out []string
	var augBand, augAll, octBand, octAll float64
	for i, l := range lines {
		if i == 0 {
			out = append(out, strings.TrimRight(l, "\r"))
			continue
		}
		f := strings.Split(strings.TrimRight(l, "\r"), ",")
		v, err := strconv.Atoi(f[len(f)-1])
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		augAll += float64(v)
		morning := f[len(f)-2] == "08:00 - 09:59"
		if morning {
			augBand += float64(v)
			v /= 2
		}
		octAll += float64(v)
		if morning {
			octBand += float64(v)
		}
		f[0], f[len(f)-1] = "2025-10-01", strconv.Itoa(v)
		out = append(out, strings.Join(f, ","))
	}
	p := filepath.Join(t.TempDir(), "OC_Submissions_By_Day_and_Time_Oct25.csv")
	os.WriteFile(p, []byte(strings.Join(out, "\n")+"\n"), 0o644)
	if _, err := importers.New(s, importers.Options{}).ImportPaths(context.Background(), []string{ocDayTimeSample, p}, importers.DefaultLimits); err != nil {
		t.Fatal(err)
	}
	return 100 * augBand / augAll, 100 * octBand / octAll
}

// The page of the 1 October 2025 change shows when in the day online
// consultations were submitted before and after it.
func TestRegulatoryChangeShowsOCByTimeOfDay(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, _ := newTestAppWith(t, s, fakeActivity{})
		aug, oct := loadOCAroundOctober(t, s)
		evs, _, err := s.ListEvents(context.Background(), models.EventFilter{Kinds: []models.Kind{models.KindRegulatoryChange}, Limit: 50})
		if err != nil || len(evs) == 0 {
			t.Fatal("no regulatory change in the seed")
		}
		var id int64
		for _, e := range evs {
			if e.StartAt.Format("2006-01") == "2025-10" {
				id = e.ID
			}
		}
		if id == 0 {
			t.Fatal("no 1 October 2025 change in the seed")
		}
		resp, err := f.Test(httptest.NewRequest("GET", fmt.Sprintf("/events/%d", id), nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		page := string(body)
		want := fmt.Sprintf("<th scope=\"row\">08:00 - 09:59</th><td>%.1f%%</td><td>%.1f%%</td>", aug, oct)
		if resp.StatusCode != 200 || !strings.Contains(page, "Online consultations by time of day") || !strings.Contains(page, want) ||
			!strings.Contains(page, "<th scope=\"col\">Aug 2025</th><th scope=\"col\">Oct 2025</th>") {
			t.Fatalf("page lacks %s", want)
		}
	})
}

// coveredSource adds GP coverage to droppedSource: June fully covered,
// July at julyPercent of patients.
type coveredSource struct {
	droppedSource
	julyPercent int64
}

func (c coveredSource) Coverage(_ context.Context, _ string, from, to time.Time) ([]models.CoverageMonth, error) {
	return []models.CoverageMonth{
		{Month: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), IncludedPatients: 1000, OpenPatients: 1000},
		{Month: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC), IncludedPatients: c.julyPercent * 10, OpenPatients: 1000},
	}, nil
}

// A strike round's page warns when the GP coverage of its baseline and
// window differ by more than a point, and only then.
func TestEventPageWarnsOfCoverage(t *testing.T) {
	ctx := context.Background()
	strike := impact.Range(impact.Date(2025, 7, 25), impact.Date(2025, 7, 29))
	for pct, warn := range map[int64]bool{95: true, 100: false} {
		// A database each: the fake source changes the data without an
		// import, which stored impact results (keyed by the data state of
		// the imports) could not see.
		s := testdb.New(t, models.SQLite)
		e, err := s.CreateEvent(ctx, "test", models.EventDoc{Kind: models.KindStrikeRound, Title: "July strike",
			Start: "2025-07-25T07:00", End: "2025-07-30T07:00", StaffGroup: "resident_doctors", ActionType: "full_walkout",
			Sources: []models.Source{{URL: "https://www.bma.org.uk/", Title: "BMA"}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Publish(ctx, "editor@example.org", e.ID, models.PublishInput{}); err != nil {
			t.Fatal(err)
		}
		f, err := New(Deps{Store: s, Config: webTestConfig, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Activity: coveredSource{droppedSource{drop: strike, dropBy: 0.15}, pct}})
		if err != nil {
			t.Fatal(err)
		}
		_, body := newClient(t, f).get(fmt.Sprintf("/events/%d", e.ID))
		has := strings.Contains(body, `<p class="notice">GP coverage differs between the baseline`)
		if has != warn {
			t.Errorf("July coverage %d%%: warning shown %v, want %v", pct, has, warn)
		}
	}
}
