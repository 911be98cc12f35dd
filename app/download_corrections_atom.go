package app

import (
	"encoding/xml"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
)

// downloadCorrectionsAtom is /corrections.atom: every correction and
// withdrawal, newest first, for those who follow what a register changed.
// It is written with the same RFC 4287 elements as /feed.atom.
func (s *Server) downloadCorrectionsAtom(c *fiber.Ctx) error {
	ps, err := s.store.Corrections(c.UserContext(), feedSize)
	if err != nil {
		return err
	}
	updated := time.Now()
	if len(ps) > 0 {
		updated = ps[0].At
	} else if t, ok, err := s.store.RegisterUpdatedAt(c.UserContext()); err != nil {
		return err
	} else if ok {
		updated = t
	}
	domain := s.cfg.identityDomain()
	feed := atomFeed{
		Lang:     "en-GB",
		ID:       "tag:" + domain + ",2025:corrections",
		Title:    plainText("Strikeline: corrections and withdrawals"),
		Subtitle: plainText("Every public correction and withdrawal of a Strikeline record."),
		Updated:  atomTime(updated),
		Author:   atomPerson{Name: "Strikeline", URI: s.cfg.BaseURL + "/"},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: s.cfg.BaseURL + "/corrections.atom"},
			{Rel: "alternate", Type: "text/html", Href: s.cfg.BaseURL + "/corrections"}},
		Generator: "Strikeline",
	}
	for _, p := range ps {
		v := viewCorrection(p)
		title, link := "Corrected: "+p.Title, s.cfg.BaseURL+v.After
		if v.Withdrawn {
			title, link = "Withdrawn: "+p.Title, s.cfg.BaseURL+eventURL(p.EventID)
		}
		feed.Entries = append(feed.Entries, atomEntry{
			ID:        "tag:" + domain + ",2025:register-" + strconv.Itoa(p.RegisterVersion) + "-event-" + strconv.FormatInt(p.EventID, 10),
			Title:     plainText(xmlSafe(title)),
			Updated:   atomTime(p.At),
			Published: atomTime(p.At),
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: link}},
			Category:  atomCategory{Term: string(p.Kind), Label: p.Kind.Label()},
			Summary:   plainText(xmlSafe(correctionLine(&p) + " (register version " + strconv.Itoa(p.RegisterVersion) + ")")),
		})
	}
	out, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/atom+xml; charset=utf-8")
	return c.Send(append([]byte(xml.Header), out...))
}
