package app

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

type importsPage struct {
	pageBase
	Runs   []models.ImportRun
	Error  string
	Fields map[string]string
}

type importPage struct {
	pageBase
	Run      *models.ImportRun
	Progress int
	Running  bool
}

// pageImports lists recent imports with the upload form.
func (s *Server) pageImports(c *fiber.Ctx) error {
	return s.renderImports(c, fiber.StatusOK, "", nil)
}

func (s *Server) renderImports(c *fiber.Ctx, status int, msg string, fields map[string]string) error {
	runs, err := s.store.ImportRuns(c.UserContext(), 50)
	if err != nil {
		return err
	}
	p := importsPage{pageBase: s.base(c, "Import data", "imports"), Runs: runs, Error: msg, Fields: fields}
	return s.render(c, status, "imports", p)
}

// postImport starts an upload and shows its progress page; a bad file is
// shown on the form, not as an error page.
func (s *Server) postImport(c *fiber.Ctx) error {
	runs, err := s.startUpload(c)
	var ae *Error
	if errors.As(err, &ae) && ae.Status < 500 {
		return s.renderImports(c, ae.Status, ae.Msg, ae.Fields)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/imports/"+itoa(runs[0].ID), fiber.StatusSeeOther)
}

// pageImport shows one import's progress and bad rows. While it runs the
// page reloads itself (app.js; a Refresh link without JavaScript), reading
// progress from the database, so any instance can serve it.
func (s *Server) pageImport(c *fiber.Ctx) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := s.store.GetImportRun(c.UserContext(), id)
	if err != nil {
		return err
	}
	p := importPage{pageBase: s.base(c, "Import "+r.FileName, "imports"), Run: r,
		Progress: int(r.Progress() * 100), Running: r.Status == models.ImportRunning}
	return s.render(c, fiber.StatusOK, "import", p)
}
