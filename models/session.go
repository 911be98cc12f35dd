package models

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
	"gorm.io/gorm"
)

// Session is a logged-in browser. It lives in the database so that any app
// instance behind a load balancer can serve the next request. Only the hash
// of the cookie value is stored.
type Session struct {
	ID         int64  `gorm:"primaryKey"`
	TokenHash  string `gorm:"size:64;not null"`
	UserID     int64  `gorm:"not null;index"`
	CSRFToken  string `gorm:"size:64;not null"`
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time `gorm:"not null;index"`
	UserAgent  string    `gorm:"size:300"`
	IP         string    `gorm:"size:64"`
}

// LoginAttempt is one failed login, kept to rate-limit and lock out guessing
// across every app instance.
type LoginAttempt struct {
	ID    int64     `gorm:"primaryKey"`
	Email string    `gorm:"size:320;not null;index"`
	IP    string    `gorm:"size:64;not null;index"`
	At    time.Time `gorm:"not null;index"`
}

// SessionTTL is how long an idle session stays valid.
const SessionTTL = 12 * time.Hour

// Argon2id parameters (RFC 9106 second recommended option, memory-lighter).
const (
	argonTime    = 2
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
)

// HashPassword returns an argon2id PHC-style hash of password.
func HashPassword(password string) (string, error) {
	if len(password) < 10 {
		return "", &ValidationError{Fields: map[string]string{"password": "must be at least 10 characters"}}
	}
	if len(password) > 1000 {
		return "", &ValidationError{Fields: map[string]string{"password": "must be at most 1000 characters"}}
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches hash, in constant time.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || m > 1<<20 || t > 10 {
		return false
	}
	passwordChecks.Add(1)
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// passwordChecks counts argon2id computations, so a test can see that a
// code path spends a hash without timing it.
var passwordChecks atomic.Int64

// PasswordChecks is how many argon2id hashes this process has computed.
func PasswordChecks() int64 { return passwordChecks.Load() }

// dummyHash is compared against when the email is unknown, so a login for a
// missing user takes as long as one for a real user.
// It is made on first use: argon2id costs 64 MiB and tens of milliseconds,
// which every CLI start would otherwise pay at package init.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not-a-real-password-at-all")
	return h
})

// Authenticate checks an email and password. Unknown users, disabled users
// and wrong passwords all give ErrUnauthorized.
func (s *Store) Authenticate(ctx context.Context, email, password string) (*User, error) {
	ctx = OnPrimary(ctx) // an account made a moment ago can log in
	var u *User
	email, err := NormalizeEmail(email)
	if err == nil {
		u, err = s.UserByEmail(ctx, email)
	} else {
		// No account can have an address that does not normalise (they
		// are all made through NormalizeEmail): unknown, without asking
		// the database (PostgreSQL refuses NUL and invalid UTF-8).
		err = ErrNotFound
	}
	if errors.Is(err, ErrNotFound) {
		CheckPassword(dummyHash(), password)
		return nil, ErrUnauthorized
	}
	if err != nil {
		return nil, err
	}
	if u.PasswordHash == "" {
		// A token-only account spends the same hash as any other, so
		// timing does not tell it apart from an account with a password.
		CheckPassword(dummyHash(), password)
		return nil, ErrUnauthorized
	}
	if !CheckPassword(u.PasswordHash, password) || u.Disabled {
		return nil, ErrUnauthorized
	}
	return u, nil
}

// CreateSession starts a session for a user and returns the cookie value.
func (s *Store) CreateSession(ctx context.Context, userID int64, userAgent, ip string) (string, *Session, error) {
	plain, err := randomToken(32)
	if err != nil {
		return "", nil, err
	}
	csrf, err := randomToken(32)
	if err != nil {
		return "", nil, err
	}
	now := time.Now().UTC()
	sess := &Session{TokenHash: hashToken(plain), UserID: userID, CSRFToken: csrf, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(SessionTTL), UserAgent: truncate(userAgent, 300), IP: truncate(ip, 64)}
	if err := s.db.WithContext(ctx).Create(sess).Error; err != nil {
		return "", nil, fmt.Errorf("store: unable to create session: %w", err)
	}
	return plain, sess, nil
}

// SessionUser resolves a session cookie to its session and enabled user,
// sliding the expiry forward.
func (s *Store) SessionUser(ctx context.Context, plain string) (*Session, *User, error) {
	ctx = OnPrimary(ctx) // the session made by the login just before
	if plain == "" || len(plain) > 100 {
		return nil, nil, ErrUnauthorized
	}
	var sess Session
	now := time.Now().UTC()
	err := s.db.WithContext(ctx).Where("token_hash = ? AND expires_at > ?", hashToken(plain), now).First(&sess).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, ErrUnauthorized
	}
	if err != nil {
		return nil, nil, fmt.Errorf("store: unable to read session: %w", err)
	}
	var u User
	if err := s.db.WithContext(ctx).First(&u, sess.UserID).Error; errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && u.Disabled) {
		return nil, nil, ErrUnauthorized
	} else if err != nil {
		// A failing database is not a stale session: the cookie stays.
		return nil, nil, fmt.Errorf("store: unable to read session's user: %w", err)
	}
	if now.Sub(sess.LastSeenAt) > time.Minute {
		s.db.WithContext(ctx).Model(&sess).Updates(map[string]any{"last_seen_at": now, "expires_at": now.Add(SessionTTL)})
	}
	return &sess, &u, nil
}

