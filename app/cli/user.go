package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/strikeline/strikeline/models"
)

func init() {
	register(command{"user", "user add|passwd|disable|enable|unlock|list|token   manage accounts and API tokens", runUser})
}

const userUsage = `usage:
  strikeline user add [--role admin|planner|analyst] [--password-stdin] EMAIL
  strikeline user passwd EMAIL          (new password from stdin or a prompt)
  strikeline user disable EMAIL         (ends sessions; tokens stop working)
  strikeline user enable EMAIL
  strikeline user unlock [--ip ADDRESS] EMAIL   (forget failed logins)
  strikeline user list
  strikeline user token add [--role ROLE] [--name NAME] EMAIL
  strikeline user token list EMAIL
  strikeline user token revoke EMAIL ID`

func runUser(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usageError{userUsage}
	}
	switch args[0] {
	case "add":
		return userAdd(ctx, env, args[1:])
	case "passwd":
		return userPasswd(ctx, env, args[1:])
	case "disable", "enable":
		return userSetDisabled(ctx, env, args[1:], args[0] == "disable")
	case "unlock":
		return userUnlock(ctx, env, args[1:])
	case "list":
		return userList(ctx, env)
	case "token":
		return runToken(ctx, env, args[1:])
	}
	return usageError{fmt.Sprintf("unknown user command %q\n%s", args[0], userUsage)}
}

func userAdd(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("user add", env)
	role := fs.String("role", "planner", "admin, editor, planner or analyst")
	pwStdin := fs.Bool("password-stdin", false, "read a login password from the first line of stdin (else the account is token-only)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError{err.Error()}
	}
	if len(pos) != 1 {
		return usageError{"usage: strikeline user add [--role ROLE] [--password-stdin] EMAIL"}
	}
	hash := ""
	if *pwStdin {
		pw, err := readLine(stdin(env))
		if err != nil {
			return err
		}
		if hash, err = models.HashPassword(pw); err != nil {
			return err
		}
	}
	s, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := s.CreateUser(ctx, pos[0], models.Role(*role), hash)
	if err != nil {
		return err
	}
	token, _, err := s.CreateToken(ctx, u.ID, "created by user add")
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created %s (%s)\nAPI token (shown once; send as \"Authorization: Bearer TOKEN\"):\n%s\n", u.Email, u.Role, token)
	return nil
}

// userUnlock forgets an account's failed logins (from every address, or
// from one), so throttled logins are checked again at once.
func userUnlock(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("user unlock", env)
	ip := fs.String("ip", "", "forget only the failures from this address")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return usageError{err.Error()}
	}
	if len(pos) != 1 {
		return usageError{"usage: strikeline user unlock [--ip ADDRESS] EMAIL"}
	}
	return withUser(ctx, env, pos[0], func(s *models.Store, u *models.User) error {
		n, err := s.UnlockLogins(ctx, u.Email, *ip)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s: %d failed login(s) forgotten\n", u.Email, n)
		return nil
	})
}

// parseInterspersed parses flags wherever they appear among the
// positional arguments (flag.Parse stops at the first positional one) and
// returns the positional ones; after "--" everything is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

func userPasswd(ctx context.Context, env *Env, args []string) error {
	if len(args) != 1 {
		return usageError{"usage: strikeline user passwd EMAIL"}
	}
	pw, err := readNewPassword(env)
	if err != nil {
		return err
	}
	hash, err := models.HashPassword(pw)
	if err != nil {
		return err
	}
	return changeUser(ctx, env, args[0], models.UserChange{PasswordHash: &hash}, "password changed; sessions ended")
}

func userSetDisabled(ctx context.Context, env *Env, args []string, disabled bool) error {
	if len(args) != 1 {
		return usageError{"usage: strikeline user disable|enable EMAIL"}
	}
	msg := "enabled"
	if disabled {
		msg = "disabled; sessions ended and API tokens refused"
	}
	return changeUser(ctx, env, args[0], models.UserChange{Disabled: &disabled}, msg)
}

func changeUser(ctx context.Context, env *Env, email string, c models.UserChange, done string) error {
	return withUser(ctx, env, email, func(s *models.Store, u *models.User) error {
		if _, err := s.ChangeUser(ctx, u.ID, c); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s: %s\n", u.Email, done)
		return nil
	})
}

