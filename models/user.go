package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Role is what a user may do. Roles are ordered: admin can do everything a
// planner, editor or analyst can, and an editor everything a planner can
// (editors publish, correct and withdraw the records planners write).
type Role string

// The roles.
const (
	RoleAdmin   Role = "admin"
	RolePlanner Role = "planner"
	RoleEditor  Role = "editor"
	RoleAnalyst Role = "analyst"
)

// Roles lists the valid roles.
var Roles = []Role{RoleAdmin, RolePlanner, RoleAnalyst, RoleEditor}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return contains(Roles, r) }

// Allows reports whether a user with role r may act as need.
func (r Role) Allows(need Role) bool {
	return r == RoleAdmin || r == need || r == RoleEditor && need == RolePlanner
}

// validRole is the error for an unknown role.
func validRole(r Role) error {
	if !r.Valid() {
		return &ValidationError{Fields: map[string]string{"role": "must be admin, editor, planner or analyst"}}
	}
	return nil
}

// User is an account. PasswordHash is empty for token-only accounts.
type User struct {
	ID           int64  `gorm:"primaryKey"`
	Email        string `gorm:"size:320;not null"`
	PasswordHash string `gorm:"size:200"`
	Role         Role   `gorm:"size:20;not null"`
	Disabled     bool   `gorm:"not null;default:false"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// APIToken lets a script act as a user, with Role (at most the user's role)
// rather than the user's own. Only the SHA-256 of the token is stored:
// tokens are 160 random bits, so a fast hash is enough.
type APIToken struct {
	ID         int64  `gorm:"primaryKey"`
	UserID     int64  `gorm:"not null;index"`
	Name       string `gorm:"size:100"`
	Prefix     string `gorm:"size:12"`
	TokenHash  string `gorm:"size:64;not null"`
	Role       Role   `gorm:"size:20;not null"`
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// ErrDuplicate means a unique value (such as an email) is taken.
var ErrDuplicate = errors.New("already exists")

// ErrUnauthorized means a credential is unknown, revoked or disabled.
var ErrUnauthorized = errors.New("invalid credentials")

// NormalizeEmail lower-cases and checks an email address.
func NormalizeEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 320 {
		return "", &ValidationError{Fields: map[string]string{"email": "must be a valid email address"}}
	}
	return email, nil
}

// CreateUser adds a user. passwordHash may be empty (token-only account).
func (s *Store) CreateUser(ctx context.Context, email string, role Role, passwordHash string) (*User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	if err := validRole(role); err != nil {
		return nil, err
	}
	u := &User{Email: email, Role: role, PasswordHash: passwordHash}
	if err := s.db.WithContext(ctx).Create(u).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, fmt.Errorf("store: user %s: %w", email, ErrDuplicate)
		}
		return nil, fmt.Errorf("store: unable to create user: %w", err)
	}
	return u, nil
}

// UserByEmail finds a user by email.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch user: %w", err)
	}
	return &u, nil
}

// ListUsers returns every user, by email.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	var us []User
	if err := s.db.WithContext(ctx).Order("email").Find(&us).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list users: %w", err)
	}
	return us, nil
}

// UserByID finds a user by id.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	var u User
	err := s.db.WithContext(ctx).Where("id = ?", id).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch user %d: %w", id, err)
	}
	return &u, nil
}

// UpdateUser saves a user's role, password hash and disabled flag.
func (s *Store) UpdateUser(ctx context.Context, u *User) error {
	err := s.db.WithContext(ctx).Model(u).Select("role", "password_hash", "disabled", "updated_at").Updates(u).Error
	if err != nil {
		return fmt.Errorf("store: unable to update user %d: %w", u.ID, err)
	}
	return nil
}

// CreateToken issues a new API token with the user's current role and
// returns its plain text, which is shown once and never stored.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string) (string, *APIToken, error) {
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return "", nil, err
	}
	return s.CreateScopedToken(ctx, userID, name, u.Role)
}

// CreateScopedToken issues a token acting with role, which the user's own
// role must allow (a planner cannot mint an admin token).
func (s *Store) CreateScopedToken(ctx context.Context, userID int64, name string, role Role) (string, *APIToken, error) {
	if err := validRole(role); err != nil {
		return "", nil, err
	}
	// The same text rules as an event's one-line fields; 100 characters is
	// the column's width.
	v := &ValidationError{}
	name = cleanText(v, "name", name, 100, false, false)
	if err := v.orNil(); err != nil {
		return "", nil, err
	}
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return "", nil, err
	}
	if !u.Role.Allows(role) {
		return "", nil, &ValidationError{Fields: map[string]string{"role": "must not exceed the user's role (" + string(u.Role) + ")"}}
	}
	raw := make([]byte, 20)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, err
	}
	plain := "slk_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw))
	t := &APIToken{UserID: userID, Name: name, Prefix: plain[:8], TokenHash: hashToken(plain), Role: role}
	if err := s.db.WithContext(ctx).Create(t).Error; err != nil {
		return "", nil, fmt.Errorf("store: unable to create token: %w", err)
	}
	return plain, t, nil
}

// UserByToken resolves a bearer token to its live, enabled user and records
// when it was last used. The returned user's Role is the token's role, so
// every later check acts with the token's rights, never the user's. A token
// whose role the user no longer has (the user was demoted) stops working
// rather than keeping rights the user lost.
func (s *Store) UserByToken(ctx context.Context, plain string) (*User, *APIToken, error) {
	ctx = OnPrimary(ctx) // a token made a moment ago works at once
	if !strings.HasPrefix(plain, "slk_") || len(plain) > 100 {
		return nil, nil, ErrUnauthorized
	}
	var t APIToken
	err := s.db.WithContext(ctx).Where("token_hash = ? AND revoked_at IS NULL", hashToken(plain)).First(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, ErrUnauthorized
	}
	if err != nil {
		return nil, nil, fmt.Errorf("store: unable to check token: %w", err)
	}
	var u User
	if err := s.db.WithContext(ctx).First(&u, t.UserID).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, ErrUnauthorized
	} else if err != nil {
		// A failing database is not a bad token.
		return nil, nil, fmt.Errorf("store: unable to read token's user: %w", err)
	}
	if u.Disabled || !t.Role.Valid() || !u.Role.Allows(t.Role) {
		return nil, nil, ErrUnauthorized
	}
	u.Role = t.Role
	now := time.Now().UTC()
	// Only write when the stored time is stale, so a busy script does not
	// turn every read into a write.
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		s.db.WithContext(ctx).Model(&t).Update("last_used_at", now)
		t.LastUsedAt = &now
	}
	return &u, &t, nil
}

// ListTokens returns a user's tokens (without secrets).
func (s *Store) ListTokens(ctx context.Context, userID int64) ([]APIToken, error) {
	var ts []APIToken
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Order("id").Find(&ts).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list tokens: %w", err)
	}
	return ts, nil
}

// RevokeToken stops a token from working.
func (s *Store) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	res := s.db.WithContext(ctx).Model(&APIToken{}).Where("id = ? AND user_id = ? AND revoked_at IS NULL", tokenID, userID).
		Update("revoked_at", time.Now().UTC())
	if res.Error != nil {
		return fmt.Errorf("store: unable to revoke token: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

func hashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}
