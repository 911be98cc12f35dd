package events_test

import (
	"testing"

	"github.com/strikeline/strikeline/importers/events"
	"github.com/strikeline/strikeline/models/validate"
)

// Every column an import writes is a field of the document's field table
// (models/validate), or one of the file's own keys, so an import, the API
// and the form name a field alike and a problem reported on a field can
// be traced to its column.
func TestColumnsAreDocumentFields(t *testing.T) {
	own := map[string]bool{"key": true, "dispute_key": true}
	for _, c := range events.Columns {
		if c.Set == nil || own[c.Name] {
			continue
		}
		found := false
		for _, f := range validate.Fields {
			if f.Name == c.Name {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("column %s is not in validate.Fields", c.Name)
		}
	}
}
