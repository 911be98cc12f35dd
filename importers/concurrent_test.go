package importers_test

import (
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/importers/gpadgen"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// Two editions of one month imported at once, the second started 50 ms
// after the first, with one of them already stored. Whatever order they
// land in, the store must end up as if they ran one after the other, and
// the import records must say so: importing either file afterwards leaves
// exactly that file's figures stored. (A "no change" decided while the
// other import was still loading once outlived it: the other file's
// figures stayed stored and every later import of the first said "no
// change".)
func TestConcurrentImportsNoChange(t *testing.T) {
	cases := []struct {
		name   string
		first  string // started first, slowed down
		second string // started 50 ms later
	}{
		{"other edition first, stored one 50 ms later", "a", "b"},
		{"stored one first, other edition 50 ms later", "b", "a"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, s *models.Store) {
				dir := t.TempDir()
				nov := []time.Time{month(2023, 11)}
				files := map[string]string{}
				totals := map[string]int64{}
				// b withdraws every seventh row of a: other totals.
				for name, drop := range map[string]int{"a": 0, "b": 7} {
					p, st := gen(t, dir, name+".csv", gpadgen.Options{Months: nov, SubICBs: 2, Combos: 20, Seed: 1, Drop: drop})
					files[name], totals[name] = p, st.Total
				}
				if totals["a"] == totals["b"] {
					t.Fatal("the two editions must differ")
				}
				importOK(t, s, importers.Options{}, files["b"])
				stored := func() int64 { return seriesTotal(t, s, nov23()) }

				done := make(chan error, 2)
				run := func(name string, slow bool) {
					opt := importers.Options{}
					if slow {
						// Long enough that the other import starts and
						// decides while this one is still loading.
						opt.BatchRows, opt.BatchDelay = 20, 40*time.Millisecond
					}
					_, err := importers.New(s, opt).ImportPaths(ctx, []string{files[name]}, importers.DefaultLimits)
					done <- err
				}
				go run(c.first, true)
				time.Sleep(50 * time.Millisecond)
				go run(c.second, false)
				for range 2 {
					if err := <-done; err != nil {
						t.Fatal(err)
					}
				}
				got := stored()
				if got != totals["a"] && got != totals["b"] {
					t.Fatalf("stored %d: neither a (%d) nor b (%d)", got, totals["a"], totals["b"])
				}
				checkRollups(t, s)
				// Each later import leaves its own file's figures.
				for _, name := range []string{"b", "a", "b", "b", "a", "a"} {
					r := importOK(t, s, importers.Options{}, files[name])[0]
					if got := stored(); got != totals[name] {
						t.Fatalf("after importing %s (note %q): stored %d, want %s's %d", name, r.Note, got, name, totals[name])
					}
				}
				// The last two imports of a: the second is recognised.
				runs, err := s.ImportRuns(ctx, 1)
				if err != nil || !strings.Contains(runs[0].Note, "same file") {
					t.Fatalf("repeat import not recognised: %+v %v", runs, err)
				}
			})
		})
	}
}
