// Package cli implements the strikeline command line: it parses
// sub-commands and flags, opens, migrates and seeds the configured
// database, runs the app, importers and reports packages, and prints what
// they did (summaries, progress). The domain rules live in those packages,
// not here.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"syscall"

	"github.com/strikeline/strikeline/app"
	"github.com/strikeline/strikeline/models"
)

// Version is set at build time with -ldflags "-X .../app/cli.Version=...".
var Version = "dev"

// command is one sub-command.
type command struct {
	name, usage string
	run         func(ctx context.Context, env *Env, args []string) error
}

// Env carries what every command needs; tests build one with their own
// writers.
type Env struct {
	// Stdin feeds --password-stdin and passwd; nil means os.Stdin.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Config         app.Config
	Logger         *slog.Logger
}

var commands []command

func register(c command) { commands = append(commands, c) }

func init() {
	register(command{"serve", "serve [--addr :8080]            run the web app", runServe})
	register(command{"migrate", "migrate                         apply pending database migrations and load the seed timeline", runMigrate})
}

// Main runs the command line and returns the process exit code.
func Main(args []string) int {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: logLevel()}))
	slog.SetDefault(log)
	cfg, err := app.ConfigFromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "strikeline: configuration:", err)
		return 2
	}
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Config: cfg, Logger: log}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// STRIKELINE_CPUPROFILE=FILE writes a CPU profile of the command (for
	// `go tool pprof`), the way the import benchmark was tuned.
	if f := os.Getenv("STRIKELINE_CPUPROFILE"); f != "" {
		stopProfile, err := startCPUProfile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, "strikeline:", err)
			return 2
		}
		defer stopProfile()
	}
	return Run(ctx, env, args)
}

func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// Run dispatches args to a sub-command.
func Run(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			err := c.run(ctx, env, args[1:])
			if err == nil {
				return 0
			}
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			fmt.Fprintln(env.Stderr, "strikeline:", err)
			var ue usageError
			if errors.As(err, &ue) {
				return 2
			}
			return 1
		}
	}
	fmt.Fprintf(env.Stderr, "strikeline: unknown command %q\n", args[0])
	usage(env.Stderr)
	return 2
}

// usageError marks bad command-line use (exit code 2).
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: strikeline COMMAND [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands {
		fmt.Fprintln(w, "  "+c.usage)
	}
	fmt.Fprintln(w, "\nDatabase: DATABASE_URL=postgres://… for PostgreSQL, else the SQLite file STRIKELINE_DB")
	fmt.Fprintln(w, "  (default "+app.DefaultSQLitePath()+", the same whatever the current folder).")
	fmt.Fprintln(w, "Limits: STRIKELINE_MAX_UPLOAD_MB (512), STRIKELINE_MAX_JSON_KB (1024), STRIKELINE_READ_TIMEOUT (60s),")
	fmt.Fprintln(w, "  STRIKELINE_WRITE_TIMEOUT (120s), STRIKELINE_REQUEST_TIMEOUT (15s, database work per request),")
	fmt.Fprintln(w, "  STRIKELINE_SHUTDOWN_TIMEOUT (30s, draining in-flight requests on SIGTERM).")
	fmt.Fprintln(w, "Probes: GET /healthz (liveness), GET /readyz (database ping, 503 when down), GET /metrics (Prometheus).")
}

func logLevel() slog.Level {
	if os.Getenv("STRIKELINE_DEBUG") == "1" {
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

// openStore opens and migrates the configured database, without read
// replicas: every command but serve reads and writes the primary only.
func openStore(ctx context.Context, env *Env) (*models.Store, error) {
	return openStoreWith(ctx, env, models.Options{})
}

// openStoreWith is openStore with extra options (serve's replicas).
func openStoreWith(ctx context.Context, env *Env, opt models.Options) (*models.Store, error) {
	s, _, err := openAndSeed(ctx, env, opt)
	return s, err
}

// openAndSeed opens and migrates the database and brings the seeded
// timeline up to date, so every command on a fresh database sees the same
// records (an import followed by a report finds the seeded rounds).
func openAndSeed(ctx context.Context, env *Env, opt models.Options) (*models.Store, models.SeedReport, error) {
	opt.DatabaseURL, opt.SQLitePath, opt.Logger = env.Config.DatabaseURL, env.Config.SQLitePath, env.Logger
	if err := prepareSQLite(env); err != nil {
		return nil, models.SeedReport{}, err
	}
	s, err := models.Open(ctx, opt)
	if err != nil {
		return nil, models.SeedReport{}, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, models.SeedReport{}, err
	}
	r, err := syncSeed(ctx, env, s)
	if err != nil {
		s.Close()
		return nil, r, err
	}
	return s, r, nil
}

// prepareSQLite says which file a command is about to create, so a
// database made by mistake (a typo in STRIKELINE_DB, another user) is seen
// at once, and makes the per-user data directory the default path lives in.
func prepareSQLite(env *Env) error {
	path := env.Config.SQLitePath
	if env.Config.DatabaseURL != "" || path == "" {
		return nil
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil // there, or Open names the problem
	}
	if path == app.DefaultSQLitePath() {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return fmt.Errorf("creating the data directory for the database: %w", err)
		}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	env.Logger.Warn("creating a new SQLite database (STRIKELINE_DB names another; DATABASE_URL for PostgreSQL)", "path", abs)
	return nil
}

func runMigrate(ctx context.Context, env *Env, args []string) error {
	s, r, err := openAndSeed(ctx, env, models.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	applied, _, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "schema at version %d; seed version %d: %d records added, %d corrected, %d corrections skipped (edited locally)\n",
		applied, r.Version, r.Added, r.Corrected, len(r.Skipped))
	return nil
}

// syncSeed brings the seeded timeline up to the embedded seed version and
// logs what it did, naming every record whose correction was skipped because
// a planner had changed it.
func syncSeed(ctx context.Context, env *Env, s *models.Store) (models.SeedReport, error) {
	r, err := s.SyncSeed(ctx)
	if err != nil {
		return r, fmt.Errorf("loading the seed timeline: %w", err)
	}
	for _, sk := range r.Skipped {
		env.Logger.Warn("seed correction skipped: edited locally", "seed_key", sk.Key, "event_id", sk.EventID,
			"last_changed_by", sk.Actor, "last_action", sk.Action)
	}
	if r.Added > 0 || r.Corrected > 0 {
		env.Logger.Info("seed timeline updated", "seed_version", r.Version, "added", r.Added, "corrected", r.Corrected)
	}
	return r, nil
}

func newFlagSet(name string, env *Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}
