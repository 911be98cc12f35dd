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
	// ImpactEvent is GetEvent without the sources, which no answer uses.
	ImpactEvent(ctx context.Context, id int64) (*models.Event, error)
	// ImpactResults and ImportRanges read the results and import states
	// of many events at once (the rounds comparison).
	ImpactResults(ctx context.Context, keys []models.ImpactKey) (map[models.ImpactKey][]byte, error)
	ImportRanges(ctx context.Context) (models.ImportRanges, error)
}

// engineVersion names the impact arithmetic. Change it whenever a change
// to reports/impact or this package changes a figure: results stored by an
// older engine then no longer match and are recomputed.
const engineVersion = "e14"

// EngineVersion is engineVersion for what is derived from stored answers
// and stored in turn (the event page's rendered section).
const EngineVersion = engineVersion

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
	e, others, err := eventAndOthers(ctx, rs, id)
	if err != nil {
		return nil, err
	}
	return storedFor(ctx, rs, src, e, others, req)
}

// eventAndOthers reads event id and the windows other events keep out of
// its baselines.
func eventAndOthers(ctx context.Context, rs ResultStore, id int64) (*models.Event, []models.Event, error) {
	e, err := rs.ImpactEvent(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	others, err := windowedEvents(ctx, rs)
	if err != nil {
		return nil, nil, err
	}
	return e, others, nil
}

// keyFor resolves the spec of a request for e and its key.
func keyFor(ctx context.Context, rs ResultStore, e *models.Event, others []models.Event, req Request) (spec Spec, sliceKey, dataState string, err error) {
	if spec, err = Link(e, others); err != nil {
		return spec, "", "", err
	}
	if err = spec.narrow(req); err != nil {
		return spec, "", "", err
	}
	sliceKey, dataState, err = resultKey(ctx, rs, spec, req)
	return spec, sliceKey, dataState, err
}

func storedFor(ctx context.Context, rs ResultStore, src Source, e *models.Event, others []models.Event, req Request) ([]byte, error) {
	spec, sliceKey, dataState, err := keyFor(ctx, rs, e, others, req)
	if err != nil {
		return nil, err
	}
	return storedKeyed(ctx, rs, src, e, spec, req, sliceKey, dataState)
}

// storedKeyed reads the stored answer for a resolved spec and its key, or
// computes and stores it.
func storedKeyed(ctx context.Context, rs ResultStore, src Source, e *models.Event, spec Spec, req Request, sliceKey, dataState string) ([]byte, error) {
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
	return resultKeyAt(spec, req, func(from, to time.Time) (int64, error) { return rs.ImportState(ctx, from, to) })
}

// resultKeyAt is resultKey with the import state read by state.
func resultKeyAt(spec Spec, req Request, state func(from, to time.Time) (int64, error)) (sliceKey, dataState string, err error) {
	opt := req.Options.withDefaults()
	from, to := fetchRange(spec, opt)
	st, err := state(from, to)
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
	return digest(ask), fmt.Sprintf("%s/i%d/%s", engineVersion, st, digest(dep)), nil
}

func digest(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:12])
}
