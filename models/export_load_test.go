package models

import (
	"context"
	"fmt"
	"strings"
)

// TableRowsForTest returns every row of an activity table (or the rollup)
// as text, key columns first, sorted, so a test can compare what two
// stores hold.
func (s *Store) TableRowsForTest(ctx context.Context, table string, cols []string) ([]string, error) {
	var rows []map[string]any
	q := "SELECT " + strings.Join(cols, ", ") + " FROM " + table + " ORDER BY " + strings.Join(cols, ", ")
	if err := s.db.WithContext(ctx).Raw(q).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		parts := make([]string, len(cols))
		for j, c := range cols {
			parts[j] = fmt.Sprint(r[c])
		}
		out[i] = strings.Join(parts, " ")
	}
	return out, nil
}

// RollupTargetForTest is the national and regional rollup, for
// TableRowsForTest.
var RollupTargetForTest = LoadTarget{Table: rollupTable, Cols: rollupKey}
