package migrations

import (
	"time"

	"gorm.io/gorm"
)

type userV2 struct {
	ID           int64  `gorm:"primaryKey"`
	Email        string `gorm:"size:320;not null"`
	PasswordHash string `gorm:"size:200"`
	Role         string `gorm:"size:20;not null"`
	Disabled     bool   `gorm:"not null;default:false"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (userV2) TableName() string { return "users" }

type apiTokenV2 struct {
	ID         int64  `gorm:"primaryKey"`
	UserID     int64  `gorm:"not null;index:idx_api_tokens_user_id"`
	Name       string `gorm:"size:100"`
	Prefix     string `gorm:"size:12"`
	TokenHash  string `gorm:"size:64;not null"`
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

func (apiTokenV2) TableName() string { return "api_tokens" }

func migrateUsers(tx *gorm.DB, _ Backend) error {
	if err := tx.Migrator().CreateTable(&userV2{}, &apiTokenV2{}); err != nil {
		return err
	}
	return execAll(tx,
		`CREATE UNIQUE INDEX ux_users_email ON users (email)`,
		`CREATE UNIQUE INDEX ux_api_tokens_hash ON api_tokens (token_hash)`,
	)
}
