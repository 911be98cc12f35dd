package models_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

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
				if err := models.DBForTest(s).Exec(q, args...).Error; err != nil {
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

// TestAuthenticateAlwaysHashes: every failed login spends one password
// hash, whether the account is unknown, token-only or has a password, so
// response time does not tell them apart.
func TestAuthenticateAlwaysHashes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		hash, err := models.HashPassword("a good long password")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(ctx, "pw@example.org", models.RolePlanner, hash); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(ctx, "token-only@example.org", models.RoleAnalyst, ""); err != nil {
			t.Fatal(err)
		}
		for _, email := range []string{"pw@example.org", "token-only@example.org", "nobody@example.org"} {
			before := models.PasswordChecks()
			if _, err := s.Authenticate(ctx, email, "wrong password!"); !errors.Is(err, models.ErrUnauthorized) {
				t.Errorf("%s: %v, want ErrUnauthorized", email, err)
			}
			if n := models.PasswordChecks() - before; n != 1 {
				t.Errorf("%s: %d hashes, want exactly 1", email, n)
			}
		}
	})
}

// TestBeginLoginSeesConcurrentAttempts: attempts are recorded before they
// are counted, so of a concurrent burst for one (address, account) at most
// k see fewer than k others.
func TestBeginLoginSeesConcurrentAttempts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		now := time.Now().UTC()
		var mu sync.Mutex
		var fewer int
		var wg sync.WaitGroup
		for i := 0; i < 24; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, c, err := s.BeginLogin(ctx, "victim@example.org", "203.0.113.5", now, now.Add(-time.Hour))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if c.Pair < 5 {
					fewer++
				}
				mu.Unlock()
			}()
		}
		wg.Wait()
		if fewer > 5 {
			t.Errorf("%d of 24 concurrent attempts saw fewer than 5 others", fewer)
		}
		// Unlocking forgets one address's attempts, or all of them.
		s.BeginLogin(ctx, "victim@example.org", "198.51.100.1", now, now.Add(-time.Hour))
		if n, err := s.UnlockLogins(ctx, "Victim@Example.org", "198.51.100.1"); err != nil || n != 1 {
			t.Errorf("unlock one address: %d %v", n, err)
		}
		if n, err := s.UnlockLogins(ctx, "victim@example.org", ""); err != nil || n != 24 {
			t.Errorf("unlock: %d %v, want 24", n, err)
		}
	})
}

// TestAuthLookupsReportDatabaseErrors: with the database broken, token and
// session checks fail with an error, not ErrUnauthorized (which would
// answer 401 and log browser users out).
func TestAuthLookupsReportDatabaseErrors(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		u, err := s.CreateUser(ctx, "a@example.org", models.RoleAnalyst, "")
		if err != nil {
			t.Fatal(err)
		}
		tok, _, err := s.CreateToken(ctx, u.ID, "t")
		if err != nil {
			t.Fatal(err)
		}
		plain, _, err := s.CreateSession(ctx, u.ID, "ua", "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		// The users table goes missing (a broken database): the token
		// and the session themselves are still found.
		if err := models.DBForTest(s).Exec("ALTER TABLE users RENAME TO users_gone").Error; err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.UserByToken(ctx, tok); err == nil || errors.Is(err, models.ErrUnauthorized) {
			t.Errorf("token with the users table gone: %v, want a database error", err)
		}
		if _, _, err := s.SessionUser(ctx, plain); err == nil || errors.Is(err, models.ErrUnauthorized) {
			t.Errorf("session with the users table gone: %v, want a database error", err)
		}
		if _, err := s.Authenticate(ctx, "a@example.org", "whatever password"); err == nil || errors.Is(err, models.ErrUnauthorized) {
			t.Errorf("password with the users table gone: %v, want a database error", err)
		}
	})
}
