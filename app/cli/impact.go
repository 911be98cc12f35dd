package cli

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/strikeline/strikeline/reports/analysis"
)

func init() {
	register(command{"impact", "impact --event ID [--metric KEY,…] [--area CODE,…] [--json]   measure an event's impact", runImpact})
}

func runImpact(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("impact", env)
	id := fs.Int64("event", 0, "event id (any kind)")
	metrics := fs.String("metric", "", "comma-separated metric keys (default: the event's)")
	areas := fs.String("area", "", "comma-separated area codes (default: the event's scope)")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *id <= 0 {
		return usageError{"usage: strikeline impact --event ID [--metric KEY,…] [--area CODE,…] [--json]"}
	}
	s, err := openStore(ctx, env)
	if err != nil {
		return err
	}
	defer s.Close()
	req := analysis.Request{Metrics: split(*metrics), Areas: split(*areas)}
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

func split(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
