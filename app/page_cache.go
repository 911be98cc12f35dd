package app

import (
	"bytes"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/strikeline/strikeline/models"
)

// HTTP caching. Public pages, downloads and anonymous API answers carry an
// ETag and a Last-Modified derived from the store's CacheState (one cheap
// query), so browsers and proxies may keep them for the max-age and then
// revalidate: a conditional request whose validator still matches is
// answered 304 after that one query, with no render. Signed-in answers are
// "private, no-store". The same state validates the small in-process page
// cache, so an instance never serves a page older than the state it has
// just read: a write through any instance (or the CLI) is seen through
// every other at the next request that reaches them.

const localCacheState = "cache_state"

// cacheable marks a public GET route. Put it after the route's guards and
// right before its handler: it answers 304 to a current conditional
// request, else serves or fills the page cache. Requests of a signed-in
// user pass straight through; a made-up session cookie does not count
// (the session has been checked by now), so it cannot force a render per
// request.
func (s *Server) cacheable(c *fiber.Ctx) error {
	if (c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead) || currentUser(c) != nil {
		return c.Next()
	}
	st, err := s.store.CacheState(c.UserContext())
	if err != nil {
		return err
	}
	c.Locals(localCacheState, st)
	tag, modified := s.validators(c, st)
	if notModified(c, tag, modified) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	if s.cache == nil || c.Method() != fiber.MethodGet {
		return c.Next()
	}
	return s.cache.serve(c, tag)
}

// signedIn says whether the request claims a user; such answers are never
// shared, even when the claim turns out stale.
func signedIn(c *fiber.Ctx) bool {
	return c.Get(fiber.HeaderAuthorization) != "" || c.Cookies(sessionCookie) != "" || currentUser(c) != nil
}

// validators are the ETag and Last-Modified of an answer at state st. The
// tag also covers what else changes the bytes: the program version (during
// a rolling upgrade two versions may render differently), the date (pages
// mark what is upcoming) and the Accept header (some API routes answer CSV
// or JSON by it). It is weak: equal tags mean equivalent answers.
func (s *Server) validators(c *fiber.Ctx, st models.CacheState) (string, time.Time) {
	today := time.Now().In(models.London)
	h := fnv.New64a()
	h.Write([]byte(s.version + "\x00" + today.Format(time.DateOnly) + "\x00" + c.Get(fiber.HeaderAccept)))
	tag := `W/"` + st.Tag + "-" + strconv.FormatUint(h.Sum64(), 36) + `"`
	midnight := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, models.London).UTC()
	modified := st.Modified
	if midnight.After(modified) {
		modified = midnight
	}
	return tag, modified.Truncate(time.Second)
}

// notModified evaluates If-None-Match (weak comparison), or when absent
// If-Modified-Since, as RFC 9110 orders them.
func notModified(c *fiber.Ctx, tag string, modified time.Time) bool {
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" {
		want := strings.TrimPrefix(tag, "W/")
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == want {
				return true
			}
		}
		return false
	}
	if ims := c.Get(fiber.HeaderIfModifiedSince); ims != "" {
		if t, err := http.ParseTime(ims); err == nil {
			return !modified.After(t)
		}
	}
	return false
}

// cacheHeaders sets Cache-Control, and the validators on public answers,
// after every request. An answer is public when its route is cacheable,
// nobody is signed in, it succeeded (or is a 304) and sets no cookie.
func (s *Server) cacheHeaders(c *fiber.Ctx) error {
	err := c.Next()
	res := &c.Response().Header
	st, tagged := c.Locals(localCacheState).(models.CacheState)
	status := c.Response().StatusCode()
	switch {
	case signedIn(c):
		res.Set(fiber.HeaderCacheControl, "private, no-store")
	case err == nil && tagged && (status == fiber.StatusOK || status == fiber.StatusNotModified) && !setsCookie(res):
		tag, modified := s.validators(c, st)
		res.Set(fiber.HeaderETag, tag)
		res.Set(fiber.HeaderLastModified, modified.Format(http.TimeFormat))
		res.Set(fiber.HeaderCacheControl, s.publicCacheControl())
		// A shared cache must not hand the anonymous answer to a signed-in
		// user, nor one representation for another.
		res.Set(fiber.HeaderVary, "Accept, Authorization, Cookie")
	case len(res.Peek(fiber.HeaderCacheControl)) == 0:
		res.Set(fiber.HeaderCacheControl, "no-store")
	}
	return err
}

