package migrations

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Snapshots of the editorial tables as migration 11 creates them.
type registerVersionV11 struct {
	Version     int       `gorm:"primaryKey;autoIncrement:false"`
	PublishedAt time.Time `gorm:"not null"`
	Actor       string    `gorm:"size:320"`
	EventID     *int64
	Action      string `gorm:"size:20;not null"`
	Note        string `gorm:"type:text"`
}

func (registerVersionV11) TableName() string { return "register_versions" }

type publicationV11 struct {
	ID               int64     `gorm:"primaryKey"`
	EventID          int64     `gorm:"not null;index:idx_publications_event,priority:1"`
	EventVersion     int       `gorm:"not null"`
	RegisterVersion  int       `gorm:"not null;index:idx_publications_event,priority:2;index:idx_publications_register"`
	SupersededIn     *int      `gorm:"index:idx_publications_superseded"`
	State            string    `gorm:"size:20;not null"`
	Minor            bool      `gorm:"not null;default:false"`
	Note             string    `gorm:"type:text"`
	Actor            string    `gorm:"size:320"`
	At               time.Time `gorm:"not null"`
	FirstPublishedAt time.Time `gorm:"not null"`
	Kind             string    `gorm:"size:32;not null"`
	Title            string    `gorm:"size:300;not null"`
	Summary          string    `gorm:"type:text"`
	Notes            string    `gorm:"type:text"`
	Unions           string    `gorm:"type:text"`
	StaffGroup       string    `gorm:"size:40"`
	DisputeID        *int64
	StartAt          time.Time `gorm:"not null"`
	EndAt            *time.Time
	Doc              string `gorm:"type:text;not null"`
}

func (publicationV11) TableName() string { return "publications" }

// migratePublication adds the editorial states and the published register:
// every live record becomes published at register version 1 (its current
// version, with the document its latest history entry holds), so nothing
// the public saw before the upgrade disappears from it. Pure SQL over the
// tables as they are at this version: no model code.
func migratePublication(tx *gorm.DB, b Backend) error {
	if err := execAll(tx,
		`ALTER TABLE events ADD COLUMN pub_state VARCHAR(20) NOT NULL DEFAULT 'draft'`,
		`ALTER TABLE events ADD COLUMN published_version INTEGER NOT NULL DEFAULT 0`,
	); err != nil {
		return err
	}
	if err := tx.Migrator().CreateTable(&registerVersionV11{}, &publicationV11{}); err != nil {
		return fmt.Errorf("create register tables: %w", err)
	}
	var live int64
	if err := tx.Raw(`SELECT COUNT(*) FROM events WHERE deleted_at IS NULL`).Scan(&live).Error; err != nil {
		return err
	}
	if live == 0 {
		// A new database: the seed publishes its records as version 1.
		return nil
	}
	now := time.Now().UTC()
	return execAllArgs(tx,
		stmt{`INSERT INTO register_versions (version, published_at, actor, action, note) VALUES (1, ?, 'migration', 'publish', 'every record published when the register began')`, []any{now}},
		// Only records whose current document is in history can be
		// published from it; any other stays a draft for an editor.
		stmt{`UPDATE events SET pub_state = 'published', published_version = version WHERE deleted_at IS NULL
			AND EXISTS (SELECT 1 FROM event_history h WHERE h.event_id = events.id AND h.version = events.version)`, nil},
		stmt{`INSERT INTO publications (event_id, event_version, register_version, state, minor, note, actor, at,
			first_published_at, kind, title, summary, notes, unions, staff_group, dispute_id, start_at, end_at, doc)
			SELECT e.id, e.version, 1, 'published', ?, '', 'migration', ?, e.created_at, e.kind, e.title, e.summary, e.notes,
				e.unions, e.staff_group, e.dispute_id, e.start_at, e.end_at, h.after
			FROM events e JOIN event_history h ON h.event_id = e.id AND h.version = e.version
			WHERE e.deleted_at IS NULL`, []any{false, now}},
	)
}
