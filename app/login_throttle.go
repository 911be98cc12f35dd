package app

import (
	"context"
	"math"
	"strconv"
	"time"

	"github.com/strikeline/strikeline/models"
)

// Login throttling. Attempts are recorded in the database (every instance
// sees the same counts) and throttled per (address, account): someone
// else's failures, from another address, never refuse your right password.
// After freePairAttempts failures an address must wait before each further
// try for that account, twice as long each time, up to maxLoginBackoff;
// an address that fails maxIPAttempts times across any accounts waits out
// the window. An operator can clear an account with `strikeline user
// unlock`.
const (
	loginWindow      = 15 * time.Minute
	freePairAttempts = 5
	maxIPAttempts    = 20
	maxLoginBackoff  = 15 * time.Minute
)

// Password checks are bounded per process: each argon2id check holds
// 64 MiB, so loginSlots checks at once cap that memory; a request waits at
// most loginSlotWait for a slot and is then told to retry.
const (
	loginSlots    = 2
	loginSlotWait = 2 * time.Second
)

// loginWait is how long an attempt that saw c at now must wait before its
// password may be checked; 0 means check it now.
func loginWait(c models.LoginCounts, now time.Time, base time.Duration) time.Duration {
	if c.IP >= maxIPAttempts {
		return loginWindow
	}
	if c.Pair < freePairAttempts {
		return 0
	}
	wait := maxLoginBackoff
	if shift := c.Pair - freePairAttempts; shift < 20 {
		wait = min(base<<shift, maxLoginBackoff)
	}
	if left := c.PairLast.Add(wait).Sub(now); left > 0 {
		return left
	}
	return 0
}

// retryAfter formats a wait as whole seconds for the Retry-After header.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(int(math.Ceil(d.Seconds())))
}

// semaphore bounds how many callers run a costly step at once.
type semaphore chan struct{}

// acquire takes a slot, waiting at most wait (or until ctx ends).
func (s semaphore) acquire(ctx context.Context, wait time.Duration) bool {
	select {
	case s <- struct{}{}:
		return true
	default:
	}
	if wait <= 0 {
		return false
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case s <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func (s semaphore) release() { <-s }
