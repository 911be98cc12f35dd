package app

import (
	"sort"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/feeds"
)

// feedSize is how many recent changes the feed carries.
const feedSize = 50

// downloadAtom is /feed.atom: new and changed records that the filter
// matches, most recently updated first.
func (s *Server) downloadAtom(c *fiber.Ctx) error {
	events, err := s.downloadEvents(c, "", true)
	if err != nil {
		return err
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].UpdatedAt.After(events[j].UpdatedAt) })
	events = events[:min(len(events), feedSize)]
	updated := time.Unix(0, 0).UTC()
	if len(events) > 0 {
		updated = events[0].UpdatedAt.UTC()
	}
	host := baseHost(s.cfg.BaseURL)
	feed := &feeds.Feed{
		Title:       "Strikeline: NHS industrial action records",
		Link:        &feeds.Link{Href: s.cfg.BaseURL + "/"},
		Description: "New and changed records on the Strikeline timeline.",
		Id:          "tag:" + host + ",2025:timeline",
		Updated:     updated,
	}
	for i := range events {
		e := &events[i]
		url := s.cfg.BaseURL + eventURL(e.ID)
		what := "New"
		if e.Version > 1 {
			what = "Updated (version " + strconv.Itoa(e.Version) + ")"
		}
		title := e.Kind.Label() + ": " + e.Title
		if e.Pub != nil && (withdrawn(e) || e.Pub.IsCorrection()) {
			what = correctionLine(e.Pub)
			if withdrawn(e) {
				title = "Withdrawn: " + title
			}
		}
		feed.Items = append(feed.Items, &feeds.Item{
			Id:          "tag:" + host + ",2025:event-" + strconv.FormatInt(e.ID, 10) + "-v" + strconv.Itoa(e.Version),
			Title:       title,
			Link:        &feeds.Link{Href: url},
			Description: what + ". " + whenText(e) + ". " + e.Summary,
			Created:     e.CreatedAt.UTC(),
			Updated:     e.UpdatedAt.UTC(),
		})
	}
	atom, err := feed.ToAtom()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/atom+xml; charset=utf-8")
	return c.SendString(atom)
}
