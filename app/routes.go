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

// routes is the one list of every route. Every route must also appear in
// the authorization table of authz_test.go, which fails on a new route until
// it is classified.
func (s *Server) routes(f *fiber.App) {
	f.Get("/healthz", s.healthz)
	f.Get("/readyz", s.readyz)
	f.Get("/metrics", s.metrics)

	api := f.Group("/api/v1", s.authenticate)
	// The signed-in user's own API tokens.
	api.Get("/tokens", requireUser, s.apiListTokens)
	api.Post("/tokens", requireUser, s.jsonLimit, s.apiCreateToken)
	api.Delete("/tokens/:id", requireUser, s.apiRevokeToken)
	// Accounts: admins only.
	api.Get("/users", requireRole(models.RoleAdmin), s.apiListUsers)
	api.Post("/users", requireRole(models.RoleAdmin), s.jsonLimit, s.apiCreateUser)
	api.Patch("/users/:id", requireRole(models.RoleAdmin), s.jsonLimit, s.apiUpdateUser)

	api.Get("/timeline", s.apiTimeline)
	api.Get("/events", s.apiListEvents(""))
	api.Get("/events/:id", s.apiGetEvent(""))
	api.Get("/events/:id/history", s.apiHistory(""))
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

// jsonLimit caps JSON bodies well below the upload limit.
func (s *Server) jsonLimit(c *fiber.Ctx) error {
	if len(c.Body()) > s.cfg.MaxJSONKB<<10 {
		return httpError(fiber.StatusRequestEntityTooLarge, "request body too large")
	}
	return c.Next()
}
