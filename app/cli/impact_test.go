package cli

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/app"
	"github.com/strikeline/strikeline/importers/gpadgen"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
	"github.com/strikeline/strikeline/reports/analysis"
	"github.com/strikeline/strikeline/reports/holidays"
)

// cliOn returns a runner of strikeline commands on a new database of
// backend b, giving the exit code and everything written.
func cliOn(t *testing.T, b models.Backend) func(args ...string) (int, string) {
	cfg := app.Config{SQLitePath: filepath.Join(t.TempDir(), "cli.db")}
	if b == models.Postgres {
		cfg.DatabaseURL = testdb.NewSchema(t)
	}
	return func(args ...string) (int, string) {
		var out, errw strings.Builder
		env := &Env{Stdout: &out, Stderr: &errw, Config: cfg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
		code := Run(context.Background(), env, args)
		return code, out.String() + errw.String()
	}
}

// TestImpactCommandSlice: `strikeline impact --hcp GP` states the injected
// −15% drop in attended GP appointments within 2 pp, the DNA rate as a
// window rate, and rejects an unknown label listing the valid ones.
func TestImpactCommandSlice(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(string(b), func(t *testing.T) {
			dir := t.TempDir()
			run := cliOn(t, b)
			if code, out := run("migrate"); code != 0 {
				t.Fatalf("migrate: %s", out)
			}
			from, to := time.Date(2025, 7, 25, 0, 0, 0, 0, time.UTC), time.Date(2025, 7, 29, 0, 0, 0, 0, time.UTC)
			var months []time.Time
			for m := time.April; m <= time.August; m++ {
				months = append(months, time.Date(2025, m, 1, 0, 0, 0, 0, time.UTC))
			}
			f, _ := os.Create(filepath.Join(dir, "SUB_ICB_LOCATION_2025.csv"))
			gpadgen.Write(f, gpadgen.Options{Months: months, SubICBs: 2, Seed: 5, Shares: true, Profile: gpadgen.Realistic(holidays.IsBankHoliday),
				Drops: []gpadgen.DropWindow{{From: from, To: to, Fraction: 0.15, HCP: []string{"GP"}, Status: []string{"Attended"}}}})
			f.Close()
			if code, out := run("import", "gpad", filepath.Join(dir, "SUB_ICB_LOCATION_2025.csv")); code != 0 {
				t.Fatalf("import: %s", out)
			}
			// The seeded July 2025 round.
			code, out := run("impact", "--event", "18", "--metric", "attended,dna_rate", "--hcp", "GP", "--json")
			if code != 0 {
				t.Fatalf("impact: exit %d: %s", code, out)
			}
			var v analysis.View
			if err := json.Unmarshal([]byte(out), &v); err != nil {
				t.Fatalf("%v: %.300s", err, out)
			}
			if !strings.HasPrefix(v.Window.From, "2025-07-25") {
				t.Fatalf("event 18 is not the July 2025 round: %+v", v.Window)
			}
			for _, m := range v.Metrics {
				var during *analysis.WindowEffect
				for i := range m.Windows {
					if m.Windows[i].Name == analysis.PhaseDuring {
						during = &m.Windows[i]
					}
				}
				if during == nil {
					t.Fatalf("%s: no during window", m.Key)
				}
				switch m.Key {
				case "attended":
					if math.Abs(during.Effect+0.15) > 0.02 {
						t.Errorf("attended GP effect %.4f, want −15%% ± 2 pp", during.Effect)
					}
				case "dna_rate":
					if during.Observed < 0.02 || during.Observed > 0.07 {
						t.Errorf("DNA window rate %.4f: not a rate", during.Observed)
					}
				}
			}
			code, out = run("impact", "--event", "18", "--metric", "attended", "--hcp", "GP")
			if code != 0 || !strings.Contains(out, "appointments with a GP") || !strings.Contains(out, "during") {
				t.Errorf("table: exit %d: %s", code, out)
			}
			code, out = run("impact", "--event", "18", "--hcp", "Doctor")
			if code == 0 || !strings.Contains(out, "Other Practice staff") {
				t.Errorf("unknown label: exit %d: %s", code, out)
			}
		})
	}
}

// TestImpactCommandRoles: `strikeline impact --dataset roles --role …`
// reads the SDS role group file (the real sample) and refuses a role group
// it does not hold, listing the imported ones.
func TestImpactCommandRoles(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(string(b), func(t *testing.T) {
			run := cliOn(t, b)
			if code, out := run("migrate"); code != 0 {
				t.Fatalf("migrate: %s", out)
			}
			if code, out := run("import", "gpad", "../../importers/testdata/nhs/SDS_Role_CSV_Oct_25__00L_Oct2025_only__datawarp.csv"); code != 0 {
				t.Fatalf("import: %s", out)
			}
			code, out := run("impact", "--event", "18", "--dataset", "roles", "--role", "GP", "--json")
			var v analysis.View
			if err := json.Unmarshal([]byte(out), &v); code != 0 || err != nil {
				t.Fatalf("impact: exit %d %v: %.300s", code, err, out)
			}
			if v.Slice.Dataset != models.SliceRoles || v.Slice.Description != "appointments by role group GP, England" ||
				len(v.Metrics) != 1 || v.Metrics[0].Key != "total" {
				t.Errorf("slice %+v metrics %+v", v.Slice, v.Metrics)
			}
			code, out = run("impact", "--event", "18", "--role", "Doctors")
			if code == 0 || !strings.Contains(out, "Nurses") {
				t.Errorf("unknown role: exit %d: %s", code, out)
			}
		})
	}
}
