package models

import (
	"context"
	"fmt"
	"strings"
)

// CountEventsTitled counts the records, drafts included and deleted ones
// not, whose title starts with prefix. The load driver uses it to check
// that every write it saw acknowledged is stored, and nothing else. It
// reads the primary: a replica may not have the last writes yet.
func (s *Store) CountEventsTitled(ctx context.Context, prefix string) (int64, error) {
	esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(prefix)
	var n int64
	err := s.db.WithContext(OnPrimary(ctx)).Model(&Event{}).
		Where(`title LIKE ? ESCAPE '\'`, esc+"%").Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("store: unable to count events titled %q: %w", prefix, err)
	}
	return n, nil
}
