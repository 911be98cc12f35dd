package analysis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/impact"
)

// ResultStore is the part of models.Store that keeps impact results, so a
// page view, the rounds comparison and the API read what was computed
// before instead of computing it again. Results live in the database, not
// in the process, so every app instance sees the same ones.
type ResultStore interface {
	Events
	ImpactResult(ctx context.Context, eventID int64, version int, sliceKey, dataState string) ([]byte, bool, error)
	PutImpactResult(ctx context.Context, r models.ImpactResult) error
	ImportState(ctx context.Context, from, to time.Time) (int64, error)
}

// engineVersion names the impact arithmetic. Change it whenever a change
// to reports/impact or this package changes a figure: results stored by an
// older engine then no longer match and are recomputed.
const engineVersion = "e12"

// Stored answers an impact request for event id from the stored results,
// computing and storing the answer first if it is not there. A result is
// keyed by the event's version, the resolved slice (metrics, filters,
// areas, detail) and the data state: the latest import that changed figures
// in the period read, plus the windows of other events kept out of the
// baselines. So an import of another year, or an edit of an unrelated
// event, leaves a stored result in use, while an edit of the event, an
// import touching its period or a change to an overlapping event's window
// replaces it.
func Stored(ctx context.Context, rs ResultStore, src Source, id int64, req Request) (View, error) {
	body, err := StoredJSON(ctx, rs, src, id, req)
	if err != nil {
		return View{}, err
	}
	var v View
	if err := json.Unmarshal(body, &v); err != nil {
		return View{}, fmt.Errorf("analysis: decoding a stored result: %w", err)
	}
	return v, nil
}

// StoredJSON is Stored for callers that send the answer on as it is (the
// API): the stored JSON, not decoded and encoded again.
func StoredJSON(ctx context.Context, rs ResultStore, src Source, id int64, req Request) ([]byte, error) {
	e, err := rs.GetEvent(ctx, id)
	if err != nil {
		return nil, err
	}
	others, err := windowedEvents(ctx, rs)
	if err != nil {
		return nil, err
	}
	return storedFor(ctx, rs, src, e, others, req)
}

func storedFor(ctx context.Context, rs ResultStore, src Source, e *models.Event, others []models.Event, req Request) ([]byte, error) {
	spec, err := Link(e, others)
	if err != nil {
		return nil, err
	}
	if err := spec.narrow(req); err != nil {
		return nil, err
	}
	sliceKey, dataState, err := resultKey(ctx, rs, spec, req)
	if err != nil {
		return nil, err
	}
	if body, ok, err := rs.ImpactResult(ctx, e.ID, e.Version, sliceKey, dataState); err != nil {
		return nil, err
	} else if ok && json.Valid(body) {
		return body, nil
	}
	if req.BeforeCompute != nil {
		release, err := req.BeforeCompute()
		if err != nil {
			return nil, err
		}
		defer release()
	}
	res, err := Run(ctx, src, spec, req.Options)
	if err != nil {
		return nil, err
	}
	v := res.View()
	if !req.Detail {
		v = v.Compact()
	}
	v.DataState = dataState
	body, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("analysis: encoding the result: %w", err)
	}
	if err := rs.PutImpactResult(ctx, models.ImpactResult{EventID: e.ID, EventVersion: e.Version,
		SliceKey: sliceKey, DataState: dataState, Body: string(body)}); err != nil {
		return nil, err
	}
	return body, nil
}

// resultKey returns the slice key (what is asked) and the data state (what
// it is computed from) of a resolved spec.
func resultKey(ctx context.Context, rs ResultStore, spec Spec, req Request) (sliceKey, dataState string, err error) {
	opt := req.Options.withDefaults()
	from, to := fetchRange(spec, opt)
	state, err := rs.ImportState(ctx, from, to)
	if err != nil {
		return "", "", err
	}
	var keys []string
	for _, m := range spec.Metrics {
		keys = append(keys, m.Key)
	}
	ask, _ := json.Marshal(struct {
		M []string
		S models.ActivitySlice
		F string
		A []string
		D bool
	}{keys, spec.Slice, spec.SliceFrom, spec.Areas, req.Detail})
	// Everything else the figures depend on: the event's windows, the
	// other events' windows and the options.
	dep, _ := json.Marshal(struct {
		W, B, A impact.DateRange
		X       []impact.DateRange
		O       Options
	}{spec.Window, spec.Before, spec.After, spec.Exclude, opt})
	return digest(ask), fmt.Sprintf("%s/i%d/%s", engineVersion, state, digest(dep)), nil
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:12])
}
