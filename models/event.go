package models

import (
	"time"
	_ "time/tzdata" // Europe/London must resolve on machines without zoneinfo.

	"gorm.io/gorm"
)

// London is the time zone every NHS England date and time is given in.
var London = mustLoad("Europe/London")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Event is one timeline record of any kind. Fields that do not apply to a
// kind stay empty; Doc gives the kind-specific public shape.
//
// Dates: an all-day record (AllDay) stores civil dates as UTC midnight and
// its End is the inclusive last day; a timed record stores instants (UTC)
// and its End is exclusive, as the BMA announces rounds ("07:00 25 July to
// 07:00 30 July").
type Event struct {
	ID         int64     `gorm:"primaryKey"`
	Kind       Kind      `gorm:"size:32;not null;index"`
	Title      string    `gorm:"size:300;not null"`
	Summary    string    `gorm:"type:text"`
	Notes      string    `gorm:"type:text"`
	StartAt    time.Time `gorm:"not null;index"`
	EndAt      *time.Time
	AllDay     bool
	DisputeID  *int64   `gorm:"index"`
	StaffGroup string   `gorm:"size:40;index"`
	Nation     string   `gorm:"size:40"`
	Unions     []string `gorm:"serializer:json;type:text"`
	Status     string   `gorm:"size:40"`

	// Strike round.
	RoundNumber *int
	ActionType  string   `gorm:"size:40"`
	Scope       []string `gorm:"serializer:json;type:text"`
	Figures     []Figure `gorm:"serializer:json;type:text"`

	// Pay settlement.
	PayYear       string `gorm:"size:7"`
	HeadlinePct   *float64
	AveragePct    *float64
	LumpSum       string `gorm:"size:200"`
	Outcome       string `gorm:"size:20"`
	EffectiveDate *time.Time
	Body          string `gorm:"size:200"`

	// Regulatory change.
	Instrument  string `gorm:"size:40"`
	WhatChanges string `gorm:"type:text"`
	Affects     string `gorm:"type:text"`

	// Milestone.
	MilestoneType string `gorm:"size:40"`
	TurnoutPct    *float64
	YesPct        *float64

	// Dispute.
	Parties []string `gorm:"serializer:json;type:text"`

	// Impact overrides: planners may set the window, scope and metrics the
	// impact engine uses instead of the defaults derived from the record.
	// Part of the document, so every override is kept in history.
	ImpactFrom    *time.Time
	ImpactTo      *time.Time
	ImpactScope   []string `gorm:"serializer:json;type:text"`
	ImpactMetrics []string `gorm:"serializer:json;type:text"`
	// ImpactSlice narrows the appointments analysed (e.g. HCP type GP);
	// empty means the default slice of the event's staff group.
	ImpactSlice ActivitySlice `gorm:"serializer:json;type:text"`
	// ImpactRecoveryDays is the length of the recovery window after the
	// action (nil: the default, 14 days).
	ImpactRecoveryDays *int
	// AnnouncedOn is the day the action was announced: the pre-strike
	// window runs from it to the day before the action.
	AnnouncedOn *time.Time
	// SPCRebase marks an event after which SPC charts recalculate their
	// centre line and limits (a change in how the figure is counted or
	// delivered), so the chart compares like with like.
	SPCRebase bool `gorm:"column:spc_rebase;not null;default:false"`

	Sources []Source `gorm:"foreignKey:EventID;constraint:OnDelete:CASCADE"`

	// SeedKey marks a record loaded from the embedded seed; the seed loader
	// never touches a key it has loaded before, so edits survive restarts.
	SeedKey *string `gorm:"size:100"`
	// ImportKey is the key column of the bulk import that created the
	// record, so re-importing the same file matches it (see ImportEvents).
	ImportKey *string `gorm:"size:200"`
	// PubState is the record's editorial state (draft, published or
	// withdrawn; see publish.go), named apart from Status, which is a
	// dispute's own status. PublishedVersion is the version the public
	// sees (0: never published); a higher Version is a pending revision.
	PubState         string `gorm:"size:20;not null;default:draft"`
	PublishedVersion int    `gorm:"not null;default:0"`
	// Pub is set on records read from the published register: which
	// publication the reader sees. Nil on working copies.
	Pub       *Publication `gorm:"-"`
	Version   int          `gorm:"not null;default:1"`
	CreatedBy string       `gorm:"size:320"`
	UpdatedBy string       `gorm:"size:320"`
	CreatedAt time.Time
	UpdatedAt time.Time
	DeletedAt gorm.DeletedAt `gorm:"index"`
}

// Figure is a published impact figure for a strike round (e.g. NHS England's
// count of rescheduled appointments), with the source that gave it. Value is
// a float because NHS England also publishes shares (94.7% of planned care
// kept); counts stay whole numbers and encode without a decimal point.
type Figure struct {
	Metric    string  `json:"metric"`
	Value     float64 `json:"value"`
	SourceURL string  `json:"source_url,omitempty"`
	Note      string  `json:"note,omitempty"`
}

// Source is a public reference for a record.
type Source struct {
	ID          int64  `gorm:"primaryKey" json:"-"`
	EventID     int64  `gorm:"not null;index" json:"-"`
	Position    int    `gorm:"not null" json:"-"`
	URL         string `gorm:"size:2000;not null" json:"url"`
	Title       string `gorm:"size:500" json:"title,omitempty"`
	Publisher   string `gorm:"size:200" json:"publisher,omitempty"`
	PublishedOn string `gorm:"size:10" json:"published_on,omitempty"`
}

// Days returns the first and last civil dates (UTC midnight) an event
// touches in London. A timed end is exclusive and practices open at 08:00, so
// a round ending at 07:00 does not count its final morning as a strike day.
func (e *Event) Days() (first, last time.Time) {
	if e.AllDay {
		first = civil(e.StartAt)
		last = first
		if e.EndAt != nil {
			last = civil(*e.EndAt)
		}
		return first, last
	}
	first = civil(e.StartAt.In(London))
	last = first
	if e.EndAt != nil {
		l := civil(e.EndAt.In(London).Add(-8 * time.Hour))
		if l.After(first) {
			last = l
		}
	}
	return first, last
}

// civil returns the calendar date of t (in t's location) as UTC midnight.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// HistoryEntry records one change to an event: who, when, and the public
// document before and after, so any version can be shown and restored.
type HistoryEntry struct {
	ID      int64     `gorm:"primaryKey" json:"id"`
	EventID int64     `gorm:"not null;index" json:"event_id"`
	Version int       `gorm:"not null" json:"version"`
	Action  string    `gorm:"size:20;not null" json:"action"`
	Actor   string    `gorm:"size:320" json:"actor"`
	At      time.Time `gorm:"not null" json:"at"`
	Before  string    `gorm:"type:text" json:"-"`
	After   string    `gorm:"type:text" json:"-"`
}

// TableName keeps the history table's name explicit.
func (HistoryEntry) TableName() string { return "event_history" }

// History actions.
const (
	ActionCreate   = "create"
	ActionUpdate   = "update"
	ActionDelete   = "delete"
	ActionRestore  = "restore"
	ActionPublish  = "publish"
	ActionWithdraw = "withdraw"
)

// StableKey is the key a download gives the record and an import matches
// on: the seed key, else the import key, else empty (an import then matches
// on kind, title and start).
func (e *Event) StableKey() string {
	switch {
	case e.SeedKey != nil:
		return *e.SeedKey
	case e.ImportKey != nil:
		return *e.ImportKey
	}
	return ""
}
