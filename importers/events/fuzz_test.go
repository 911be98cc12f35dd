package events_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/strikeline/strikeline/importers/events"
	"github.com/strikeline/strikeline/models"
)

// FuzzParse: no file, however malformed, makes the parser or a row's Apply
// panic; it either parses or returns an error.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/new_events.csv", "testdata/bad_events.csv", "testdata/timelinejs.csv"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(name, b)
	}
	f.Add("x.json", []byte(`{"items":[{"kind":"milestone","title":"t","start":"2025-01-01","sources":[{"url":"https://e.org"}],"figures":"[","unions":["a"]}]}`))
	f.Add("x.json", []byte(`[{"kind":1}]`))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		file, err := events.Parse(name, bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, r := range file.ImportRows() {
			_, _ = r.Apply(models.EventDoc{})
		}
	})
}
