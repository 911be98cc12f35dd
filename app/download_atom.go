package app

import (
	"encoding/xml"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// feedSize is how many recent changes the feed carries.
const feedSize = 50

// feedParams are the parameters that change what the feed holds; they and
// nothing else (not a tracking tag) make the feed's id and self link.
var feedParams = []string{"kind", "from", "to", "year", "union", "staff_group", "dispute", "q", "per_page", "page"}

// The RFC 4287 elements Strikeline writes. Text constructs are type
// "text": readers show them as written, so a < or & in a title is a
// character, never markup.
type (
	atomFeed struct {
		XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
		Lang      string      `xml:"xml:lang,attr"`
		ID        string      `xml:"id"`
		Title     atomText    `xml:"title"`
		Subtitle  atomText    `xml:"subtitle"`
		Updated   string      `xml:"updated"`
		Author    atomPerson  `xml:"author"`
		Links     []atomLink  `xml:"link"`
		Generator string      `xml:"generator"`
		Entries   []atomEntry `xml:"entry"`
	}
	atomText struct {
		Type string `xml:"type,attr"`
		Body string `xml:",chardata"`
	}
	atomPerson struct {
		Name string `xml:"name"`
		URI  string `xml:"uri,omitempty"`
	}
	atomLink struct {
		Rel  string `xml:"rel,attr"`
		Type string `xml:"type,attr,omitempty"`
		Href string `xml:"href,attr"`
	}
	atomCategory struct {
		Term  string `xml:"term,attr"`
		Label string `xml:"label,attr"`
	}
	atomEntry struct {
		ID        string       `xml:"id"`
		Title     atomText     `xml:"title"`
		Updated   string       `xml:"updated"`
		Published string       `xml:"published"`
		Links     []atomLink   `xml:"link"`
		Category  atomCategory `xml:"category"`
		Summary   atomText     `xml:"summary"`
	}
)

func plainText(s string) atomText { return atomText{Type: "text", Body: s} }

// downloadAtom is /feed.atom: an RFC 4287 feed of new and changed records
// that the filter matches, most recently updated first. Every version is
// its own entry, so a correction reaches readers that have seen the
// record. The feed's id and self link name the filter, so two filters
// are two feeds; updated is the newest entry's time, or the register's
// last change when the filter matches nothing.
func (s *Server) downloadAtom(c *fiber.Ctx) error {
	recs, err := s.filteredRecords(c, "", true)
	if err != nil {
		return err
	}
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].UpdatedAt.After(recs[j].UpdatedAt) })
	recs = recs[:min(len(recs), feedSize)]
	var updated time.Time
	if len(recs) > 0 {
		updated = recs[0].UpdatedAt
	} else {
		t, ok, err := s.store.RegisterUpdatedAt(c.UserContext())
		if err != nil {
			return err
		}
		if !ok {
			t = time.Now()
		}
		updated = t
	}
	domain := s.cfg.identityDomain()
	filter := feedFilter(c)
	self := s.cfg.BaseURL + "/feed.atom"
	page := s.cfg.BaseURL + "/"
	if filter != "" {
		self += "?" + filter
		page += "?" + filter
	}
	feed := atomFeed{
		Lang:      "en-GB",
		ID:        "tag:" + domain + ",2025:feed/" + filter,
		Title:     plainText("Strikeline: NHS industrial action records"),
		Subtitle:  plainText("New and changed records on the Strikeline timeline."),
		Updated:   atomTime(updated),
		Author:    atomPerson{Name: "Strikeline", URI: s.cfg.BaseURL + "/"},
		Links:     []atomLink{{Rel: "self", Type: "application/atom+xml", Href: self}, {Rel: "alternate", Type: "text/html", Href: page}},
		Generator: "Strikeline",
	}
	for i := range recs {
		e := &recs[i]
		link := s.cfg.BaseURL + eventURL(e.ID)
		what := "New"
		switch {
		case e.Withdrawn:
			what = "Withdrawn"
		case e.Version > 1:
			what = "Updated (version " + strconv.Itoa(e.Version) + ")"
		}
		title := e.Kind.Label() + ": " + e.Title
		if e.Withdrawn {
			title = "Withdrawn: " + title
		}
		summary := what + ". " + whenText(e.Event) + "."
		if e.Note != "" {
			summary += " " + e.Note
		}
		if e.Summary != "" {
			summary += " " + e.Summary
		}
		feed.Entries = append(feed.Entries, atomEntry{
			ID:        "tag:" + domain + ",2025:event-" + strconv.FormatInt(e.ID, 10) + "-v" + strconv.Itoa(e.Version),
			Title:     plainText(title),
			Updated:   atomTime(e.UpdatedAt),
			Published: atomTime(e.CreatedAt),
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: link}},
			Category:  atomCategory{Term: string(e.Kind), Label: e.Kind.Label()},
			Summary:   plainText(xmlSafe(summary)),
		})
		feed.Entries[i].Title.Body = xmlSafe(feed.Entries[i].Title.Body)
	}
	out, err := xml.MarshalIndent(feed, "", "  ")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/atom+xml; charset=utf-8")
	return c.Send(append([]byte(xml.Header), out...))
}

// feedFilter is the feed's filter as a canonical query string: only the
// parameters that select records, sorted, so the same filter always gives
// the same feed id.
func feedFilter(c *fiber.Ctx) string {
	v := url.Values{}
	args := c.Context().QueryArgs()
	for _, k := range feedParams {
		for _, val := range args.PeekMulti(k) {
			if len(val) > 0 {
				v.Add(k, string(val))
			}
		}
	}
	for _, vals := range v {
		sort.Strings(vals)
	}
	return v.Encode()
}

// atomTime is an RFC 3339 date-time in UTC, as RFC 4287 §3.3 wants.
func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// xmlSafe drops the characters XML 1.0 cannot carry at all (controls but
// tab and newline); encoding/xml would write them as U+FFFD or fail.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF {
			return r
		}
		return -1
	}, s)
}
