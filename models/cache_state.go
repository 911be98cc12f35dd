package models

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"sync"
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

// CacheState reads the current state: the one row of cache_state, which
// triggers on the records and import runs keep (see its migration), so the
// read costs a primary-key look-up however large the register is. It is the
// one definition HTTP validators (ETag, Last-Modified), the register memo
// and the page cache use.
//
// Concurrent callers share reads: every caller gets the result of a query
// that started after it called, never one already in flight, so what it
// sees is at least as new as the database was when it asked (a write
// committed before the call is always seen). Under load one query then
// answers every request that arrived while the previous one ran, instead
// of one round trip each.
func (s *Store) CacheState(ctx context.Context) (CacheState, error) {
	r := &s.stateReads[0]
	if onPrimary(ctx) {
		r = &s.stateReads[1]
	}
	return r.read(ctx, s.readCacheState)
}

func (s *Store) readCacheState(ctx context.Context) (CacheState, error) {
	var seq int64
	var at string
	// Scanned without reflection: every public request pays for this.
	// changed_at as text, the form both backends print and parseDBTime
	// reads.
	if err := s.cacheStateRow(ctx).Scan(&seq, &at); err != nil {
		return CacheState{}, fmt.Errorf("store: unable to read the cache state: %w", err)
	}
	// The time is in the tag as well as the count, so a database restored
	// to an older backup that later reaches the same count again does not
	// reuse the tags it gave out before.
	h := sha256.Sum256(fmt.Appendf(nil, "%d/%s", seq, at))
	return CacheState{Tag: hex.EncodeToString(h[:8]), Modified: parseDBTime(at)}, nil
}

// stateReads shares state queries between concurrent callers. At most one
// query runs at a time; a caller arriving while one runs joins the next,
// which starts when the running one ends. Hand-written: golang.org/x/sync's
// singleflight lets a caller join a query already in flight, which could
// answer with a state older than the caller's own request.
type stateReads struct {
	mu      sync.Mutex
	running bool
	next    *stateCall
}

type stateCall struct {
	ctx  context.Context // the first caller's, for its values (the route)
	done chan struct{}
	st   CacheState
	err  error
}

// sharedStateTimeout bounds a query run on behalf of several callers,
// whose own contexts may end sooner; each still stops waiting at its own.
const sharedStateTimeout = 10 * time.Second

func (r *stateReads) read(ctx context.Context, q func(context.Context) (CacheState, error)) (CacheState, error) {
	r.mu.Lock()
	if !r.running {
		// Nothing runs: this caller's own query, on its own context.
		r.running = true
		r.mu.Unlock()
		c := &stateCall{done: make(chan struct{})}
		r.run(ctx, c, q)
		return c.st, c.err
	}
	c := r.next
	if c == nil {
		c = &stateCall{ctx: ctx, done: make(chan struct{})}
		r.next = c
	}
	r.mu.Unlock()
	select {
	case <-c.done:
		return c.st, c.err
	case <-ctx.Done():
		return CacheState{}, fmt.Errorf("store: unable to read the cache state: %w", ctx.Err())
	}
}

// run answers c, then starts the call that gathered callers meanwhile.
func (r *stateReads) run(ctx context.Context, c *stateCall, q func(context.Context) (CacheState, error)) {
	c.st, c.err = q(ctx)
	close(c.done)
	r.mu.Lock()
	n := r.next
	r.next = nil
	r.running = n != nil
	r.mu.Unlock()
	if n != nil {
		go func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(n.ctx), sharedStateTimeout)
			defer cancel()
			r.run(ctx, n, q)
		}()
	}
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

const cacheStateSQL = `SELECT seq, CAST(changed_at AS TEXT) FROM cache_state WHERE id = 1`

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
			return s.cacheStmt.QueryRowContext(ctx)
		}
	}
	return s.db.WithContext(ctx).Raw(cacheStateSQL).Row()
}
