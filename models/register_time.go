package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// RegisterUpdatedAt is when the register last changed: the time of the
// newest history entry (every create, edit, delete and restore writes
// one). ok is false for a register that has never held a record. Feeds
// use it as their updated time when a filter matches nothing.
func (s *Store) RegisterUpdatedAt(ctx context.Context) (t time.Time, ok bool, err error) {
	var h HistoryEntry
	err = s.db.WithContext(ctx).Select("at").Order("at DESC").Take(&h).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: unable to read the register's last change: %w", err)
	}
	return h.At.UTC(), true, nil
}
