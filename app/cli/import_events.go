package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/strikeline/strikeline/importers/events"
	"github.com/strikeline/strikeline/models"
)

// errImportFailed makes the command exit non-zero after it has printed
// every file's report.
var errImportFailed = errors.New("import events: some files were not imported (see above)")

func runImportEvents(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("import events", env)
	dryRun := fs.Bool("dry-run", false, "show what would be added, changed and left, and write nothing")
	skipBad := fs.Bool("skip-bad", false, "import the good rows and report the bad ones (default: a bad row rejects the whole file)")
	// The command line runs with the database's own rights (like an admin),
	// so it may publish; the upload page offers drafts only.
	publish := fs.Bool("publish", false, "publish the records the import adds at once (default: drafts for an editor to review)")
	actor := fs.String("actor", "", "who is importing, recorded in history (default: cli:$USER)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() == 0 {
		return usageError{"usage: strikeline import events [--dry-run] [--skip-bad] [--actor NAME] FILE..."}
	}
	if *actor == "" {
		*actor = "cli:" + os.Getenv("USER")
	}
	s, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer s.Close()
	failed := false
	for _, path := range fs.Args() {
		rep, err := importEventFile(ctx, env, path, events.Options{Actor: *actor, DryRun: *dryRun, SkipBad: *skipBad, Publish: *publish}, s)
		if err != nil {
			fmt.Fprintf(env.Stdout, "%s: %v\n", path, err)
			failed = true
			continue
		}
		rep.Write(env.Stdout)
		failed = failed || rep.Rejected
	}
	if failed {
		return errImportFailed
	}
	return nil
}

func importEventFile(ctx context.Context, env *Env, path string, opts events.Options, s *models.Store) (*events.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	parsed, err := events.Parse(filepath.Base(path), f)
	if err != nil {
		return nil, err
	}
	rep, err := events.Import(ctx, s, parsed, opts)
	if err != nil {
		return nil, err
	}
	env.Logger.Info("imported events", "file", path, "added", rep.Result.Added, "changed", rep.Result.Changed,
		"unchanged", rep.Result.Unchanged, "bad", rep.Result.Bad, "written", rep.Result.Written)
	return rep, nil
}
