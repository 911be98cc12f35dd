package app

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/analysis"
)

type historyPage struct {
	pageBase
	ID      int64
	Name    string
	Deleted bool
	Current int
	Entries []historyView
	CanEdit bool
	// Public is the history readers see: published versions only.
	Public bool
}

type historyView struct {
	models.HistoryEntry
	Changes []fieldChange
	// Note, Register and AsOf describe a published version (public view).
	Note     string
	Register int
	AsOf     string
}

// fieldChange is one field that differs between two versions.
type fieldChange struct{ Field, Before, After string }

// pageHistory lists every version of a record, newest first, with the
// fields each change touched. It is public: readers may see how a record
// was corrected.
func (s *Server) pageHistory(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if !seesDrafts(c) {
		return s.pagePublicHistory(c, id)
	}
	e, err := s.store.GetEventAny(c.UserContext(), id)
	if err != nil {
		return err
	}
	hs, err := s.store.History(c.UserContext(), id)
	if err != nil {
		return err
	}
	p := historyPage{pageBase: s.base(c, "History: "+e.Title, ""), ID: id, Name: e.Title, Deleted: e.DeletedAt.Valid,
		Current: e.Version, CanEdit: canEdit(c)}
	for _, h := range slices.Backward(hs) {
		p.Entries = append(p.Entries, historyView{HistoryEntry: h, Changes: diffDocs(h.Before, h.After)})
	}
	return s.render(c, fiber.StatusOK, "history", p)
}

// pagePublicHistory lists the published versions of a record, newest
// first, each with what it changed against the version before it.
func (s *Server) pagePublicHistory(c *fiber.Ctx, id int64) error {
	ps, err := s.store.Publications(c.UserContext(), id, 0)
	if err != nil {
		return err
	}
	if len(ps) == 0 {
		return models.ErrNotFound
	}
	last := ps[len(ps)-1]
	p := historyPage{pageBase: s.base(c, "History: "+last.Title, ""), ID: id, Name: last.Title, Public: true,
		Current: last.EventVersion, Deleted: last.State == models.PubWithdrawn}
	prev := ""
	views := make([]historyView, len(ps))
	for i, x := range ps {
		action := "published"
		switch {
		case x.State == models.PubWithdrawn:
			action = "withdrawn"
		case x.IsCorrection():
			action = "corrected"
		case i > 0:
			action = "revised"
		}
		views[i] = historyView{HistoryEntry: models.HistoryEntry{Version: x.EventVersion, Action: action, At: x.At},
			Note: x.Note, Register: x.RegisterVersion, AsOf: asOfURL(id, x.RegisterVersion), Changes: diffDocs(prev, x.Doc)}
		if x.State == models.PubWithdrawn {
			views[i].Changes = nil
		}
		prev = x.Doc
	}
	for _, v := range slices.Backward(views) {
		p.Entries = append(p.Entries, v)
	}
	return s.render(c, fiber.StatusOK, "history", p)
}

// postRestore makes an old version current again.
func (s *Server) postRestore(c *fiber.Ctx) error {
	id, v, err := versionParams(c)
	if err != nil {
		return err
	}
	want, err := formVersion(c)
	if err != nil {
		return err
	}
	if _, err := s.store.RestoreEventIf(c.UserContext(), actor(c), id, int(v), want); err != nil {
		return err
	}
	return c.Redirect(eventURL(id), fiber.StatusSeeOther)
}

// bookkeeping fields change on every save; showing them would hide the
// real edits.
var bookkeeping = map[string]bool{"id": true, "version": true, "created_at": true, "updated_at": true,
	"created_by": true, "updated_by": true, "is_seed": true, "deleted": true}

// diffDocs compares two JSON snapshots field by field.
func diffDocs(before, after string) []fieldChange {
	var a, b map[string]json.RawMessage
	if before != "" {
		_ = json.Unmarshal([]byte(before), &a)
	}
	_ = json.Unmarshal([]byte(after), &b)
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var out []fieldChange
	for k := range keys {
		if bookkeeping[k] {
			continue
		}
		x, y := showJSON(k, a[k]), showJSON(k, b[k])
		if k == "start" || k == "end" {
			// Instants are stored in UTC offsets; people read London time.
			x, y = showWhen(x), showWhen(y)
		}
		if x != y {
			out = append(out, fieldChange{Field: models.FieldWords(k), Before: x, After: y})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// showWhen shows a stored date-time as London wall-clock time, as the
// record page does; dates stay as they are.
func showWhen(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.In(models.London).Format("15:04 Mon 2 Jan 2006") + " (UK time)"
}

// codedFields hold vocabulary codes, shown in words (full_walkout as
// "Full walkout", ENGLAND as "England").
var codedFields = map[string]bool{"kind": true, "staff_group": true, "status": true, "action_type": true, "scope": true,
	"outcome": true, "instrument": true, "milestone_type": true, "impact_scope": true}

// showJSON renders a snapshot value of field for people: strings bare,
// codes in words, lists one item a line, sources as "title · publisher ·
// date · url", figures with thousands separators.
func showJSON(field string, raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	word := func(s string) string {
		if codedFields[field] {
			return codeLabel(s)
		}
		return s
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return word(s)
	}
	var yes bool
	if json.Unmarshal(raw, &yes) == nil {
		if yes {
			return "Yes"
		}
		return "No"
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		for i := range list {
			list[i] = word(list[i])
		}
		return strings.Join(list, ", ")
	}
	var objs []map[string]any
	if json.Unmarshal(raw, &objs) == nil {
		lines := make([]string, len(objs))
		for i, o := range objs {
			var parts []string
			for _, k := range []string{"title", "publisher", "published_on", "metric", "value", "note", "url", "source_url"} {
				v, ok := o[k]
				if !ok || fmt.Sprint(v) == "" {
					continue
				}
				switch x := v.(type) {
				case float64:
					parts = append(parts, analysis.Thousands(x))
				default:
					if k == "metric" {
						parts = append(parts, codeLabel(fmt.Sprint(x)))
					} else {
						parts = append(parts, fmt.Sprint(x))
					}
				}
			}
			lines[i] = strings.Join(parts, " · ")
		}
		return strings.Join(lines, "\n")
	}
	return string(raw)
}
