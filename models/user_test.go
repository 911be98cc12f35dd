package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// TestTokenRoleMigration: tokens issued before migration 5 keep exactly
// their user's role, and a token whose user is gone stops working.
func TestTokenRoleMigration(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(string(b), func(t *testing.T) {
			ctx := context.Background()
			s := testdb.Open(t, b)
			if err := s.MigrateUpTo(ctx, 3); err != nil {
				t.Fatal(err)
			}
			// As the version-2 code wrote them (no role column).
			exec := func(q string, args ...any) {
				t.Helper()
				if err := s.DB.Exec(q, args...).Error; err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			exec(`INSERT INTO users (id, email, role, disabled, created_at, updated_at) VALUES (1, 'a@example.org', 'analyst', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`)
			exec(`INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at) VALUES (1, 'old', 'slk_old', ?, CURRENT_TIMESTAMP)`, models.HashTokenForTest("slk_oldtoken"))
			exec(`INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at) VALUES (99, 'orphan', 'slk_orp', ?, CURRENT_TIMESTAMP)`, models.HashTokenForTest("slk_orphan"))
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			u, tok, err := s.UserByToken(ctx, "slk_oldtoken")
			if err != nil || tok.Role != models.RoleAnalyst || u.Role != models.RoleAnalyst {
				t.Errorf("old token after migration: %+v %+v %v", u, tok, err)
			}
			if _, _, err := s.UserByToken(ctx, "slk_orphan"); !errors.Is(err, models.ErrUnauthorized) {
				t.Errorf("orphan token: %v", err)
			}
		})
	}
}

func TestScopedTokens(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		u, err := s.CreateUser(ctx, "p@example.org", models.RolePlanner, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.CreateScopedToken(ctx, u.ID, "x", models.RoleAdmin); err == nil {
			t.Error("planner got an admin token")
		}
		if _, _, err := s.CreateScopedToken(ctx, u.ID, "x", models.RoleAnalyst); err == nil {
			t.Error("planner got an analyst token (roles are not nested below admin)")
		}
		if _, _, err := s.CreateScopedToken(ctx, u.ID, "x", "root"); err == nil {
			t.Error("unknown role accepted")
		}
		plain, _, err := s.CreateScopedToken(ctx, u.ID, "x", models.RolePlanner)
		if err != nil {
			t.Fatal(err)
		}
		// Demote the user: the planner token stops working.
		analyst := models.RoleAnalyst
		if _, err := s.ChangeUser(ctx, u.ID, models.UserChange{Role: &analyst}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.UserByToken(ctx, plain); !errors.Is(err, models.ErrUnauthorized) {
			t.Errorf("token of a demoted user: %v", err)
		}
	})
}
