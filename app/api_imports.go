package app

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/importers"
	"github.com/strikeline/strikeline/models"
)

// importView is an import run as the API shows it.
type importView struct {
	*models.ImportRun
	Progress float64 `json:"progress"`
	URL      string  `json:"url"`
}

func viewImport(r *models.ImportRun) importView {
	return importView{ImportRun: r, Progress: r.Progress(), URL: "/api/v1/imports/" + itoa(r.ID)}
}

// startUpload validates the multipart upload, stores it and starts the
// background import; the API and the import page share it.
func (s *Server) startUpload(c *fiber.Ctx) ([]*models.ImportRun, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, httpError(fiber.StatusBadRequest, `send the file as multipart/form-data field "file"`)
	}
	ext := strings.ToLower(filepath.Ext(fh.Filename))
	if ext != ".csv" && ext != ".zip" {
		return nil, &Error{Status: fiber.StatusUnprocessableEntity, Msg: "validation failed", Fields: map[string]string{"file": "must be a .csv or .zip file"}}
	}
	policy, err := importers.ParsePolicy(c.FormValue("policy"))
	if err != nil {
		return nil, &Error{Status: fiber.StatusUnprocessableEntity, Msg: "validation failed", Fields: map[string]string{"policy": err.Error()}}
	}
	kind := c.FormValue("kind")
	if kind != "" && kind != importers.KindGPAD && kind != importers.KindOC {
		return nil, &Error{Status: fiber.StatusUnprocessableEntity, Msg: "validation failed", Fields: map[string]string{"kind": "must be gpad or oc"}}
	}
	tmp, err := os.CreateTemp("", "strikeline-upload-*"+ext)
	if err != nil {
		return nil, err
	}
	tmp.Close()
	if err := c.SaveFile(fh, tmp.Name()); err != nil {
		os.Remove(tmp.Name())
		return nil, err
	}
	im := importers.New(s.store, importers.Options{Kind: kind, Policy: policy, Actor: actor(c), Logger: s.log})
	// Immutable is set, so fh.Filename is ours to keep.
	runs, err := im.Start(c.UserContext(), tmp.Name(), filepath.Base(fh.Filename), importers.DefaultLimits)
	if errors.Is(err, importers.ErrUnsafeArchive) || errors.Is(err, importers.ErrBadArchive) {
		return nil, httpError(fiber.StatusUnprocessableEntity, err.Error())
	} else if err != nil {
		return nil, err
	}
	return runs, nil
}

// apiCreateImport accepts a multipart upload ("file": a .csv or .zip;
// optional "kind" gpad|oc and "policy" reject|skip), stores it in a temp
// file and imports it in the background. It answers 202 with the runs.
func (s *Server) apiCreateImport(c *fiber.Ctx) error {
	runs, err := s.startUpload(c)
	if err != nil {
		return err
	}
	out := make([]importView, len(runs))
	for i, r := range runs {
		out[i] = viewImport(r)
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"imports": out})
}

// apiGetImport reports an import's status, progress and bad rows.
func (s *Server) apiGetImport(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return models.ErrNotFound
	}
	r, err := s.store.GetImportRun(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	return c.JSON(viewImport(r))
}

// apiListImports lists recent imports.
func (s *Server) apiListImports(c *fiber.Ctx) error {
	runs, err := s.store.ImportRuns(c.UserContext(), c.QueryInt("limit", 50))
	if err != nil {
		return err
	}
	out := make([]importView, len(runs))
	for i := range runs {
		out[i] = viewImport(&runs[i])
	}
	return c.JSON(fiber.Map{"imports": out})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