func setsCookie(h *fasthttp.ResponseHeader) bool {
	found := false
	h.VisitAllCookie(func(_, _ []byte) { found = true })
	return found
}

func (s *Server) publicCacheControl() string {
	return "public, max-age=" + strconv.Itoa(int(s.cfg.CacheMaxAge.Seconds())) +
		", stale-while-revalidate=" + strconv.Itoa(int(s.cfg.CacheStale.Seconds()))
}

// pageCache keeps rendered anonymous answers in memory, each under the
// ETag it was rendered at, and serves one only while that is still the
// current tag: the cache saves renders, never shows an older state.
type pageCache struct {
	ttl time.Duration
	max int

	mu      sync.RWMutex
	entries map[string]cachedPage
	// filling holds one lock per key being rendered, so a burst of misses
	// for the same page renders it once instead of once per request.
	filling sync.Map
}

type cachedPage struct {
	tag     string
	at      time.Time
	ctype   []byte
	headers [][2][]byte
	body    []byte
}

// maxCachedBody keeps big downloads out of memory.
const maxCachedBody = 2 << 20

func newPageCache(ttl time.Duration, max int) *pageCache {
	if ttl <= 0 {
		return nil
	}
	return &pageCache{ttl: ttl, max: max, entries: map[string]cachedPage{}}
}

// serve answers from the cache when it holds the page at tag, else renders
// it (once per key at a time) and keeps a successful answer.
func (p *pageCache) serve(c *fiber.Ctx, tag string) error {
	key := c.OriginalURL() + "\x00" + c.Get(fiber.HeaderAccept)
	if p.hit(c, key, tag) {
		return nil
	}
	l, _ := p.filling.LoadOrStore(key, &sync.Mutex{})
	mu := l.(*sync.Mutex)
	mu.Lock()
	defer mu.Unlock()
	if p.hit(c, key, tag) {
		return nil
	}
	// Headers set before the handler (security, request id) are the
	// middleware's; the ones the handler adds belong to the page.
	before := map[string]bool{}
	c.Response().Header.VisitAll(func(k, _ []byte) { before[string(k)] = true })
	if err := c.Next(); err != nil {
		return err
	}
	res := c.Response()
	if res.StatusCode() != fiber.StatusOK || currentUser(c) != nil || setsCookie(&res.Header) || len(res.Body()) > maxCachedBody {
		return nil
	}
	e := cachedPage{tag: tag, at: time.Now(), ctype: append([]byte(nil), res.Header.ContentType()...),
		body: append([]byte(nil), res.Body()...)}
	res.Header.VisitAll(func(k, v []byte) {
		if !before[string(k)] && !bytes.EqualFold(k, []byte(fiber.HeaderContentType)) && !bytes.EqualFold(k, []byte(fiber.HeaderContentLength)) {
			e.headers = append(e.headers, [2][]byte{append([]byte(nil), k...), append([]byte(nil), v...)})
		}
	})
	p.mu.Lock()
	if len(p.entries) >= p.max {
		// Filters make the key space unbounded: start again rather than
		// grow without limit.
		p.entries = map[string]cachedPage{}
		p.filling.Clear()
	}
	p.entries[key] = e
	p.mu.Unlock()
	return nil
}

// hit sends the cached page for key if it was rendered at tag.
func (p *pageCache) hit(c *fiber.Ctx, key, tag string) bool {
	p.mu.RLock()
	e, ok := p.entries[key]
	p.mu.RUnlock()
	if !ok || e.tag != tag || time.Since(e.at) >= p.ttl {
		return false
	}
	c.Response().Header.SetContentTypeBytes(e.ctype)
	for _, h := range e.headers {
		c.Response().Header.SetBytesKV(h[0], h[1])
	}
	c.Set("X-Cache", "hit")
	_ = c.Send(e.body)
	return true
}
