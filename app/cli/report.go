package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/strikeline/strikeline/reports/analysis"
	"github.com/strikeline/strikeline/reports/xlsx"
)

func init() {
	register(command{"report", "report impact --event ID,… | --dispute ID | --from DATE --to DATE [--area …] [--metric …] [--status|--hcp|--mode|--lead …] [--dataset roles --role GP,…] -o FILE.xlsx", runReport})
}

func runReport(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] != "impact" {
		return usageError{"usage: strikeline report impact --event ID,… | --dispute ID | --from DATE --to DATE [--area …] [--metric …] -o FILE.xlsx"}
	}
	fs := newFlagSet("report impact", env)
	events := fs.String("event", "", "comma-separated event ids")
	dispute := fs.Int64("dispute", 0, "dispute id: every event of the dispute")
	from := fs.String("from", "", "first date (YYYY-MM-DD)")
	to := fs.String("to", "", "last date (YYYY-MM-DD)")
	areas := fs.String("area", "", "comma-separated area codes")
	metrics := fs.String("metric", "", "comma-separated metric keys")
	out := fs.String("o", "", "output file (default: a name from the report)")
	baseURL := fs.String("base-url", env.Config.BaseURL, "public URL for permalinks")
	sl := sliceFlags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{err.Error()}
	}
	req := analysis.WorkbookRequest{Areas: split(*areas), Metrics: split(*metrics), BaseURL: *baseURL, Version: Version,
		Slice: sl.slice(), AllAppointments: *sl.all}
	for _, p := range split(*events) {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id <= 0 {
			return usageError{fmt.Sprintf("--event: %q is not an event id", p)}
		}
		req.EventIDs = append(req.EventIDs, id)
	}
	if *dispute > 0 {
		req.DisputeID = dispute
	}
	for _, d := range []struct {
		flag, v string
		dst     **time.Time
	}{{"--from", *from, &req.From}, {"--to", *to, &req.To}} {
		if d.v == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.v)
		if err != nil {
			return usageError{d.flag + " must be a date like 2025-07-01"}
		}
		*d.dst = &t
	}
	s, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer s.Close()
	req.Sources, err = analysis.ImportSources(ctx, s)
	if err != nil {
		return err
	}
	rep, err := analysis.BuildWorkbook(ctx, s, analysis.NewStoreSource(s), req)
	if err != nil {
		return err
	}
	path := *out
	if path == "" {
		path = xlsx.FileName(rep)
	}
	if !strings.HasSuffix(strings.ToLower(path), ".xlsx") {
		return usageError{"-o must name an .xlsx file"}
	}
	// Write to a temporary file and rename, so a failure never leaves a
	// truncated workbook under the requested name.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".strikeline-report-*.xlsx")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := xlsx.Write(tmp, rep); err != nil {
		tmp.Close()
		return fmt.Errorf("report: writing workbook: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	fmt.Fprintf(env.Stdout, "wrote %s (%d event sheets)\n", path, len(rep.Events))
	return nil
}
