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
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

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
	u, err := s.UserByEmail(ctx, email)
	if errors.Is(err, ErrNotFound) {
		CheckPassword(dummyHash(), password)
		return nil, ErrUnauthorized
	}
	if err != nil {
		return nil, err
	}
	if u.PasswordHash == "" || !CheckPassword(u.PasswordHash, password) || u.Disabled {
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
	if err := s.DB.WithContext(ctx).Create(sess).Error; err != nil {
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
	err := s.DB.WithContext(ctx).Where("token_hash = ? AND expires_at > ?", hashToken(plain), now).First(&sess).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, ErrUnauthorized
	}
	if err != nil {
		return nil, nil, fmt.Errorf("store: unable to read session: %w", err)
	}
	var u User
	if err := s.DB.WithContext(ctx).First(&u, sess.UserID).Error; err != nil || u.Disabled {
		return nil, nil, ErrUnauthorized
	}
	if now.Sub(sess.LastSeenAt) > time.Minute {
		s.DB.WithContext(ctx).Model(&sess).Updates(map[string]any{"last_seen_at": now, "expires_at": now.Add(SessionTTL)})
	}
	return &sess, &u, nil
}

// DeleteSession ends a session (logout).
func (s *Store) DeleteSession(ctx context.Context, plain string) error {
	return s.DB.WithContext(ctx).Where("token_hash = ?", hashToken(plain)).Delete(&Session{}).Error
}

// DeleteUserSessions ends every session of a user (password change, disable).
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) error {
	return s.DB.WithContext(ctx).Where("user_id = ?", userID).Delete(&Session{}).Error
}

// RecordFailedLogin notes a failed attempt.
func (s *Store) RecordFailedLogin(ctx context.Context, email, ip string) error {
	return s.DB.WithContext(ctx).Create(&LoginAttempt{Email: strings.ToLower(truncate(email, 320)), IP: truncate(ip, 64), At: time.Now().UTC()}).Error
}

// FailedLogins counts failures for an email and for an IP since a time.
func (s *Store) FailedLogins(ctx context.Context, email, ip string, since time.Time) (byEmail, byIP int64, err error) {
	ctx = OnPrimary(ctx) // the lockout counts every attempt so far
	db := s.DB.WithContext(ctx).Model(&LoginAttempt{})
	if err = db.Where("email = ? AND at > ?", strings.ToLower(email), since).Count(&byEmail).Error; err != nil {
		return
	}
	err = s.DB.WithContext(ctx).Model(&LoginAttempt{}).Where("ip = ? AND at > ?", ip, since).Count(&byIP).Error
	return
}

// ClearFailedLogins forgets an email's failures after a successful login.
func (s *Store) ClearFailedLogins(ctx context.Context, email string) error {
	return s.DB.WithContext(ctx).Where("email = ?", strings.ToLower(email)).Delete(&LoginAttempt{}).Error
}

func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
