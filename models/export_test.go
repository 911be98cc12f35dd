package models

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"gorm.io/gorm"

	"github.com/strikeline/strikeline/models/migrations"
)

// MigrateUpTo applies the migrations up to and including version v, so a
// test can put rows into an old schema and check a later migration.
func (s *Store) MigrateUpTo(ctx context.Context, v int) error {
	return migrations.RunUpTo(s.db.WithContext(OnPrimary(ctx)), s.Backend.dialect(), v)
}

// HashTokenForTest exposes the token hash so tests can write old rows.
func HashTokenForTest(plain string) string { return hashToken(plain) }

// SetSwapLockWait shortens the partition swap's lock wait for a test.
func SetSwapLockWait(d time.Duration) (restore func()) {
	old := swapLockWait
	swapLockWait = d
	return func() { swapLockWait = old }
}

// LSNSample is a noted primary WAL position, for ReplicaLag.
type LSNSample struct {
	At  time.Time
	LSN int64
}

// ReplicaLag exposes the replica lag estimate.
func ReplicaLag(ss []LSNSample, replay int64, now time.Time) time.Duration {
	in := make([]lsnSample, len(ss))
	for i, s := range ss {
		in[i] = lsnSample{s.At, s.LSN}
	}
	return replicaLag(in, replay, now)
}

// DBForTest exposes the store's GORM handle to this package's tests, which
// write rows into old schemas and read what no Store method returns.
func DBForTest(s *Store) *gorm.DB { return s.db }

// PoolForTest exposes the store's pgx pool (nil on SQLite) to this
// package's tests.
func PoolForTest(s *Store) *pgxpool.Pool { return s.pool }
