package models

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"
)

// CacheState names the state of everything an anonymous visitor can see:
// the records and the imported activity behind the charts. Every write
// changes Tag (creating, editing, deleting and restoring a record each add
// one to a record's version, so the sum of versions only grows; an import
// adds a successful run), so two app instances comparing tags agree on
// whether a cached answer is current. Modified is the latest such change,
// for Last-Modified.
type CacheState struct {
	Tag      string
	Modified time.Time
}

// CacheState reads the current state in one query over small tables. It is
// the one definition HTTP validators (ETag, Last-Modified) and the page
// cache use.
func (s *Store) CacheState(ctx context.Context) (CacheState, error) {
	var row struct {
		Events, Versions, Imports int64
		EventsAt, ImportsAt       string
	}
	// One pass over each table, scanned without reflection: every public
	// request pays for this query. Timestamps as text: aggregates lose
	// their column type on SQLite, and the text is only hashed and parsed
	// for Last-Modified.
	err := s.cacheStateRow(ctx).Scan(&row.Events, &row.Versions, &row.EventsAt, &row.Imports, &row.ImportsAt)
	if err != nil {
		return CacheState{}, fmt.Errorf("store: unable to read the cache state: %w", err)
	}
	h := sha256.Sum256(fmt.Appendf(nil, "%d/%d/%s/%d/%s", row.Events, row.Versions, row.EventsAt, row.Imports, row.ImportsAt))
	st := CacheState{Tag: hex.EncodeToString(h[:8])}
	for _, t := range []string{row.EventsAt, row.ImportsAt} {
		if m := parseDBTime(t); m.After(st.Modified) {
			st.Modified = m
		}
	}
	return st, nil
}

// parseDBTime reads a timestamp as either backend prints it as text; the
// zero time when it cannot.
func parseDBTime(s string) time.Time {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999-07", "2006-01-02 15:04:05.999999999Z07:00", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

const cacheStateSQL = `SELECT e.n, e.v, e.at, i.n, i.at FROM
	(SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS v, COALESCE(CAST(MAX(updated_at) AS TEXT), '') AS at FROM events) e,
	(SELECT COUNT(*) AS n, COALESCE(CAST(MAX(finished_at) AS TEXT), '') AS at FROM import_runs WHERE status = ?) i`

// cacheStateRow runs the state query. On SQLite, parsing the statement
// costs about as much as running it, so it is prepared once per Store
// (database/sql prepares it again on each new connection); PostgreSQL,
// where reads may go to a replica, goes through gorm's resolver.
func (s *Store) cacheStateRow(ctx context.Context) *sql.Row {
	if s.Backend == SQLite {
		s.cacheStmtOnce.Do(func() {
			if db, err := s.db.DB(); err == nil {
				s.cacheStmt, _ = db.PrepareContext(context.Background(), cacheStateSQL)
			}
		})
		if s.cacheStmt != nil {
			return s.cacheStmt.QueryRowContext(ctx, ImportSucceeded)
		}
	}
	return s.db.WithContext(ctx).Raw(cacheStateSQL, ImportSucceeded).Row()
}
