package app

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// correctionView is one correction or withdrawal as the pages show it.
type correctionView struct {
	ID        int64
	Title     string
	Withdrawn bool
	Note      string
	At        string
	AtISO     string
	// Before and After are the as-of permalinks either side of the change.
	Before, After string
	Register      int
}

func viewCorrection(p models.Publication) correctionView {
	return correctionView{ID: p.EventID, Title: p.Title, Withdrawn: p.State == models.PubWithdrawn, Note: p.Note,
		At: londonDate(p.At), AtISO: isoTime(p.At), Register: p.RegisterVersion,
		Before: asOfURL(p.EventID, p.RegisterVersion-1), After: asOfURL(p.EventID, p.RegisterVersion)}
}

// correctionLine is the public sentence of a correction or withdrawal:
// "Corrected on 1 December 2026: <note>".
func correctionLine(p *models.Publication) string {
	what := "Corrected"
	if p.State == models.PubWithdrawn {
		what = "Withdrawn"
	}
	return what + " on " + londonDate(p.At) + ": " + p.Note
}

// londonDate is a day as the correction lines write it: 1 December 2026.
func londonDate(t time.Time) string { return t.In(models.London).Format("2 January 2006") }

type correctionsPage struct {
	pageBase
	Items []correctionView
}

// pageCorrections is /corrections: every public correction and withdrawal,
// newest first.
func (s *Server) pageCorrections(c *fiber.Ctx) error {
	ps, err := s.store.Corrections(c.UserContext(), 1000)
	if err != nil {
		return err
	}
	p := correctionsPage{pageBase: s.base(c, "Corrections and withdrawals", "corrections")}
	for _, x := range ps {
		p.Items = append(p.Items, viewCorrection(x))
	}
	return s.render(c, fiber.StatusOK, "corrections", p)
}

type changeView struct {
	What     string
	Title    string
	ID       int64
	Register int
	At       string
	Note     string
	// Before is empty for an added record.
	Before, After string
}

type changesPage struct {
	pageBase
	Since, Current int
	Items          []changeView
	Errors         map[string]string
}

// pageChanges is /changes?since=N: what changed in the register after
// version N, linking both versions of each record.
func (s *Server) pageChanges(c *fiber.Ctx) error {
	reg, err := s.store.RegisterState(c.UserContext())
	if err != nil {
		return err
	}
	since := 0
	if raw := c.Query("since"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > reg.Version {
			return &models.ValidationError{Fields: map[string]string{"since": "must be a register version from 0 to " + strconv.Itoa(reg.Version)}}
		}
		since = n
	}
	ch, err := s.store.Changes(c.UserContext(), since)
	if err != nil {
		return err
	}
	p := changesPage{pageBase: s.base(c, "Changes to the register", ""), Since: since, Current: reg.Version}
	for i := len(ch) - 1; i >= 0; i-- {
		x := ch[i]
		v := changeView{What: x.What(), Title: x.Title, ID: x.EventID, Register: x.RegisterVersion,
			At: x.At.In(models.London).Format("2 Jan 2006, 15:04"), Note: x.Note, After: asOfURL(x.EventID, x.RegisterVersion)}
		if x.Previous > 0 {
			v.Before = asOfURL(x.EventID, x.Previous)
		}
		if x.State == models.PubWithdrawn {
			v.After = eventURL(x.EventID)
			v.Before = asOfURL(x.EventID, x.RegisterVersion-1)
		}
		p.Items = append(p.Items, v)
	}
	return s.render(c, fiber.StatusOK, "changes", p)
}
