package migrations

import (
	"time"

	"gorm.io/gorm"
)

// Snapshot structs of the activity tables as created at version 4. Dates are
// stored as days since 1970-01-01 (an integer), which is compact, identical
// on both backends and cheap to range over; monthly tables store the first
// day of the month. Categories are small integers (see models/activity_vocab.go).

type areaV4 struct {
	ID       int64  `gorm:"primaryKey"`
	Level    int16  `gorm:"not null"`
	Code     string `gorm:"size:20;not null"`
	ONSCode  string `gorm:"column:ons_code;size:20"`
	Name     string `gorm:"size:300"`
	RegionID *int64 `gorm:"column:region_id"`
	ICBID    *int64 `gorm:"column:icb_id"`
	SubICBID *int64 `gorm:"column:sub_icb_id"`
	PCNID    *int64 `gorm:"column:pcn_id"`
}

func (areaV4) TableName() string { return "areas" }

type activityLabelV4 struct {
	ID    int64  `gorm:"primaryKey"`
	Kind  string `gorm:"size:40;not null"`
	Label string `gorm:"size:300;not null"`
}

func (activityLabelV4) TableName() string { return "activity_labels" }

type importRunV4 struct {
	ID           int64  `gorm:"primaryKey"`
	FileName     string `gorm:"size:500;not null"`
	SHA256       string `gorm:"column:sha256;size:64"`
	Format       string `gorm:"size:40"`
	Policy       string `gorm:"size:10;not null"`
	Status       string `gorm:"size:20;not null;index:idx_import_runs_status"`
	Actor        string `gorm:"size:320"`
	BytesTotal   int64
	BytesRead    int64
	RowsRead     int64
	RowsInserted int64
	RowsUpdated  int64
	RowsDeleted  int64
	RowsRejected int64
	Revised      bool `gorm:"not null;default:false"`
	Note         string
	Message      string
	Errors       string
	StartedAt    time.Time `gorm:"not null;index:idx_import_runs_started_at"`
	HeartbeatAt  time.Time `gorm:"not null"`
	FinishedAt   *time.Time
	DurationMS   int64
}

func (importRunV4) TableName() string { return "import_runs" }

func migrateActivity(tx *gorm.DB, b Backend) error {
	if err := tx.Migrator().CreateTable(&areaV4{}, &activityLabelV4{}, &importRunV4{}); err != nil {
		return err
	}
	small, big := "SMALLINT", "BIGINT"
	if b == SQLite {
		small, big = "INTEGER", "INTEGER"
	}
	// The natural key is the primary key (on SQLite WITHOUT ROWID stores
	// rows in key order). appt_subicb_daily has no other index: each one
	// roughly doubles the cost of loading a month, and day-range reads go
	// through the areas table to the (area_id, day) prefix instead.
	wr := ""
	if b == SQLite {
		wr = " WITHOUT ROWID"
	}
	return execAll(tx,
		`CREATE UNIQUE INDEX ux_areas_level_code ON areas (level, code)`,
		`CREATE UNIQUE INDEX ux_activity_labels ON activity_labels (kind, label)`,
		`CREATE TABLE appt_subicb_daily (
			area_id INTEGER NOT NULL, day INTEGER NOT NULL,
			status `+small+` NOT NULL, hcp `+small+` NOT NULL, mode `+small+` NOT NULL, lead `+small+` NOT NULL,
			n INTEGER NOT NULL, import_id `+big+` NOT NULL,
			PRIMARY KEY (area_id, day, status, hcp, mode, lead))`+wr,
		`CREATE TABLE appt_rollup_daily (
			level `+small+` NOT NULL, area_id INTEGER NOT NULL, day INTEGER NOT NULL,
			status `+small+` NOT NULL, hcp `+small+` NOT NULL, mode `+small+` NOT NULL, lead `+small+` NOT NULL,
			n `+big+` NOT NULL,
			PRIMARY KEY (level, area_id, day, status, hcp, mode, lead))`+wr,
		`CREATE TABLE appt_natcat_daily (
			area_id INTEGER NOT NULL, day INTEGER NOT NULL,
			setting INTEGER NOT NULL, context INTEGER NOT NULL, category INTEGER NOT NULL,
			n INTEGER NOT NULL, import_id `+big+` NOT NULL,
			PRIMARY KEY (area_id, day, setting, context, category))`+wr,
		`CREATE TABLE appt_practice_monthly (
			practice_id INTEGER NOT NULL, day INTEGER NOT NULL,
			hcp `+small+` NOT NULL, mode `+small+` NOT NULL, category INTEGER NOT NULL, lead `+small+` NOT NULL, status `+small+` NOT NULL,
			n INTEGER NOT NULL, import_id `+big+` NOT NULL,
			PRIMARY KEY (practice_id, day, hcp, mode, category, lead, status))`+wr,
		// value is fixed-point, millionths, so published rates such as
		// 12.508229 per 1000 are kept exactly.
		`CREATE TABLE oc_practice_monthly (
			practice_id INTEGER NOT NULL, day INTEGER NOT NULL,
			supplier INTEGER NOT NULL, metric INTEGER NOT NULL,
			n `+big+` NOT NULL, import_id `+big+` NOT NULL,
			PRIMARY KEY (practice_id, day, supplier, metric))`+wr,
	)
}
