package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/app"
	"github.com/strikeline/strikeline/models"
)

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("serve", env)
	addr := fs.String("addr", env.Config.Addr, "listen address (STRIKELINE_ADDR)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	s, err := openStoreWith(ctx, env, models.Options{ReplicaURLs: env.Config.ReplicaURLs, ReplicaMaxLag: env.Config.ReplicaMaxLag})
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := syncSeed(ctx, env, s); err != nil {
		return err
	}
	f, err := app.New(app.Deps{Store: s, Config: env.Config, Logger: env.Logger, Version: Version})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	env.Logger.Info("strikeline listening", "addr", ln.Addr().String(), "database", string(s.Backend), "replicas", len(env.Config.ReplicaURLs))
	return serve(ctx, f, ln, env.Config.ShutdownTimeout, env.Logger)
}

// serve runs f on ln until ctx ends (SIGINT or SIGTERM in Main), then stops
// accepting connections and waits up to drain for in-flight requests
// (imports included) to finish, so the store is closed only after them.
func serve(ctx context.Context, f *fiber.App, ln net.Listener, drain time.Duration, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- f.Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining requests", "timeout", drain)
	if err := f.ShutdownWithTimeout(drain); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("shut down cleanly")
	return nil
}
