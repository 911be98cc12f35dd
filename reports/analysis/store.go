package analysis

import (
	"context"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/impact"
	"github.com/strikeline/strikeline/reports/xlsx"
)

// StoreSource reads activity series from the database.
type StoreSource struct{ store *models.Store }

// NewStoreSource returns a Source over s.
func NewStoreSource(s *models.Store) *StoreSource { return &StoreSource{store: s} }

// Daily implements Source. Until activity import lands it has no data.
func (s *StoreSource) Daily(ctx context.Context, area string, from, to time.Time, f impact.Filter) (impact.Series, error) {
	return nil, nil
}

// ImportSources lists the completed import runs for a workbook's Method
// sheet. Until activity import lands there are none.
func ImportSources(ctx context.Context, s *models.Store) ([]xlsx.DataSource, error) {
	return nil, nil
}
