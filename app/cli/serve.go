package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/strikeline/strikeline/app"
)

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("serve", env)
	addr := fs.String("addr", env.Config.Addr, "listen address (STRIKELINE_ADDR)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	s, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.LoadSeed(ctx)
	if err != nil {
		return fmt.Errorf("loading the seed timeline: %w", err)
	}
	if n > 0 {
		env.Logger.Info("loaded seed timeline", "records", n)
	}
	f, err := app.New(app.Deps{Store: s, Config: env.Config, Logger: env.Logger, Version: Version})
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- f.Listen(*addr) }()
	env.Logger.Info("strikeline listening", "addr", *addr, "database", string(s.Backend))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	env.Logger.Info("shutting down: draining requests")
	// Drain in-flight requests (imports included) before closing the store.
	return f.ShutdownWithTimeout(30 * time.Second)
}
