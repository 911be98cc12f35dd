package app

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// impactSlotWait is how long an anonymous impact request waits for a slot
// before it is told to retry.
const impactSlotWait = 500 * time.Millisecond

// anonImpactGate bounds how many impact computations anonymous callers run
// at once in this process (STRIKELINE_ANON_IMPACT_CONCURRENCY): each one
// reads months of series and takes most of a second, so a crowd of
// anonymous requests could otherwise slow every page. Signed-in users and
// tokens pass; anonymous callers beyond the bound get 429 with
// Retry-After. A result cache in front of this makes repeats cheap; the
// gate bounds what still has to be computed.
func (s *Server) anonImpactGate(c *fiber.Ctx) error {
	release, ok := s.anonImpactSlot(c)
	if !ok {
		c.Set(fiber.HeaderRetryAfter, "2")
		return httpError(fiber.StatusTooManyRequests, "impact figures are busy being computed for other visitors; try again in a few seconds, or sign in")
	}
	defer release()
	return c.Next()
}

// anonImpactSlot takes one of the anonymous impact slots for an anonymous
// caller (a signed-in caller needs none). A page that shows impact figures
// calls it around the computation and, when it is refused, shows the page
// without them ("busy, reload shortly") rather than failing whole.
func (s *Server) anonImpactSlot(c *fiber.Ctx) (release func(), ok bool) {
	if currentUser(c) != nil {
		return func() {}, true
	}
	if !s.impactSem.acquire(c.UserContext(), impactSlotWait) {
		return nil, false
	}
	return s.impactSem.release, true
}
