package migrations

import "gorm.io/gorm"

// migrateTokenRoles adds api_tokens.role: a token may carry a narrower role
// than its user (a read-and-import script need not be able to edit records).
// Existing tokens get their user's current role, which is what they could do
// before, so no script loses or gains rights on upgrade.
func migrateTokenRoles(tx *gorm.DB, _ Backend) error {
	return execAll(tx,
		`ALTER TABLE api_tokens ADD COLUMN role VARCHAR(20) NOT NULL DEFAULT ''`,
		// COALESCE: a token whose user is gone keeps '' (no valid role),
		// which UserByToken refuses.
		`UPDATE api_tokens SET role = COALESCE((SELECT users.role FROM users WHERE users.id = api_tokens.user_id), '')`,
	)
}
