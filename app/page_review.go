package app

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

type reviewPage struct {
	pageBase
	Items      []reviewItem
	CanPublish bool
}

// reviewItem is one record awaiting an editor, with what it changes.
type reviewItem struct {
	Event   eventView
	Version int
	State   models.PubInfo
	// PublishedAt is when the version the public sees was published.
	PublishedAt string
	Changes     []fieldChange
	UpdatedBy   string
}

// pageReview is /review: new drafts and pending revisions, each with the
// diff against the published version and, for editors, the buttons.
func (s *Server) pageReview(c *fiber.Ctx) error {
	ctx := c.UserContext()
	events, _, err := s.store.ListEvents(ctx, models.EventFilter{Working: true, Status: models.PubDraft, Limit: 1000, Descending: true})
	if err != nil {
		return err
	}
	_, titles, err := s.disputeTitles(c)
	if err != nil {
		return err
	}
	p := reviewPage{pageBase: s.base(c, "Review queue", "review"), CanPublish: canPublish(c)}
	for i := range events {
		e := &events[i]
		it := reviewItem{Event: viewEvent(e, titles), Version: e.Version, State: e.PubInfo(), UpdatedBy: e.UpdatedBy}
		published := ""
		if it.State.Status != models.PubDraft {
			pub, err := s.store.GetPublished(ctx, e.ID, 0)
			if err != nil && !errors.Is(err, models.ErrNotFound) {
				return err
			}
			if pub != nil {
				published = pub.Pub.Doc
				it.PublishedAt = pub.Pub.At.In(models.London).Format("2 Jan 2006, 15:04")
			}
		}
		it.Changes = diffDocs(published, e.SnapshotJSON())
		p.Items = append(p.Items, it)
	}
	return s.render(c, fiber.StatusOK, "review", p)
}

// postPublish is the publish button of the review queue and record page.
func (s *Server) postPublish(c *fiber.Ctx) error {
	id, want, err := stateForm(c)
	if err != nil {
		return err
	}
	_, err = s.store.Publish(c.UserContext(), actor(c), id, models.PublishInput{Expect: want,
		CorrectionNote: c.FormValue("correction_note"), Minor: c.FormValue("minor") == "1"})
	if err != nil {
		return labelFields(err, map[string]string{"correction_note": "Correction note", "minor": "Minor change"})
	}
	return c.Redirect(backTo(c, id), fiber.StatusSeeOther)
}

// postWithdraw is the withdraw button of the review queue and record page.
func (s *Server) postWithdraw(c *fiber.Ctx) error {
	id, want, err := stateForm(c)
	if err != nil {
		return err
	}
	_, err = s.store.Withdraw(c.UserContext(), actor(c), id, models.WithdrawInput{Expect: want, Reason: c.FormValue("reason")})
	if err != nil {
		return labelFields(err, map[string]string{"reason": "Reason for withdrawal"})
	}
	return c.Redirect(backTo(c, id), fiber.StatusSeeOther)
}

// stateForm reads the record id and the form's version of a state change.
func stateForm(c *fiber.Ctx) (int64, models.Expect, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return 0, models.Expect{}, err
	}
	want, err := formVersion(c)
	return id, want, err
}

// formVersion reads the hidden version the form was rendered with.
func formVersion(c *fiber.Ctx) (models.Expect, error) {
	raw := c.FormValue("version")
	if raw == "" {
		return models.Expect{}, nil
	}
	v, err := strconv.Atoi(raw)
	if err != nil || v < 1 {
		return models.Expect{}, httpError(fiber.StatusBadRequest, "the form's version is not a number")
	}
	return models.Expect{Version: v}, nil
}

// labelFields renames validation fields to the labels of the form, for the
// error page.
func labelFields(err error, labels map[string]string) error {
	var ve *models.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	out := map[string]string{}
	for k, v := range ve.Fields {
		if l, ok := labels[k]; ok {
			k = l
		}
		out[k] = v
	}
	return &Error{Status: fiber.StatusUnprocessableEntity, Msg: "Nothing was changed. Go back and fix this:", Fields: out}
}

// backTo is where a state change returns: the review queue or the record.
func backTo(c *fiber.Ctx, id int64) string {
	if c.FormValue("back") == "review" {
		return "/review"
	}
	return eventURL(id)
}
