package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// collections maps each API collection path to its record kind.
var collections = map[string]models.Kind{
	"disputes":           models.KindDispute,
	"strike-rounds":      models.KindStrikeRound,
	"pay-settlements":    models.KindPaySettlement,
	"regulatory-changes": models.KindRegulatoryChange,
	"milestones":         models.KindMilestone,
}

// routes is the one list of every route.
func (s *Server) routes(f *fiber.App) {
	f.Get("/healthz", s.healthz)

	api := f.Group("/api/v1", s.authenticate)
	api.Get("/timeline", s.apiTimeline)
	api.Get("/events", s.apiListEvents(""))
	api.Get("/events/:id", s.apiGetEvent(""))
	api.Get("/events/:id/history", s.apiHistory(""))
	api.Get("/activity", s.apiActivity(false))
	api.Get("/activity.csv", s.apiActivity(true))
	api.Get("/online-consultations", s.apiOC)
	api.Post("/imports", requireRole(models.RoleAnalyst), s.apiCreateImport)
	api.Get("/imports", requireRole(models.RoleAnalyst), s.apiListImports)
	api.Get("/imports/:id", requireRole(models.RoleAnalyst), s.apiGetImport)
	for path, kind := range collections {
		g := api.Group("/" + path)
		g.Get("/", s.apiListEvents(kind))
		g.Post("/", requireRole(models.RolePlanner), s.jsonLimit, s.apiCreateEvent(kind))
		g.Get("/:id", s.apiGetEvent(kind))
		g.Patch("/:id", requireRole(models.RolePlanner), s.jsonLimit, s.apiPatchEvent(kind))
		g.Delete("/:id", requireRole(models.RolePlanner), s.apiDeleteEvent(kind))
		g.Get("/:id/history", s.apiHistory(kind))
		g.Post("/:id/history/:version/restore", requireRole(models.RolePlanner), s.apiRestore(kind))
	}
}

func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok", "version": s.version})
}

// jsonLimit caps JSON bodies well below the upload limit.
func (s *Server) jsonLimit(c *fiber.Ctx) error {
	if len(c.Body()) > s.cfg.MaxJSONKB<<10 {
		return httpError(fiber.StatusRequestEntityTooLarge, "request body too large")
	}
	return c.Next()
}
