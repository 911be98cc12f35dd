package app

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/feeds"
)

// downloadCorrectionsAtom is /corrections.atom: every correction and
// withdrawal, newest first, for those who follow what a register changed.
func (s *Server) downloadCorrectionsAtom(c *fiber.Ctx) error {
	ps, err := s.store.Corrections(c.UserContext(), feedSize)
	if err != nil {
		return err
	}
	host := baseHost(s.cfg.BaseURL)
	updated := time.Unix(0, 0).UTC()
	if len(ps) > 0 {
		updated = ps[0].At.UTC()
	}
	feed := &feeds.Feed{
		Title:       "Strikeline: corrections and withdrawals",
		Link:        &feeds.Link{Href: s.cfg.BaseURL + "/corrections"},
		Description: "Every public correction and withdrawal of a Strikeline record.",
		Id:          "tag:" + host + ",2025:corrections",
		Updated:     updated,
	}
	for _, p := range ps {
		v := viewCorrection(p)
		title, link := "Corrected: "+p.Title, s.cfg.BaseURL+v.After
		if v.Withdrawn {
			title, link = "Withdrawn: "+p.Title, s.cfg.BaseURL+eventURL(p.EventID)
		}
		desc := correctionLine(&p)
		feed.Items = append(feed.Items, &feeds.Item{
			Id:          "tag:" + host + ",2025:register-" + strconv.Itoa(p.RegisterVersion) + "-event-" + strconv.FormatInt(p.EventID, 10),
			Title:       title,
			Link:        &feeds.Link{Href: link},
			Description: desc + " (register version " + strconv.Itoa(p.RegisterVersion) + ")",
			Created:     p.At.UTC(),
			Updated:     p.At.UTC(),
		})
	}
	atom, err := feed.ToAtom()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/atom+xml; charset=utf-8")
	return c.SendString(atom)
}
