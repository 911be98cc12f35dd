package app

import (
	"errors"
	"fmt"
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
// An unknown member is a 400 here, as these routes have always answered it.
func decodeStrict(body []byte, v any) error {
	err := validate.Decode(body, v)
	var l validate.FieldErrors
	if errors.As(err, &l) && l[0].Code == validate.CodeUnknownField {
		return fmt.Errorf("%w: unknown field %q", models.ErrMalformed, l[0].Field)
	}
	return models.AsValidationError(err)
}
