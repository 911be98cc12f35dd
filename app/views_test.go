package app

import "testing"

// TestViewsCompile parses every page, so a template error fails the build's
// tests rather than a request in production.
func TestViewsCompile(t *testing.T) {
	v, err := newViews()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"timeline", "event", "dispute", "login", "event_form", "history", "error"} {
		if v.sets[name] == nil {
			t.Errorf("page %q is missing", name)
		}
	}
}
