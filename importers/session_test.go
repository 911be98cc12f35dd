package importers_test

import (
	"errors"
	"os"
	"sync"
	"testing"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// TestImportInputsCarriesOn is the command line's path: a refused file
// does not stop the next one, the error counts the refused files (and
// still wraps the first one's), and the progress of each file says how
// much of the whole call came before it, so one bar covers every file.
func TestImportInputsCarriesOn(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		bad := writeFile(t, t.TempDir(), "x.csv", "FOO,BAR\n1,2\n")
		good := "testdata/natcat_06H_dec2024.csv"
		var mu sync.Mutex
		var done []importers.Progress
		im := importers.New(s, importers.Options{OnProgress: func(p importers.Progress) {
			if p.Done {
				mu.Lock()
				done = append(done, p)
				mu.Unlock()
			}
		}})
		inputs, closeAll, err := importers.Expand([]string{bad, good}, importers.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		defer closeAll()
		runs, err := im.ImportInputs(ctx, inputs)
		var ff *importers.FilesFailedError
		if !errors.As(err, &ff) || ff.Failed != 1 || ff.Total != 2 || !errors.Is(err, importers.ErrImportFailed) {
			t.Fatalf("err = %v", err)
		}
		var he *importers.HeaderError
		if !errors.As(err, &he) {
			t.Errorf("the first file's reason is lost: %v", err)
		}
		if len(runs) != 2 || runs[0].Status != models.ImportFailed || runs[1].Status != models.ImportSucceeded {
			t.Fatalf("runs %+v", runs)
		}
		st, err := os.Stat(bad)
		if err != nil {
			t.Fatal(err)
		}
		if len(done) != 2 || done[0].PriorBytes != 0 || done[1].PriorBytes != st.Size() || done[1].RunID != runs[1].ID {
			t.Errorf("last progress of each file: %+v", done)
		}
	})
}