// DeleteSession ends a session (logout).
func (s *Store) DeleteSession(ctx context.Context, plain string) error {
	return s.db.WithContext(ctx).Where("token_hash = ?", hashToken(plain)).Delete(&Session{}).Error
}

// DeleteUserSessions ends every session of a user (password change, disable).
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) error {
	return s.db.WithContext(ctx).Where("user_id = ?", userID).Delete(&Session{}).Error
}

// LoginCounts is what BeginLogin saw before this attempt: the other
// attempts (failed or still being checked) from the same address for the
// same account and for any account, inside the window, and when the latest
// of the pair's was made.
type LoginCounts struct {
	Pair, IP int64
	PairLast time.Time
}

// BeginLogin records a login attempt before its password is checked and
// then counts the others, so that a burst of concurrent attempts sees
// itself: each attempt's row is written before it counts, hence the k-th
// attempt to commit counts at least k-1 others. The row stays as a failure
// unless LoginSucceeded or ForgetLoginAttempt removes it.
func (s *Store) BeginLogin(ctx context.Context, email, ip string, now, since time.Time) (int64, LoginCounts, error) {
	ctx = OnPrimary(ctx) // the throttle counts every attempt so far
	email, ip = loginKey(email), loginKey(ip)
	a := &LoginAttempt{Email: email, IP: ip, At: now.UTC()}
	var c LoginCounts
	if err := s.db.WithContext(ctx).Create(a).Error; err != nil {
		return 0, c, fmt.Errorf("store: unable to record login attempt: %w", err)
	}
	pair := s.db.WithContext(ctx).Model(&LoginAttempt{}).Where("email = ? AND ip = ? AND at > ? AND id <> ?", email, ip, since, a.ID)
	if err := pair.Count(&c.Pair).Error; err != nil {
		return a.ID, c, fmt.Errorf("store: unable to count login attempts: %w", err)
	}
	if c.Pair > 0 {
		var latest LoginAttempt
		err := s.db.WithContext(ctx).Where("email = ? AND ip = ? AND at > ? AND id <> ?", email, ip, since, a.ID).
			Order("at DESC").Limit(1).Find(&latest).Error
		if err != nil {
			return a.ID, c, fmt.Errorf("store: unable to read login attempts: %w", err)
		}
		c.PairLast = latest.At
	}
	err := s.db.WithContext(ctx).Model(&LoginAttempt{}).Where("ip = ? AND at > ? AND id <> ?", ip, since, a.ID).Count(&c.IP).Error
	if err != nil {
		return a.ID, c, fmt.Errorf("store: unable to count login attempts: %w", err)
	}
	return a.ID, c, nil
}

// loginKey is how an email or address typed into the login form is kept
// in login_attempts: lower case, valid UTF-8 without control characters
// (PostgreSQL refuses NUL), within the column's 320 characters.
func loginKey(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToValidUTF8(strings.ToLower(strings.TrimSpace(s)), "\uFFFD"))
	return clipMiddle(s, 320)
}

// ForgetLoginAttempt removes an attempt that was refused before its
// password was checked, so waiting out a refusal is not itself a failure.
func (s *Store) ForgetLoginAttempt(ctx context.Context, id int64) error {
	if err := s.db.WithContext(ctx).Delete(&LoginAttempt{}, id).Error; err != nil {
		return fmt.Errorf("store: unable to forget login attempt: %w", err)
	}
	return nil
}

// LoginSucceeded forgets the failures of this address for this account
// (and the successful attempt itself). Failures from other addresses stay:
// they are someone else's, and count only against that someone.
func (s *Store) LoginSucceeded(ctx context.Context, email, ip string) error {
	err := s.db.WithContext(ctx).Where("email = ? AND ip = ?", loginKey(email), loginKey(ip)).
		Delete(&LoginAttempt{}).Error
	if err != nil {
		return fmt.Errorf("store: unable to clear login attempts: %w", err)
	}
	return nil
}

// UnlockLogins forgets an account's failed logins, from every address or
// from ip only, and returns how many were forgotten (strikeline user
// unlock).
func (s *Store) UnlockLogins(ctx context.Context, email, ip string) (int64, error) {
	q := s.db.WithContext(ctx).Where("email = ?", loginKey(email))
	if ip != "" {
		q = q.Where("ip = ?", loginKey(ip))
	}
	res := q.Delete(&LoginAttempt{})
	if res.Error != nil {
		return 0, fmt.Errorf("store: unable to unlock %s: %w", email, res.Error)
	}
	return res.RowsAffected, nil
}

// CountLogins counts the recorded attempts for an account since a time,
// from ip or (ip empty) from anywhere.
func (s *Store) CountLogins(ctx context.Context, email, ip string, since time.Time) (int64, error) {
	ctx = OnPrimary(ctx) // the throttle counts every attempt so far
	var n int64
	q := s.db.WithContext(ctx).Model(&LoginAttempt{}).Where("email = ? AND at > ?", loginKey(email), since)
	if ip != "" {
		q = q.Where("ip = ?", loginKey(ip))
	}
	if err := q.Count(&n).Error; err != nil {
		return 0, fmt.Errorf("store: unable to count login attempts: %w", err)
	}
	return n, nil
}

func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