func userList(ctx context.Context, env *Env) error {
	s, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer s.Close()
	us, err := s.ListUsers(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tEMAIL\tROLE\tPASSWORD\tDISABLED\tCREATED")
	for _, u := range us {
		fmt.Fprintf(w, "%d\t%s\t%s\t%v\t%v\t%s\n", u.ID, u.Email, u.Role, u.PasswordHash != "", u.Disabled, u.CreatedAt.Format("2006-01-02"))
	}
	return w.Flush()
}

func runToken(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usageError{userUsage}
	}
	switch args[0] {
	case "add":
		return tokenAdd(ctx, env, args[1:])
	case "list":
		return tokenList(ctx, env, args[1:])
	case "revoke":
		return tokenRevoke(ctx, env, args[1:])
	}
	return usageError{fmt.Sprintf("unknown token command %q\n%s", args[0], userUsage)}
}

func tokenAdd(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("user token add", env)
	role := fs.String("role", "", "the token's role, at most the user's (default: the user's role)")
	name := fs.String("name", "command line", "a label to recognise the token by")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		return usageError{"usage: strikeline user token add [--role ROLE] [--name NAME] EMAIL"}
	}
	return withUser(ctx, env, fs.Arg(0), func(s *models.Store, u *models.User) error {
		r := u.Role
		if *role != "" {
			r = models.Role(*role)
		}
		plain, t, err := s.CreateScopedToken(ctx, u.ID, *name, r)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "token %d for %s (%s), shown once:\n%s\n", t.ID, u.Email, t.Role, plain)
		return nil
	})
}

func tokenList(ctx context.Context, env *Env, args []string) error {
	if len(args) != 1 {
		return usageError{"usage: strikeline user token list EMAIL"}
	}
	return withUser(ctx, env, args[0], func(s *models.Store, u *models.User) error {
		ts, err := s.ListTokens(ctx, u.ID)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tPREFIX\tROLE\tNAME\tCREATED\tLAST USED\tREVOKED")
		for _, t := range ts {
			fmt.Fprintf(w, "%d\t%s…\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Prefix, t.Role, t.Name, t.CreatedAt.Format("2006-01-02"),
				fmtTime(t.LastUsedAt), fmtTime(t.RevokedAt))
		}
		return w.Flush()
	})
}

func tokenRevoke(ctx context.Context, env *Env, args []string) error {
	if len(args) != 2 {
		return usageError{"usage: strikeline user token revoke EMAIL ID"}
	}
	id, err := strconv.ParseInt(args[1], 10, 64)
	if err != nil {
		return usageError{"token ID must be a number (see user token list)"}
	}
	return withUser(ctx, env, args[0], func(s *models.Store, u *models.User) error {
		if err := s.RevokeToken(ctx, u.ID, id); err != nil {
			if errors.Is(err, models.ErrNotFound) {
				return fmt.Errorf("%s has no live token %d", u.Email, id)
			}
			return err
		}
		fmt.Fprintf(env.Stdout, "token %d of %s revoked\n", id, u.Email)
		return nil
	})
}

// withUser opens the store, finds the user with this email and runs fn.
func withUser(ctx context.Context, env *Env, email string, fn func(*models.Store, *models.User) error) error {
	s, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := userByEmail(ctx, s, email)
	if err != nil {
		return err
	}
	return fn(s, u)
}

func userByEmail(ctx context.Context, s *models.Store, email string) (*models.User, error) {
	u, err := s.UserByEmail(ctx, email)
	if errors.Is(err, models.ErrNotFound) {
		return nil, fmt.Errorf("no user %q", email)
	}
	return u, err
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func stdin(env *Env) io.Reader {
	if env.Stdin != nil {
		return env.Stdin
	}
	return os.Stdin
}

// readNewPassword prompts twice without echo on a terminal; otherwise it
// reads the first line of stdin, so scripts can pipe a password in without
// it ever appearing in argv or the shell history.
func readNewPassword(env *Env) (string, error) {
	in := stdin(env)
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stderr, "New password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("reading password: %w", err)
		}
		fmt.Fprint(env.Stderr, "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("reading password: %w", err)
		}
		if string(a) != string(b) {
			return "", errors.New("the passwords differ")
		}
		return string(a), nil
	}
	return readLine(in)
}

func readLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", errors.New("expected a password on stdin")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
