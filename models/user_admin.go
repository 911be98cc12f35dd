package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// UserChange is a partial update of an account; nil fields are left alone.
type UserChange struct {
	Role     *Role
	Disabled *bool
	// PasswordHash replaces the password (HashPassword's output).
	PasswordHash *string
}

// ChangeUser applies c to the user in one transaction. A new password, a
// disable or a role change ends the user's sessions, so a stolen browser
// session dies with the old credentials; a disabled user's tokens stop
// working at once because UserByToken checks the flag on every request.
func (s *Store) ChangeUser(ctx context.Context, id int64, c UserChange) (*User, error) {
	var out *User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		if err := tx.Where("id = ?", id).First(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrNotFound
			}
			return fmt.Errorf("store: unable to fetch user %d: %w", id, err)
		}
		endSessions := false
		if c.Role != nil {
			if err := validRole(*c.Role); err != nil {
				return err
			}
			endSessions = endSessions || *c.Role != u.Role
			u.Role = *c.Role
		}
		if c.Disabled != nil {
			endSessions = endSessions || *c.Disabled
			u.Disabled = *c.Disabled
		}
		if c.PasswordHash != nil {
			endSessions = true
			u.PasswordHash = *c.PasswordHash
		}
		if err := tx.Model(&u).Select("role", "password_hash", "disabled", "updated_at").Updates(&u).Error; err != nil {
			return fmt.Errorf("store: unable to update user %d: %w", id, err)
		}
		if endSessions {
			if err := tx.Where("user_id = ?", id).Delete(&Session{}).Error; err != nil {
				return fmt.Errorf("store: unable to end sessions of user %d: %w", id, err)
			}
		}
		out = &u
		return nil
	})
	return out, err
}
