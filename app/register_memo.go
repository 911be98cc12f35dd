package app

import (
	"context"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// The register memo keeps what anonymous answers derive from the records
// (the register state, the dispute list, the timeline's results and the
// timeline API's body), each under the CacheState tag it was read at.
// cacheable reads that tag once per request (one cheap query) for the
// ETag; an entry is used only while it is still the current tag, so an
// answer is never older than the state the request has just read, and two
// instances over one database agree because the tag is the database's,
// not the process's: a write through any instance, or the CLI, changes it
// for every instance at once. Unlike the page cache it has no lifetime to
// configure and keeps no headers, users or page chrome: only data that is
// the same for every anonymous reader at that state.

type registerMemo struct {
	max     int
	mu      sync.RWMutex
	entries map[string]memoEntry
}

type memoEntry struct {
	tag   string
	value any
}

func newRegisterMemo(max int) *registerMemo {
	return &registerMemo{max: max, entries: map[string]memoEntry{}}
}

func (m *registerMemo) get(key, tag string) (any, bool) {
	m.mu.RLock()
	e, ok := m.entries[key]
	m.mu.RUnlock()
	if !ok || e.tag != tag {
		return nil, false
	}
	return e.value, true
}

func (m *registerMemo) put(key, tag string, v any) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.entries) >= m.max {
		// Filters make the key space unbounded: start again rather than
		// grow without limit.
		m.entries = map[string]memoEntry{}
	}
	m.entries[key] = memoEntry{tag: tag, value: v}
}

// memoised returns compute's answer for key at the request's state: from
// the memo when it holds it at the tag cacheable read, else computed and
// kept. Only anonymous requests that went through cacheable have a tag;
// others (signed-in readers, who may see drafts) always compute, as does
// a server without a memo (the benchmarks' lean path). A miss
// computes on the primary between two readings of the state there, and
// keeps the answer only when both agree, so an entry always holds exactly
// the state its tag names (a lagging replica, or a write during the
// computation, cannot file an older answer under a newer tag).
func memoised[T any](s *Server, c *fiber.Ctx, key string, compute func(ctx context.Context) (T, error)) (T, error) {
	st, tagged := c.Locals(localCacheState).(models.CacheState)
	if !tagged || currentUser(c) != nil || s.memo == nil {
		return compute(c.UserContext())
	}
	if v, ok := s.memo.get(key, st.Tag); ok {
		return v.(T), nil
	}
	ctx := models.OnPrimary(c.UserContext())
	before, err := s.store.CacheState(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	// Handler code reads c.UserContext(); for the computation that is ctx,
	// so every read it makes goes to the primary.
	old := c.UserContext()
	c.SetUserContext(ctx)
	v, err := compute(ctx)
	c.SetUserContext(old)
	if err != nil {
		return v, err
	}
	after, err := s.store.CacheState(ctx)
	if err == nil && after.Tag == before.Tag {
		s.memo.put(key, before.Tag, v)
	}
	return v, nil
}
