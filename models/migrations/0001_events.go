package migrations

import (
	"time"

	"gorm.io/gorm"
)

// Snapshot of the events schema at version 1.
type eventV1 struct {
	ID            int64     `gorm:"primaryKey"`
	Kind          string    `gorm:"size:32;not null;index:idx_events_kind"`
	Title         string    `gorm:"size:300;not null"`
	Summary       string    `gorm:"type:text"`
	Notes         string    `gorm:"type:text"`
	StartAt       time.Time `gorm:"not null;index:idx_events_start_at"`
	EndAt         *time.Time
	AllDay        bool
	DisputeID     *int64 `gorm:"index:idx_events_dispute_id"`
	StaffGroup    string `gorm:"size:40;index:idx_events_staff_group"`
	Nation        string `gorm:"size:40"`
	Unions        string `gorm:"type:text"`
	Status        string `gorm:"size:40"`
	RoundNumber   *int
	ActionType    string `gorm:"size:40"`
	Scope         string `gorm:"type:text"`
	Figures       string `gorm:"type:text"`
	PayYear       string `gorm:"size:7"`
	HeadlinePct   *float64
	AveragePct    *float64
	LumpSum       string `gorm:"size:200"`
	Outcome       string `gorm:"size:20"`
	EffectiveDate *time.Time
	Body          string `gorm:"size:100"`
	Instrument    string `gorm:"size:40"`
	WhatChanges   string `gorm:"type:text"`
	Affects       string `gorm:"type:text"`
	MilestoneType string `gorm:"size:40"`
	TurnoutPct    *float64
	YesPct        *float64
	Parties       string  `gorm:"type:text"`
	SeedKey       *string `gorm:"size:100"`
	Version       int     `gorm:"not null;default:1"`
	CreatedBy     string  `gorm:"size:320"`
	UpdatedBy     string  `gorm:"size:320"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
	DeletedAt     *time.Time `gorm:"index:idx_events_deleted_at"`
}

func (eventV1) TableName() string { return "events" }

type sourceV1 struct {
	ID          int64  `gorm:"primaryKey"`
	EventID     int64  `gorm:"not null;index:idx_sources_event_id"`
	Position    int    `gorm:"not null"`
	URL         string `gorm:"size:2000;not null"`
	Title       string `gorm:"size:500"`
	Publisher   string `gorm:"size:200"`
	PublishedOn string `gorm:"size:10"`
}

func (sourceV1) TableName() string { return "sources" }

type historyV1 struct {
	ID      int64     `gorm:"primaryKey"`
	EventID int64     `gorm:"not null;index:idx_event_history_event_id"`
	Version int       `gorm:"not null"`
	Action  string    `gorm:"size:20;not null"`
	Actor   string    `gorm:"size:320"`
	At      time.Time `gorm:"not null"`
	Before  string    `gorm:"type:text"`
	After   string    `gorm:"type:text"`
}

func (historyV1) TableName() string { return "event_history" }

func migrateEvents(tx *gorm.DB, _ Backend) error {
	if err := tx.Migrator().CreateTable(&eventV1{}, &sourceV1{}, &historyV1{}); err != nil {
		return err
	}
	return execAll(tx,
		// Seed keys stay unique even for soft-deleted rows: the loader must
		// never resurrect a record a planner deleted.
		`CREATE UNIQUE INDEX ux_events_seed_key ON events (seed_key) WHERE seed_key IS NOT NULL`,
		`CREATE UNIQUE INDEX ux_event_history_version ON event_history (event_id, version)`,
	)
}
