package models

import (
	"context"
	"log/slog"

	"github.com/strikeline/strikeline/models/migrations"
)

// dialect is the migrations package's name for the backend.
func (b Backend) dialect() migrations.Backend {
	if b == Postgres {
		return migrations.Postgres
	}
	return migrations.SQLite
}

// SchemaVersion returns the latest applied migration and the latest known one.
func (s *Store) SchemaVersion(ctx context.Context) (applied, latest int, err error) {
	applied, err = migrations.Applied(s.db.WithContext(OnPrimary(ctx)))
	return applied, migrations.Latest(), err
}

// Migrate applies every pending migration in order (package migrations).
// Every command and instance start migrates, so it then also clears what
// killed imports left behind (CleanupImports): their staging tables can
// hold hundreds of megabytes.
func (s *Store) Migrate(ctx context.Context) error {
	// Never decide what to apply from a replica.
	if err := migrations.Run(s.db.WithContext(OnPrimary(ctx)), s.Backend.dialect()); err != nil {
		return err
	}
	if err := s.CleanupImports(ctx); err != nil {
		slog.Warn("unable to clean up after interrupted imports", "err", err)
	}
	return nil
}
