package app

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// impactSlotWait is how long an anonymous impact request waits for a slot
// before it is told to retry.
const impactSlotWait = 500 * time.Millisecond

// anonImpactSlot takes one of the anonymous impact slots for an anonymous
// caller (a signed-in caller needs none). The slots bound how many impact
// computations anonymous callers run at once in this process
// (STRIKELINE_ANON_IMPACT_CONCURRENCY): each reads months of series, so a
// crowd could otherwise slow every page. Stored answers need no slot. A page that shows impact figures
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
