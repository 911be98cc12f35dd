package impact_test

import (
	"slices"
	"testing"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/impact"
)

// TestMetricKeysMatchModels keeps the registry and the event validation's
// list (models.ImpactMetricKeys) equal, so a planner can never save a metric
// override the engine does not know, nor miss one it does. It also checks
// that every staff group has default metrics defined here.
func TestMetricKeysMatchModels(t *testing.T) {
	var keys []string
	for _, m := range impact.Metrics() {
		keys = append(keys, m.Key)
	}
	if !slices.Equal(keys, models.ImpactMetricKeys) {
		t.Errorf("impact.Metrics keys %v\n != models.ImpactMetricKeys %v", keys, models.ImpactMetricKeys)
	}
	for _, g := range models.StaffGroups {
		if len(impact.DefaultMetrics(g)) == 0 {
			t.Errorf("staff group %q has no default metrics", g)
		}
	}
}
