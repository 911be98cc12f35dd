package migrations

import (
	"fmt"
	"log/slog"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Backend names the database engine a migration writes its DDL for. Its
// values are those of models.Backend.
type Backend string

// The two supported backends.
const (
	Postgres Backend = "postgres"
	SQLite   Backend = "sqlite"
)

// Migration is one schema step. Each runs in its own transaction and is
// recorded in schema_migrations, so a crash mid-migration leaves the
// database at the previous version.
type Migration struct {
	Version int
	Name    string
	Up      func(tx *gorm.DB, b Backend) error
}

// record is a row of schema_migrations, the table every database migrated
// since version 1 holds; its name and columns must never change.
type record struct {
	Version   int `gorm:"primaryKey;autoIncrement:false"`
	Name      string
	AppliedAt time.Time
}

func (record) TableName() string { return "schema_migrations" }

// Latest is the version of the last known migration.
func Latest() int { return list[len(list)-1].Version }

// Applied returns the highest version recorded in db (0 for a database
// never migrated).
func Applied(db *gorm.DB) (int, error) {
	if !db.Migrator().HasTable(&record{}) {
		return 0, nil
	}
	var v *int
	if err := db.Model(&record{}).Select("MAX(version)").Scan(&v).Error; err != nil {
		return 0, fmt.Errorf("store: unable to read schema version: %w", err)
	}
	if v == nil {
		return 0, nil
	}
	return *v, nil
}

// Run applies every migration not yet recorded in db, in order. On
// PostgreSQL an advisory lock makes concurrent starts of several app
// instances safe.
func Run(db *gorm.DB, b Backend) error { return RunUpTo(db, b, Latest()) }

// RunUpTo applies the pending migrations up to and including version v,
// so a test can put rows into an old schema and check a later migration.
func RunUpTo(db *gorm.DB, b Backend, v int) error {
	var todo []Migration
	for _, m := range list {
		if m.Version <= v {
			todo = append(todo, m)
		}
	}
	return run(db, b, todo)
}

func run(db *gorm.DB, b Backend, todo []Migration) error {
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
		for _, m := range todo {
			pending = pending || !done[m.Version]
		}
		if !pending {
			return nil
		}
	}
	if err := db.AutoMigrate(&record{}); err != nil {
		return fmt.Errorf("store: unable to create schema_migrations: %w", err)
	}
	for _, m := range todo {
		err := db.Transaction(func(tx *gorm.DB) error {
			if b == Postgres {
				// Held until the transaction ends; the second instance waits,
				// then sees the version recorded and skips.
				if err := tx.Exec("SELECT pg_advisory_xact_lock(4242001)").Error; err != nil {
					return err
				}
			}
			var n int64
			if err := tx.Model(&record{}).Where("version = ?", m.Version).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if err := m.Up(tx, b); err != nil {
				return err
			}
			slog.Debug("applied migration", "version", m.Version, "name", m.Name)
			return tx.Create(&record{Version: m.Version, Name: m.Name, AppliedAt: time.Now().UTC()}).Error
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
			return fmt.Errorf("%s: %w", shorten(q), err)
		}
	}
	return nil
}

// stmt is a statement with its arguments.
type stmt struct {
	q    string
	args []any
}

// execAllArgs is execAll for statements with arguments.
func execAllArgs(tx *gorm.DB, ss ...stmt) error {
	for _, s := range ss {
		if err := tx.Exec(s.q, s.args...).Error; err != nil {
			return fmt.Errorf("%s: %w", shorten(s.q), err)
		}
	}
	return nil
}

// shorten keeps the start of a failed statement for its error message.
func shorten(q string) string {
	n := 80
	if len(q) <= n {
		return q
	}
	for n > 0 && !utf8.RuneStart(q[n]) {
		n--
	}
	return q[:n] + "…"
}
