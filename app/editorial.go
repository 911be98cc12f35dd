package app

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// Who sees what: the public (anonymous visitors, analysts, every download
// and feed) reads the published register; signed-in planners, editors and
// admins read the working copies, drafts included and marked. ?as_of=N
// always reads the register as published at version N, for everyone, so a
// citation reproduces what its author saw.

// seesDrafts reports whether the request may read working copies.
func seesDrafts(c *fiber.Ctx) bool {
	u := currentUser(c)
	return u != nil && u.Role.Allows(models.RolePlanner)
}

// canPublish reports whether the user may publish and withdraw.
func canPublish(c *fiber.Ctx) bool {
	u := currentUser(c)
	return u != nil && u.Role.Allows(models.RoleEditor)
}

// asOfParam reads ?as_of=N: a register version from 1 to the current one.
func (s *Server) asOfParam(c *fiber.Ctx) (int, error) {
	raw := c.Query("as_of")
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return 0, &models.ValidationError{Fields: map[string]string{"as_of": "must be a register version number, like 3"}}
	}
	reg, err := s.registerState(c)
	if err != nil {
		return 0, err
	}
	if n > reg.Version {
		return 0, &models.ValidationError{Fields: map[string]string{"as_of": "must not be beyond the current register version (" + strconv.Itoa(reg.Version) + ")"}}
	}
	return n, nil
}

// scope sets which copy of the records a list reads (see above) and
// checks ?status=, which only planners and editors may use beyond
// "published".
func (s *Server) scope(c *fiber.Ctx, f *models.EventFilter) error {
	asOf, err := s.asOfParam(c)
	if err != nil {
		return err
	}
	switch {
	case asOf > 0 || !seesDrafts(c):
		if f.Status != "" && f.Status != models.PubPublished {
			if currentUser(c) == nil && asOf == 0 {
				return httpError(fiber.StatusUnauthorized, "sign in as a planner or editor to see drafts and withdrawn records")
			}
			return httpError(fiber.StatusForbidden, "only planners and editors see drafts and withdrawn records")
		}
		f.Working, f.Status, f.AsOf = false, "", asOf
	default:
		f.Working = true
	}
	return nil
}

// recordFor loads the record named by :id as the request may see it: the
// working copy for planners and editors, else the published version (now
// or ?as_of). A withdrawn record comes back with Pub.State withdrawn; the
// caller answers 410.
func (s *Server) recordFor(c *fiber.Ctx, kind models.Kind) (*models.Event, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return nil, err
	}
	asOf, err := s.asOfParam(c)
	if err != nil {
		return nil, err
	}
	var e *models.Event
	if asOf == 0 && seesDrafts(c) {
		e, err = s.store.GetEvent(c.UserContext(), id)
	} else {
		e, err = s.store.GetPublished(c.UserContext(), id, asOf)
	}
	if err != nil {
		return nil, err
	}
	if kind != "" && e.Kind != kind {
		return nil, models.ErrNotFound
	}
	return e, nil
}

// withdrawn reports whether e is a withdrawal read from the register.
func withdrawn(e *models.Event) bool {
	return e.Pub != nil && e.Pub.State == models.PubWithdrawn
}

// goneJSON is the 410 answer for a withdrawn record: enough for an old
// citation to explain itself.
type goneJSON struct {
	Error            string    `json:"error"`
	ID               int64     `json:"id"`
	Reason           string    `json:"reason"`
	WithdrawnAt      time.Time `json:"withdrawn_at"`
	RegisterVersion  int       `json:"register_version"`
	Title            string    `json:"title"`
	Start            string    `json:"start"`
	End              string    `json:"end,omitempty"`
	LastPublishedURL string    `json:"last_published_url"`
}

func (s *Server) gone(e *models.Event) goneJSON {
	d := e.Doc()
	return goneJSON{Error: "this record has been withdrawn", ID: e.ID, Reason: e.Pub.Note, WithdrawnAt: e.Pub.At.UTC(),
		RegisterVersion: e.Pub.RegisterVersion, Title: d.Title, Start: d.Start, End: d.End,
		LastPublishedURL: s.cfg.BaseURL + asOfURL(e.ID, e.Pub.RegisterVersion-1)}
}

// expectFrom reads If-Match ("3", W/"3" or *) into an expectation. An
// If-Match that names no version of ours cannot match: 412.
func expectFrom(c *fiber.Ctx) (models.Expect, error) {
	h := strings.TrimSpace(c.Get(fiber.HeaderIfMatch))
	if h == "" || h == "*" {
		return models.Expect{}, nil
	}
	v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(h, "W/"), `"`))
	if err != nil || v < 1 {
		return models.Expect{}, models.ErrStale
	}
	return models.Expect{IfMatch: v}, nil
}

// setETag names the version of the record in the answer.
func setETag(c *fiber.Ctx, e *models.Event) {
	c.Set(fiber.HeaderETag, `"`+strconv.Itoa(e.Version)+`"`)
}

// registerLine is "Register version N, activity data to <month>", shown on
// every public page and download.
type registerLine struct {
	Version  int
	AsOf     int // the version the reader asked for, when not the latest
	Latest   int // the latest version, whatever the reader asked for
	DataAsOf string
	Month    string // DataAsOf in words
}

func (s *Server) registerLine(c *fiber.Ctx) registerLine {
	reg, err := s.registerState(c)
	if err != nil {
		s.log.Warn("register state unavailable", "err", err)
		return registerLine{}
	}
	r := registerLine{Version: reg.Version, Latest: reg.Version, DataAsOf: reg.DataAsOf}
	if n, err := strconv.Atoi(c.Query("as_of")); err == nil && n >= 1 && n < reg.Version {
		r.AsOf, r.Version = n, n
	}
	if t, err := time.Parse("2006-01", reg.DataAsOf); err == nil {
		r.Month = t.Format("January 2006")
	}
	return r
}

// registerState is the register's current version and data month, read
// once per state for anonymous requests (see register_memo.go).
func (s *Server) registerState(c *fiber.Ctx) (models.Register, error) {
	return memoised(s, c, "register", s.store.RegisterState)
}

// Text is the line as people read it.
func (r registerLine) Text() string {
	if r.Version == 0 {
		return ""
	}
	t := "Register version " + strconv.Itoa(r.Version)
	if r.Month != "" {
		return t + ", activity data to " + r.Month
	}
	return t + ", no activity data imported yet"
}

// registerHeaders states the register version of a download in its
// headers, for formats with no place for it in the body.
func (s *Server) registerHeaders(c *fiber.Ctx) registerLine {
	r := s.registerLine(c)
	c.Set("X-Register-Version", strconv.Itoa(r.Version))
	if r.DataAsOf != "" {
		c.Set("X-Activity-Data-To", r.DataAsOf)
	}
	return r
}

func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// asOfURL is the permalink of a record as published at register version n.
func asOfURL(id int64, n int) string { return eventURL(id) + "?as_of=" + strconv.Itoa(n) }
