package analysis

import (
	"context"
	"errors"
	"strings"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/impact"
)

// Events is the part of models.Store the analysis reads events from.
type Events interface {
	GetEvent(ctx context.Context, id int64) (*models.Event, error)
	ListEvents(ctx context.Context, f models.EventFilter) ([]models.Event, int64, error)
	// WindowedEvents lists just the windows other baselines leave out.
	WindowedEvents(ctx context.Context) ([]models.Event, error)
}

// Request narrows an analysis: metric keys and area codes replace the
// event's own (a one-off view, not stored; planners store overrides on the
// record).
type Request struct {
	Metrics []string
	Areas   []string
	// Slice, when not zero, replaces the event's slice (published labels,
	// checked as /api/v1/activity checks them). AllAppointments drops the
	// event's slice instead: every appointment is counted.
	Slice           models.ActivitySlice
	AllAppointments bool
	// Detail keeps the per-day rows in the View (?detail=days).
	Detail  bool
	Options Options
	// BeforeCompute, if set, is called by Stored when the answer is not
	// stored and must be computed; an error is returned as it is (the web
	// layer bounds anonymous computations this way), and release is called
	// when the computation ends. Stored answers never call it.
	BeforeCompute func() (release func(), err error)
}

// ForEvent links event id to the activity data and analyses it.
func ForEvent(ctx context.Context, events Events, src Source, id int64, req Request) (*Result, error) {
	e, err := events.GetEvent(ctx, id)
	if err != nil {
		return nil, err
	}
	others, err := windowedEvents(ctx, events)
	if err != nil {
		return nil, err
	}
	spec, err := Link(e, others)
	if err != nil {
		return nil, err
	}
	if err := spec.narrow(req); err != nil {
		return nil, err
	}
	return Run(ctx, src, spec, req.Options)
}

// windowedEvents lists the events whose windows other baselines avoid:
// every strike round, and anything with an override window.
func windowedEvents(ctx context.Context, events Events) ([]models.Event, error) {
	return events.WindowedEvents(ctx)
}

func (sp *Spec) narrow(req Request) error {
	v := &models.ValidationError{Fields: map[string]string{}}
	switch {
	case !req.Slice.IsZero():
		sl, err := models.ParseActivitySlice("", req.Slice)
		var ve *models.ValidationError
		if errors.As(err, &ve) {
			for k, m := range ve.Fields {
				v.Fields[k] = m
			}
		}
		sp.Slice, sp.SliceFrom = sl, SliceRequest
	case req.AllAppointments:
		sp.Slice, sp.SliceFrom = models.ActivitySlice{}, SliceRequest
	}
	if len(req.Metrics) > 0 {
		sp.Metrics = nil
		for _, k := range req.Metrics {
			m, ok := impact.MetricByKey(k)
			if !ok {
				v.Fields["metric"] = "unknown metric " + k + "; one of " + strings.Join(models.ImpactMetricKeys, ", ")
				continue
			}
			sp.Metrics = append(sp.Metrics, m)
		}
	}
	if len(req.Areas) > 0 {
		sp.Areas = nil
		for _, a := range req.Areas {
			a = strings.ToUpper(strings.TrimSpace(a))
			if !models.ValidScopeCode(a) {
				v.Fields["area"] = "unknown area code " + a
				continue
			}
			sp.Areas = append(sp.Areas, a)
		}
		if contains(sp.Areas, England) {
			sp.Areas = []string{England}
		}
	}
	if len(v.Fields) > 0 {
		return v
	}
	return sp.fitLabelFile(len(req.Metrics) > 0)
}
