package cli

import (
	"context"
	"encoding/json"
	"flag"
	"strings"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/analysis"
)

func init() {
	register(command{"impact", "impact --event ID [--metric KEY,…] [--area CODE,…] [--status|--hcp|--mode|--lead LABEL,…] [--all-appointments] [--json]   measure an event's impact", runImpact})
}

func runImpact(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("impact", env)
	id := fs.Int64("event", 0, "event id (any kind)")
	metrics := fs.String("metric", "", "comma-separated metric keys (default: the event's)")
	areas := fs.String("area", "", "comma-separated area codes (default: the event's scope)")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	sl := sliceFlags(fs)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *id <= 0 {
		return usageError{"usage: strikeline impact --event ID [--metric KEY,…] [--area CODE,…] [--status|--hcp|--mode|--lead LABEL,…] [--all-appointments] [--json]"}
	}
	s, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer s.Close()
	req := analysis.Request{Metrics: split(*metrics), Areas: split(*areas), Slice: sl.slice(), AllAppointments: *sl.all, Detail: true}
	res, err := analysis.ForEvent(ctx, s, analysis.NewStoreSource(s), *id, req)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res.View())
	}
	return res.WriteTable(env.Stdout)
}

// activityFlags are the slice flags shared by impact and report impact:
// the activity filters of /api/v1/activity, as published labels.
type activityFlags struct {
	status, hcp, mode, lead *string
	dataset, role, duration *string
	all                     *bool
}

func sliceFlags(fs *flag.FlagSet) activityFlags {
	return activityFlags{
		status:   fs.String("status", "", "appointment status labels, comma-separated (e.g. Attended)"),
		hcp:      fs.String("hcp", "", "HCP type labels (GP, Other Practice staff)"),
		mode:     fs.String("mode", "", "appointment mode labels (e.g. Face-to-Face)"),
		lead:     fs.String("lead", "", "booking lead-time labels (e.g. Same Day)"),
		all:      fs.Bool("all-appointments", false, "count every appointment instead of the event's default slice"),
		dataset:  fs.String("dataset", "", "file to measure: appointments (default), roles (SDS role group) or durations (actual duration)"),
		role:     fs.String("role", "", "SDS role group labels, comma-separated (e.g. GP,Nurses); implies -dataset roles"),
		duration: fs.String("duration", "", "actual duration labels, comma-separated (e.g. 6-10 Minutes); implies -dataset durations"),
	}
}

func (a activityFlags) slice() models.ActivitySlice {
	return models.ActivitySlice{Status: split(*a.status), HCP: split(*a.hcp), Mode: split(*a.mode), Lead: split(*a.lead),
		Dataset: *a.dataset, Role: split(*a.role), Duration: split(*a.duration)}
}

func split(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
