package app

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
)

// pageCache keeps rendered anonymous pages for a few seconds. The timeline
// is the same for every visitor and changes rarely, but rendering it costs
// two queries and a large template; under a news spike most requests can
// be answered from memory. Any write through this instance empties the
// cache at once; the TTL bounds staleness from writes made elsewhere (a
// second instance, the CLI).
type pageCache struct {
	ttl time.Duration
	max int
	gen atomic.Uint64

	mu      sync.RWMutex
	entries map[string]cachedPage
	// filling holds one lock per key being rendered, so a burst of misses
	// for the same page renders it once instead of once per request.
	filling sync.Map
}

type cachedPage struct {
	body []byte
	at   time.Time
	gen  uint64
}

func newPageCache(ttl time.Duration, max int) *pageCache {
	return &pageCache{ttl: ttl, max: max, entries: map[string]cachedPage{}}
}

// invalidate marks every cached page stale.
func (p *pageCache) invalidate() { p.gen.Add(1) }

// serve answers anonymous GETs from the cache, and stores successful
// anonymous responses.
func (p *pageCache) serve(c *fiber.Ctx) error {
	// loadSession has run: only a valid session skips the cache, so a
	// made-up strikeline_session cookie cannot force a render per request.
	if p == nil || p.ttl <= 0 || c.Method() != fiber.MethodGet || currentUser(c) != nil {
		return c.Next()
	}
	key := c.OriginalURL()
	if p.hit(c, key) {
		return nil
	}
	l, _ := p.filling.LoadOrStore(key, &sync.Mutex{})
	mu := l.(*sync.Mutex)
	mu.Lock()
	defer mu.Unlock()
	if p.hit(c, key) {
		return nil
	}
	gen := p.gen.Load()
	if err := c.Next(); err != nil {
		return err
	}
	if c.Response().StatusCode() != fiber.StatusOK || currentUser(c) != nil || len(c.Response().Header.PeekCookie(csrfCookie)) > 0 {
		return nil
	}
	body := append([]byte(nil), c.Response().Body()...)
	p.mu.Lock()
	if len(p.entries) >= p.max {
		// Filters make the key space unbounded: start again rather than
		// grow without limit.
		p.entries = map[string]cachedPage{}
		p.filling.Clear()
	}
	p.entries[key] = cachedPage{body: body, at: time.Now(), gen: gen}
	p.mu.Unlock()
	return nil
}

// hit sends the cached page for key if it is fresh.
func (p *pageCache) hit(c *fiber.Ctx, key string) bool {
	p.mu.RLock()
	e, ok := p.entries[key]
	p.mu.RUnlock()
	if !ok || e.gen != p.gen.Load() || time.Since(e.at) >= p.ttl {
		return false
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set("X-Cache", "hit")
	_ = c.Send(e.body)
	return true
}

// invalidateOnWrite empties the page cache after any request that may
// change data (pages and API alike).
func (p *pageCache) invalidateOnWrite(c *fiber.Ctx) error {
	err := c.Next()
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
	default:
		p.invalidate()
	}
	return err
}
