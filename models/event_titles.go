package models

import (
	"context"
	"fmt"
)

// EventTitles returns the titles of the records f matches (the working
// copies or the register, as ListEvents reads them), by id: one query of
// two columns, for pages that only name records, such as the dispute an
// event belongs to, and need neither their documents nor a count.
func (s *Store) EventTitles(ctx context.Context, f EventFilter) (map[int64]string, error) {
	q, idCol := s.workingQuery(ctx, f), "id"
	if !f.Working {
		q, idCol = s.publishedQuery(ctx, f), "event_id"
	}
	var rows []struct {
		ID    int64
		Title string
	}
	err := eventWhere(q, f, idCol).Select(idCol + " AS id, title").
		Order("start_at ASC, " + idCol + " ASC").Limit(listLimit(f.Limit)).Offset(max(f.Offset, 0)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to read event titles: %w", err)
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Title
	}
	return out, nil
}
