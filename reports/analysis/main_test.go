package analysis

import (
	"os"
	"testing"

	"github.com/strikeline/strikeline/models/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }
