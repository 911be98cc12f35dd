package migrations

import (
	"time"

	"gorm.io/gorm"
)

type sessionV3 struct {
	ID         int64  `gorm:"primaryKey"`
	TokenHash  string `gorm:"size:64;not null"`
	UserID     int64  `gorm:"not null;index:idx_sessions_user_id"`
	CSRFToken  string `gorm:"size:64;not null"`
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time `gorm:"not null;index:idx_sessions_expires_at"`
	UserAgent  string    `gorm:"size:300"`
	IP         string    `gorm:"size:64"`
}

func (sessionV3) TableName() string { return "sessions" }

type loginAttemptV3 struct {
	ID    int64     `gorm:"primaryKey"`
	Email string    `gorm:"size:320;not null;index:idx_login_attempts_email"`
	IP    string    `gorm:"size:64;not null;index:idx_login_attempts_ip"`
	At    time.Time `gorm:"not null;index:idx_login_attempts_at"`
}

func (loginAttemptV3) TableName() string { return "login_attempts" }

func migrateSessions(tx *gorm.DB, _ Backend) error {
	if err := tx.Migrator().CreateTable(&sessionV3{}, &loginAttemptV3{}); err != nil {
		return err
	}
	return execAll(tx, `CREATE UNIQUE INDEX ux_sessions_token_hash ON sessions (token_hash)`)
}
