package app

import (
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/validate"
)

// tokenView is an API token as the API shows it: never the secret or its
// hash, only the prefix to recognise it by.
type tokenView struct {
	ID         int64       `json:"id"`
	Name       string      `json:"name"`
	Prefix     string      `json:"prefix"`
	Role       models.Role `json:"role"`
	CreatedAt  time.Time   `json:"created_at"`
	LastUsedAt *time.Time  `json:"last_used_at"`
	RevokedAt  *time.Time  `json:"revoked_at"`
}

func viewToken(t models.APIToken) tokenView {
	return tokenView{ID: t.ID, Name: t.Name, Prefix: t.Prefix, Role: t.Role, CreatedAt: t.CreatedAt,
		LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt}
}

// userView is an account as the API shows it (no password hash).
type userView struct {
	ID          int64       `json:"id"`
	Email       string      `json:"email"`
	Role        models.Role `json:"role"`
	Disabled    bool        `json:"disabled"`
	HasPassword bool        `json:"has_password"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
}

func viewUser(u models.User) userView {
	return userView{ID: u.ID, Email: u.Email, Role: u.Role, Disabled: u.Disabled, HasPassword: u.PasswordHash != "",
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
}

// decodeStrict reads one JSON object into v, rejecting unknown fields (a
// misspelt "disabled" must not be silently ignored) and trailing data.
func decodeStrict(body []byte, v any) error {
	return models.AsValidationError(validate.Decode(body, v))
}
