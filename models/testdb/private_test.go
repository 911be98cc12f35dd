package testdb

import "testing"

// TestPrivateCluster proves the fallback a fresh machine without a running
// PostgreSQL relies on: a throwaway cluster from the installed binaries.
func TestPrivateCluster(t *testing.T) {
	if _, err := pgBinDir(); err != nil {
		t.Fatalf("PostgreSQL binaries not installed (Debian: apt-get install postgresql): %v", err)
	}
	c, err := startPrivate()
	if err != nil {
		t.Fatalf("start private cluster: %v", err)
	}
	defer c.stop()
	if err := ping(c.url); err != nil {
		t.Fatalf("private cluster does not answer: %v", err)
	}
}
