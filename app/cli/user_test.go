package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/app"
	"github.com/strikeline/strikeline/models"
)

// cliRun runs one command against the SQLite file db with stdin in.
func cliRun(t *testing.T, db, in string, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(in), Stdout: &out, Stderr: &errb,
		Config: app.Config{SQLitePath: db}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	code := Run(context.Background(), env, args)
	return code, out.String() + errb.String()
}

var tokenRe = regexp.MustCompile(`slk_[a-z0-9]+`)

func TestUserCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	ctx := context.Background()
	code, out := cliRun(t, db, "correct horse battery\n", "user", "add", "--role", "admin", "--password-stdin", "boss@example.org")
	if code != 0 || !tokenRe.MatchString(out) {
		t.Fatalf("user add: %d %s", code, out)
	}
	adminTok := tokenRe.FindString(out)

	s, err := models.Open(ctx, models.Options{SQLitePath: db})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Authenticate(ctx, "boss@example.org", "correct horse battery"); err != nil {
		t.Fatalf("password from stdin not set: %v", err)
	}

	// A scoped token: analyst rights only.
	code, out = cliRun(t, db, "", "user", "token", "add", "--role", "analyst", "--name", "exports", "boss@example.org")
	if code != 0 {
		t.Fatalf("token add: %d %s", code, out)
	}
	scoped := tokenRe.FindString(out)
	u, _, err := s.UserByToken(ctx, scoped)
	if err != nil || u.Role != models.RoleAnalyst {
		t.Fatalf("scoped token acts as %v (%v), want analyst", u, err)
	}
	if code, out = cliRun(t, db, "", "user", "token", "list", "boss@example.org"); code != 0 || !strings.Contains(out, "exports") || strings.Contains(out, scoped) {
		t.Errorf("token list: %d %s", code, out)
	}
	if code, out = cliRun(t, db, "", "user", "token", "revoke", "boss@example.org", "2"); code != 0 {
		t.Errorf("token revoke: %d %s", code, out)
	}
	if code, _ = cliRun(t, db, "", "user", "token", "revoke", "boss@example.org", "2"); code != 1 {
		t.Errorf("second revoke exit code %d, want 1", code)
	}

	// Editors publish and withdraw; their role allows what planners do.
	code, out = cliRun(t, db, "", "user", "add", "--role", "editor", "desk@example.org")
	if code != 0 || !tokenRe.MatchString(out) {
		t.Fatalf("user add --role editor: %d %s", code, out)
	}
	if ed, _, err := s.UserByToken(ctx, tokenRe.FindString(out)); err != nil || ed.Role != models.RoleEditor || !ed.Role.Allows(models.RolePlanner) {
		t.Fatalf("editor account: %+v %v", ed, err)
	}

	// passwd ends sessions; the old password stops working.
	plain, _, err := s.CreateSession(ctx, 1, "ua", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if code, out = cliRun(t, db, "a brand new password\n", "user", "passwd", "boss@example.org"); code != 0 {
		t.Fatalf("passwd: %d %s", code, out)
	}
	if _, err := s.Authenticate(ctx, "boss@example.org", "correct horse battery"); err == nil {
		t.Error("old password still works")
	}
	if _, _, err := s.SessionUser(ctx, plain); !errors.Is(err, models.ErrUnauthorized) {
		t.Errorf("a session survives passwd: %v", err)
	}
	if code, out = cliRun(t, db, "short\n", "user", "passwd", "boss@example.org"); code != 1 || !strings.Contains(out, "10 characters") {
		t.Errorf("short password: %d %s", code, out)
	}

	// disable stops tokens; enable restores them.
	if code, out = cliRun(t, db, "", "user", "disable", "boss@example.org"); code != 0 {
		t.Fatalf("disable: %d %s", code, out)
	}
	if _, _, err := s.UserByToken(ctx, adminTok); err == nil {
		t.Error("disabled user's token still works")
	}
	if code, out = cliRun(t, db, "", "user", "enable", "boss@example.org"); code != 0 {
		t.Fatalf("enable: %d %s", code, out)
	}
	if _, _, err := s.UserByToken(ctx, adminTok); err != nil {
		t.Errorf("enabled user's token: %v", err)
	}
	if code, out = cliRun(t, db, "", "user", "list"); code != 0 || !strings.Contains(out, "boss@example.org") {
		t.Errorf("list: %d %s", code, out)
	}
	if code, _ = cliRun(t, db, "", "user", "disable", "nobody@example.org"); code != 1 {
		t.Errorf("disable unknown user: exit %d", code)
	}
	if code, _ = cliRun(t, db, "", "user", "frobnicate"); code != 2 {
		t.Errorf("unknown sub-command: exit %d", code)
	}
}

// TestUserUnlock: `user unlock` forgets an account's failed logins, all of
// them or one address's, with its flag before or after the email.
func TestUserUnlock(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	ctx := context.Background()
	if code, out := cliRun(t, db, "", "user", "add", "victim@example.org", "--role", "analyst"); code != 0 || !strings.Contains(out, "(analyst)") {
		t.Fatalf("user add with the flag last: %d %s", code, out)
	}
	s, err := models.Open(ctx, models.Options{SQLitePath: db})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now().UTC()
	for _, ip := range []string{"203.0.113.1", "203.0.113.1", "198.51.100.2"} {
		if _, _, err := s.BeginLogin(ctx, "victim@example.org", ip, now, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	count := func(ip string) int64 {
		n, err := s.CountLogins(ctx, "victim@example.org", ip, now.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if code, out := cliRun(t, db, "", "user", "unlock", "victim@example.org", "--ip", "203.0.113.1"); code != 0 || !strings.Contains(out, "2 failed login(s) forgotten") {
		t.Errorf("unlock one address: %d %s", code, out)
	}
	if count("203.0.113.1") != 0 || count("") != 1 {
		t.Errorf("after unlocking one address: %d left from it, %d in all", count("203.0.113.1"), count(""))
	}
	if code, out := cliRun(t, db, "", "user", "unlock", "victim@example.org"); code != 0 || count("") != 0 {
		t.Errorf("unlock: %d %s, %d left", code, out, count(""))
	}
	if code, out := cliRun(t, db, "", "user", "unlock", "nobody@example.org"); code == 0 || !strings.Contains(out, "no user") {
		t.Errorf("unlock unknown user: %d %s", code, out)
	}
	if code, _ := cliRun(t, db, "", "user", "unlock"); code == 0 {
		t.Error("unlock without an email succeeded")
	}
}
