package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/strikeline/strikeline/models"
)

func init() {
	register(command{"user", "user add --role ROLE EMAIL | list     manage accounts", runUser})
}

func runUser(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		return usageError{"usage: strikeline user add --role admin|planner|analyst EMAIL | user list"}
	}
	switch args[0] {
	case "add":
		return userAdd(ctx, env, args[1:])
	case "list":
		return userList(ctx, env)
	}
	return usageError{fmt.Sprintf("unknown user command %q", args[0])}
}

func userAdd(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("user add", env)
	role := fs.String("role", "planner", "admin, planner or analyst")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		return usageError{"usage: strikeline user add --role ROLE EMAIL"}
	}
	s, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := s.CreateUser(ctx, fs.Arg(0), models.Role(*role), "")
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
	fmt.Fprintln(w, "EMAIL\tROLE\tDISABLED\tCREATED")
	for _, u := range us {
		fmt.Fprintf(w, "%s\t%s\t%v\t%s\n", u.Email, u.Role, u.Disabled, u.CreatedAt.Format("2006-01-02"))
	}
	return w.Flush()
}
