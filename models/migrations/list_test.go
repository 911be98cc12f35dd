package migrations

import "testing"

// Versions only grow down the list: a migration numbered below one already
// shipped (a branch merged late) would run after it on existing databases
// and before it on new ones, two orders for one history.
func TestListOrdered(t *testing.T) {
	names := map[string]bool{}
	for i, m := range list {
		if i > 0 && m.Version <= list[i-1].Version {
			t.Errorf("migration %d (%s) follows %d", m.Version, m.Name, list[i-1].Version)
		}
		if m.Name == "" || names[m.Name] || m.Up == nil {
			t.Errorf("migration %d: name %q repeated or empty, or no Up", m.Version, m.Name)
		}
		names[m.Name] = true
	}
	if Latest() != list[len(list)-1].Version {
		t.Errorf("Latest %d", Latest())
	}
}
