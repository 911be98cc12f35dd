package models

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"
)

// migration is one schema step. Each runs in its own transaction and is
// recorded in schema_migrations, so a crash mid-migration leaves the database
// at the previous version. Migrations use private snapshot structs of the
// tables as they were at that version, so editing a model never changes an
// old migration.
type migration struct {
	Version int
	Name    string
	Up      func(tx *gorm.DB, b Backend) error
}

// migrations is the ordered schema history. Append only; never edit or
// reorder a migration that has shipped.
var migrations = []migration{
	{1, "events, sources and history", migrateEvents},
	{2, "users and api tokens", migrateUsers},
	{3, "sessions and login attempts", migrateSessions},
	{4, "activity data and imports", migrateActivity},
	{5, "api token roles", migrateTokenRoles},
	{6, "impact overrides on events", migrateImpactOverrides},
	{7, "activity tables by month, source lines, no ICB rollup", migratePartitions},
	{8, "day ranges of imports", migrateImportRanges},
	{10, "event text widths, import commit order", migrateLimitsAndCommitOrder},
	{11, "editorial states and the published register", migratePublication},
	{12, "announcement, recovery and slice on events; stored impact results", migrateImpactSlices},
	{13, "spc rebase mark on events", migrateSPCRebase},
	{14, "stable keys of imported events", migrateImportKey},
	{15, "monthly, coverage, overview, role, duration and OC day-time tables; area months", migrateNHSFiles},
}

type schemaMigration struct {
	Version   int `gorm:"primaryKey;autoIncrement:false"`
	Name      string
	AppliedAt time.Time
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// SchemaVersion returns the latest applied migration and the latest known one.
func (s *Store) SchemaVersion(ctx context.Context) (applied, latest int, err error) {
	latest = migrations[len(migrations)-1].Version
	if !s.DB.Migrator().HasTable(&schemaMigration{}) {
		return 0, latest, nil
	}
	var v *int
	if err := s.DB.WithContext(ctx).Model(&schemaMigration{}).Select("MAX(version)").Scan(&v).Error; err != nil {
		return 0, latest, fmt.Errorf("store: unable to read schema version: %w", err)
	}
	if v != nil {
		applied = *v
	}
	return applied, latest, nil
}

// Migrate applies every pending migration in order. On PostgreSQL an
// advisory lock makes concurrent starts of several app instances safe.
// Every command and instance start migrates, so it then also clears what
// killed imports left behind (CleanupImports): their staging tables can
// hold hundreds of megabytes.
func (s *Store) Migrate(ctx context.Context) error {
	if err := s.migrate(ctx, migrations); err != nil {
		return err
	}
	if err := s.CleanupImports(ctx); err != nil {
		slog.Warn("unable to clean up after interrupted imports", "err", err)
	}
	return nil
}

func (s *Store) migrate(ctx context.Context, migrations []migration) error {
	ctx = OnPrimary(ctx) // never decide what to apply from a replica
	db := s.DB.WithContext(ctx)
	// Fast path: every CLI command and instance start migrates, and an
	// up-to-date database should cost one query, not a transaction per
	// migration plus GORM's catalogue look-ups.
	var have []int
	if db.Raw("SELECT version FROM schema_migrations").Scan(&have).Error == nil {
		done := map[int]bool{}
		for _, v := range have {
			done[v] = true
		}
		pending := false
		for _, m := range migrations {
			pending = pending || !done[m.Version]
		}
		if !pending {
			return nil
		}
	}
	if err := db.AutoMigrate(&schemaMigration{}); err != nil {
		return fmt.Errorf("store: unable to create schema_migrations: %w", err)
	}
	for _, m := range migrations {
		err := db.Transaction(func(tx *gorm.DB) error {
			if s.Backend == Postgres {
				// Held until the transaction ends; the second instance waits,
				// then sees the version recorded and skips.
				if err := tx.Exec("SELECT pg_advisory_xact_lock(4242001)").Error; err != nil {
					return err
				}
			}
			var n int64
			if err := tx.Model(&schemaMigration{}).Where("version = ?", m.Version).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if err := m.Up(tx, s.Backend); err != nil {
				return err
			}
			slog.Debug("applied migration", "version", m.Version, "name", m.Name)
			return tx.Create(&schemaMigration{Version: m.Version, Name: m.Name, AppliedAt: time.Now().UTC()}).Error
		})
		if err != nil {
			return fmt.Errorf("store: migration %d (%s) failed: %w", m.Version, m.Name, err)
		}
	}
	return nil
}

// execAll runs statements in order, stopping at the first error.
func execAll(tx *gorm.DB, stmts ...string) error {
	for _, q := range stmts {
		if err := tx.Exec(q).Error; err != nil {
			return fmt.Errorf("%s: %w", truncate(q, 80), err)
		}
	}
	return nil
}
