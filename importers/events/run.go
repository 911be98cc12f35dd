package events

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/strikeline/strikeline/models"
)

// Options control an import.
type Options struct {
	Actor   string
	DryRun  bool
	SkipBad bool
	// Publish publishes the records the import adds (default: drafts).
	Publish bool
}

// Report is the outcome of importing one file, in the file's terms.
type Report struct {
	File   *File
	Result *models.ImportResult
	// Problems are the bad rows: line, column, value, reason.
	Problems []Problem
	// Rejected: bad rows and no SkipBad, so nothing was written.
	Rejected bool
	DryRun   bool
}

// Import writes one parsed file through the store in one transaction.
func Import(ctx context.Context, s *models.Store, f *File, opts Options) (*Report, error) {
	res, err := s.ImportEvents(ctx, f.ImportRows(), models.ImportOptions{Actor: opts.Actor, DryRun: opts.DryRun, SkipBad: opts.SkipBad, Publish: opts.Publish})
	rep := &Report{File: f, Result: res, DryRun: opts.DryRun}
	switch {
	case errors.Is(err, models.ErrImportRejected):
		rep.Rejected = true
	case err != nil:
		return nil, fmt.Errorf("importing %s: %w", f.Name, err)
	}
	for _, r := range res.Rows {
		for _, p := range r.Problems {
			rep.Problems = append(rep.Problems, f.Describe(r.Line, p))
		}
	}
	return rep, nil
}

// Summary is one sentence on what the import did or would do.
func (r *Report) Summary() string {
	res := r.Result
	counts := fmt.Sprintf("%d added, %d changed, %d unchanged", res.Added, res.Changed, res.Unchanged)
	if r.DryRun || r.Rejected {
		counts = fmt.Sprintf("would add %d, change %d and leave %d unchanged", res.Added, res.Changed, res.Unchanged)
	}
	bad := ""
	switch {
	case res.Bad > 0 && r.Rejected:
		bad = fmt.Sprintf("; %d bad %s, so the file was rejected and nothing was written", res.Bad, plural(res.Bad, "row", "rows"))
		if r.DryRun {
			bad = fmt.Sprintf("; %d bad %s: as it stands the file would be rejected (use --skip-bad to import the good rows)", res.Bad, plural(res.Bad, "row", "rows"))
		}
	case res.Bad > 0:
		bad = fmt.Sprintf("; %d bad %s skipped", res.Bad, plural(res.Bad, "row", "rows"))
	}
	tail := ""
	switch {
	case r.DryRun:
		tail = " (dry run: nothing written)"
	case !r.Rejected && res.Added+res.Changed == 0 && res.Bad == 0:
		tail = " — nothing to do: every record already matches what is stored"
	}
	return counts + bad + tail
}

// Write prints the report as text: a heading, the summary, one line per
// added, changed or bad row, skipped rows and unused columns.
func (r *Report) Write(w io.Writer) {
	f := r.File
	enc := ""
	if f.Encoding != "" {
		enc = ", " + f.Encoding
	}
	fmt.Fprintf(w, "%s: %s layout (%s%s), %d %s\n", f.Name, layoutName(f.Layout), strings.ToUpper(f.Format), enc, len(f.Rows), plural(len(f.Rows), "record", "records"))
	fmt.Fprintf(w, "  %s\n", r.Summary())
	for _, row := range r.Result.Rows {
		switch row.Outcome {
		case models.ImportAdded:
			fmt.Fprintf(w, "  %s %d: %s %s %q\n", f.Unit, row.Line, verb(r, "add", "added"), row.Kind, row.Title)
		case models.ImportChanged:
			fmt.Fprintf(w, "  %s %d: %s #%d %q (%s)\n", f.Unit, row.Line, verb(r, "change", "changed"), row.EventID, row.Title, strings.Join(row.Fields, ", "))
		case models.ImportUnchanged:
			if row.Note != "" {
				fmt.Fprintf(w, "  %s %d: left #%d: %s\n", f.Unit, row.Line, row.EventID, row.Note)
			}
		}
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "  %s %d: column %s, value %q: %s\n", f.Unit, p.Line, p.Column, p.Value, p.Reason)
	}
	for _, s := range f.Skipped {
		fmt.Fprintf(w, "  %s %d: skipped: %s\n", f.Unit, s.Line, s.Reason)
	}
	if len(f.Ignored) > 0 {
		fmt.Fprintf(w, "  not imported: %s\n", strings.Join(f.Ignored, "; "))
	}
}

func verb(r *Report, would, did string) string {
	if r.DryRun || r.Rejected {
		return "would " + would
	}
	return did
}

func layoutName(l string) string {
	if l == LayoutTimelineJS {
		return "TimelineJS"
	}
	return "Strikeline"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
