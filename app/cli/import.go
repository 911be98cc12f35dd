package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/models"
)

func init() {
	register(command{"import", "import gpad|oc [--policy reject|skip] PATH...  load any NHS GPAD or online-consultation file (.csv, .zip, folders; routed by header); import events [--dry-run] [--skip-bad] FILE...  load timeline records (.csv, .xlsx, .json)", runImport})
}

func runImport(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 && args[0] == "events" {
		return runImportEvents(ctx, env, args[1:])
	}
	if len(args) == 0 || (args[0] != importers.KindGPAD && args[0] != importers.KindOC) {
		return usageError{"usage: strikeline import gpad|oc [--policy reject|skip] [--max-errors N] [--actor NAME] PATH..."}
	}
	kind := args[0]
	fs := newFlagSet("import "+kind, env)
	policy := fs.String("policy", "reject", "bad rows: reject the whole file (safe default) or skip them")
	maxErrors := fs.Int("max-errors", 100, "bad rows to list per file (all are counted)")
	actor := fs.String("actor", "", "who is importing (default: $USER)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{err.Error()}
	}
	pol, err := importers.ParsePolicy(*policy)
	if err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() == 0 {
		return usageError{"import " + kind + ": give at least one PATH"}
	}
	if *actor == "" {
		*actor = "cli:" + osUser()
	}
	inputs, closeAll, err := importers.Expand(fs.Args(), importers.DefaultLimits)
	if err != nil {
		return err
	}
	defer closeAll()
	s, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer s.Close()

	var total int64
	for _, in := range inputs {
		total += in.Size
	}
	show := !*quiet
	if f, ok := env.Stderr.(*os.File); !ok || !isatty.IsTerminal(f.Fd()) {
		show = false
	}
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(env.Stderr),
		progressbar.OptionSetVisibility(show),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
	)
	// Either kind takes any NHS file: the header says what it is.
	im := importers.New(s, importers.Options{Policy: pol, MaxErrors: *maxErrors, Actor: *actor, Logger: env.Logger,
		OnProgress: func(p importers.Progress) {
			if p.Done {
				bar.Set64(p.PriorBytes + p.BytesTotal)
				return
			}
			rate := float64(p.RowsRead) / max(p.Elapsed.Seconds(), 1e-3)
			state := ""
			if p.Merging {
				state = " merging…"
			}
			bar.Describe(fmt.Sprintf("%s: %d rows, %.0f rows/s%s", p.File, p.RowsRead, rate, state))
			bar.Set64(p.PriorBytes + p.BytesRead)
		}})
	runs, err := im.ImportInputs(ctx, inputs)
	bar.Finish()
	printSummary(env, runs)
	// Each file's reason is in the summary above: the error only counts.
	var ff *importers.FilesFailedError
	if errors.As(err, &ff) {
		return fmt.Errorf("%d of %d files failed", ff.Failed, ff.Total)
	}
	return err
}

// osUser names the person running the command: $USER, else the account
// the process runs as (containers and cron often leave $USER unset).
func osUser() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "uid" + strconv.Itoa(os.Getuid())
}

func printSummary(env *Env, runs []*models.ImportRun) {
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tFILE\tFORMAT\tSTATUS\tREAD\tINSERTED\tUPDATED\tWITHDRAWN\tREJECTED\tROWS/S\tSECONDS")
	for _, r := range runs {
		secs := float64(r.DurationMS) / 1000
		rate := 0.0
		if secs > 0 {
			rate = float64(r.RowsRead) / secs
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%.0f\t%.2f\n", r.ID, r.FileName, r.Format, r.Status,
			r.RowsRead, r.RowsInserted, r.RowsUpdated, r.RowsDeleted, r.RowsRejected, rate, secs)
	}
	tw.Flush()
	for _, r := range runs {
		if r.Note != "" {
			fmt.Fprintf(env.Stdout, "run %d: %s\n", r.ID, r.Note)
		}
		if r.Message != "" {
			fmt.Fprintf(env.Stdout, "run %d: %s\n", r.ID, r.Message)
		}
		for _, e := range r.Errors {
			fmt.Fprintf(env.Stdout, "run %d: line %d: %s %q: %s\n", r.ID, e.Line, e.Column, e.Value, e.Reason)
		}
		if extra := r.RowsRejected - int64(len(r.Errors)); extra > 0 && len(r.Errors) > 0 {
			fmt.Fprintf(env.Stdout, "run %d: … and %d more bad rows\n", r.ID, extra)
		}
	}
}
