package importers_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/importers/gpadgen"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// checkStoredMessage reads run id back and checks what a reader of the
// import history gets: a finished run, a short, valid message.
func checkStoredMessage(t *testing.T, s *models.Store, id int64, status string) *models.ImportRun {
	t.Helper()
	got, err := s.GetImportRun(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != status {
		t.Fatalf("run %d is %q (message %.200q), want %q", id, got.Status, got.Message, status)
	}
	if len(got.Message) > models.MaxMessageBytes || !utf8.ValidString(got.Message) || strings.ContainsRune(got.Message, 0) {
		t.Fatalf("stored message: %d bytes, valid UTF-8 %v: %.200q", len(got.Message), utf8.ValidString(got.Message), got.Message)
	}
	return got
}

// A one-line file (a huge header) with invalid UTF-8 and a NUL in it: the
// run is recorded as failed with a short message quoting the start of the
// header, and the API's list of runs stays small. (The whole header was
// stored and served, and on PostgreSQL the invalid bytes made the failure
// itself unrecordable.)
func TestHugeHeaderMessage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		p := filepath.Join(t.TempDir(), "one-line.csv")
		os.WriteFile(p, []byte("FOO\xff\x00BAR,"+strings.Repeat("X,", 1<<19)+"\n"), 0o644)
		runs, err := importers.New(s, importers.Options{}).ImportPaths(ctx, []string{p}, importers.DefaultLimits)
		var he *importers.HeaderError
		if !errors.As(err, &he) {
			t.Fatalf("err = %.300v", err)
		}
		got := checkStoredMessage(t, s, runs[0].ID, models.ImportFailed)
		if !strings.HasPrefix(got.Message, "This file is not one Strikeline reads: its header (FOO") || !strings.Contains(got.Message, string(importers.FormatSubICBDaily)) {
			t.Fatalf("message %.300q", got.Message)
		}
		list, _ := s.ImportRuns(ctx, 10)
		if b, _ := json.Marshal(list); len(b) > 8<<10 {
			t.Fatalf("list of runs is %d bytes", len(b))
		}
	})
}

// Invalid UTF-8 (or a NUL) in a row is that row's fault: a bad row with
// its line and column, not a database error for the whole file.
func TestInvalidUTF8Row(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		var buf bytes.Buffer
		st, _ := gpadgen.Write(&buf, gpadgen.Options{Months: []time.Time{month(2023, 11)}, SubICBs: 2, Combos: 5, Seed: 1})
		lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
		lines[1] = strings.Replace(lines[1], "NHS Synthetic", "NHS Synth\xff\xfeetic", 1)
		lines[4] = strings.Replace(lines[4], "NHS Synthetic", "NHS\x00Synthetic", 1)
		// A quoted field takes encoding/csv's path.
		f := strings.Split(lines[7], ",")
		f[2] = `"NHS, Synth` + "\xff" + `etic"`
		lines[7] = strings.Join(f, ",")
		p := filepath.Join(t.TempDir(), "latin1.csv")
		os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644)

		runs, err := importers.New(s, importers.Options{}).ImportPaths(ctx, []string{p}, importers.DefaultLimits)
		if !errors.Is(err, importers.ErrImportFailed) {
			t.Fatalf("err = %v", err)
		}
		got := checkStoredMessage(t, s, runs[0].ID, models.ImportFailed)
		if got.RowsRejected != 3 || len(got.Errors) != 3 {
			t.Fatalf("run %+v", got)
		}
		for i, line := range []int64{2, 5, 8} {
			e := got.Errors[i]
			if e.Line != line || e.Column != "SUB_ICB_LOCATION_NAME" || !utf8.ValidString(e.Value) || !strings.Contains(e.Reason, "UTF-8") {
				t.Errorf("error %d: %+v, want line %d, column SUB_ICB_LOCATION_NAME", i, e, line)
			}
		}
		if n := count(t, s, "SELECT COUNT(*) FROM appt_subicb_daily"); n != 0 {
			t.Fatalf("%d rows visible after a rejected file", n)
		}
		r := importOK(t, s, importers.Options{Policy: importers.PolicySkip}, p)[0]
		if r.RowsInserted != st.Rows-3 || r.RowsRejected != 3 {
			t.Fatalf("skip run %+v", r)
		}
	})
}

// A database error the importer did not expect is logged, not shown: the
// run's message says a server error happened and quotes nothing of it.
func TestServerErrorNotQuoted(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		var stmts []string
		if s.Backend == models.Postgres {
			stmts = []string{
				`CREATE FUNCTION refuse_area() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RAISE EXCEPTION ''secret internals of areas''; END'`,
				`CREATE TRIGGER refuse_area BEFORE INSERT ON areas FOR EACH ROW EXECUTE FUNCTION refuse_area()`,
			}
		} else {
			stmts = []string{`CREATE TRIGGER refuse_area BEFORE INSERT ON areas BEGIN SELECT RAISE(ABORT, 'secret internals of areas'); END`}
		}
		for _, q := range stmts {
			if err := testdb.SQL(t, s).Exec(q).Error; err != nil {
				t.Fatal(err)
			}
		}
		p, _ := gen(t, t.TempDir(), "ok.csv", gpadgen.Options{Months: []time.Time{month(2023, 11)}, SubICBs: 1, Combos: 3, Seed: 1})
		runs, err := importers.New(s, importers.Options{}).ImportPaths(ctx, []string{p}, importers.DefaultLimits)
		if err == nil {
			t.Fatal("import succeeded despite the trigger")
		}
		got := checkStoredMessage(t, s, runs[0].ID, models.ImportFailed)
		if strings.Contains(got.Message, "secret") || strings.Contains(got.Message, "areas") || !strings.Contains(got.Message, "server error") {
			t.Fatalf("message %q", got.Message)
		}
	})
}
