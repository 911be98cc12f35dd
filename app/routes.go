package app

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

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

// routes is the one list of every route. Public GET routes carry
// s.cacheable (ETag, 304, page cache; see page_cache.go) right before their
// handler. Every route must also appear in
// the authorization table of authz_test.go, which fails on a new route until
// it is classified.
func (s *Server) routes(f *fiber.App) {
	f.Get("/healthz", s.healthz)
	f.Get("/readyz", s.readyz)
	f.Get("/metrics", s.metrics)
	f.Use("/static", filesystem.New(filesystem.Config{Root: http.FS(staticFS), PathPrefix: "static", MaxAge: 3600}))

	// Pages: the session is read on every page; every POST carries a CSRF
	// token. The middleware is attached per route, not with a prefix group,
	// so it never runs on the API (whose bearer clients have no cookies).
	page := func(method, path string, h ...fiber.Handler) {
		h = append([]fiber.Handler{s.loadSession, s.checkCSRF}, h...)
		f.Add(method, path, h...)
		// HEAD wherever GET is, as f.Get does (link checkers, monitors
		// and `curl -I` ask for the headers alone).
		if method == fiber.MethodGet {
			f.Add(fiber.MethodHead, path, h...)
		}
	}
	page("GET", "/", s.cacheable, s.pageTimeline)
	page("GET", "/events/new", s.requirePlannerPage, s.pageEventNew)
	page("POST", "/events/new", s.requirePlannerPage, s.postEventNew)
	page("GET", "/events/import", s.requirePlannerPage, s.pageEventsImport)
	page("POST", "/events/import", s.requirePlannerPage, s.postEventsImport)
	page("GET", "/events/:id", s.cacheable, s.pageEvent)
	page("GET", "/events/:id/edit", s.requirePlannerPage, s.pageEventEdit)
	page("POST", "/events/:id/edit", s.requirePlannerPage, s.postEventEdit)
	page("POST", "/events/:id/delete", s.requirePlannerPage, s.postEventDelete)
	page("GET", "/events/:id/history", s.cacheable, s.pageHistory)
	page("POST", "/events/:id/history/:version/restore", s.requirePlannerPage, s.postRestore)
	page("POST", "/events/:id/publish", s.requireEditorPage, s.postPublish)
	page("POST", "/events/:id/withdraw", s.requireEditorPage, s.postWithdraw)
	page("GET", "/review", s.requirePlannerPage, s.pageReview)
	page("GET", "/corrections", s.cacheable, s.pageCorrections)
	page("GET", "/changes", s.cacheable, s.pageChanges)
	page("GET", "/disputes/:id", s.cacheable, s.pageDispute)
	page("GET", "/impact", s.cacheable, s.pageRounds)
	page("GET", "/reports", s.requireAnalystPage, s.pageReports)
	page("GET", "/imports", s.requireAnalystPage, s.pageImports)
	// The upload page checks the session and role before its (large) body
	// is read, and the CSRF token only then.
	f.Post("/imports", s.loadSession, s.requireAnalystPage, s.uploadLimit, s.checkCSRF, s.postImport)
	page("GET", "/imports/:id", s.requireAnalystPage, s.pageImport)
	page("GET", "/login", s.pageLogin)
	page("POST", "/login", s.postLogin)
	page("POST", "/logout", s.postLogout)

	// Downloads of whatever the timeline filter shows.
	f.Get("/timeline.csv", s.cacheable, s.downloadCSV)
	f.Get("/timeline.json", s.cacheable, s.downloadJSON)
	f.Get("/timeline.xlsx", s.cacheable, s.downloadXLSX)
	f.Get("/timeline-js.json", s.cacheable, s.downloadTimelineJS)
	f.Get("/strikes.ics", s.cacheable, s.downloadICS)
	f.Get("/feed.atom", s.cacheable, s.downloadAtom)
	f.Get("/corrections.atom", s.cacheable, s.downloadCorrectionsAtom)

	// Embed cards for other sites' iframes: no session, no cookies, any
	// frame ancestor (embed.go).
	f.Get("/embed/events/:id", s.embedEvent)
	f.Get("/embed/timeline", s.embedTimeline)

	// Analyst exports: bearer token or a signed-in session.
	f.Get("/reports/impact.xlsx", s.authenticate, s.loadSession, requireRole(models.RoleAnalyst), s.reportImpactXLSX)

	api := f.Group("/api/v1", s.authenticate, apiSessionCSRF)
	// The API contract and its human page (docs/formats.md).
	api.Get("/openapi.json", s.apiOpenAPIJSON)
	api.Get("/openapi.yaml", s.apiOpenAPIYAML)
	page("GET", "/api/docs", s.apiDocs)
	// The signed-in user's own API tokens.
	api.Get("/tokens", requireUser, s.apiListTokens)
	api.Post("/tokens", requireUser, s.jsonLimit, s.apiCreateToken)
	api.Delete("/tokens/:id", requireUser, s.apiRevokeToken)
	// Accounts: admins only.
	api.Get("/users", requireRole(models.RoleAdmin), s.apiListUsers)
	api.Post("/users", requireRole(models.RoleAdmin), s.jsonLimit, s.apiCreateUser)
	api.Patch("/users/:id", requireRole(models.RoleAdmin), s.jsonLimit, s.apiUpdateUser)

	api.Get("/register", s.cacheable, s.apiRegister)
	api.Post("/events/:id/publish", requireRole(models.RoleEditor), s.jsonLimit, s.apiPublish)
	api.Post("/events/:id/withdraw", requireRole(models.RoleEditor), s.jsonLimit, s.apiWithdraw)
	api.Get("/timeline", s.cacheable, s.apiTimeline)
	api.Get("/events", s.cacheable, s.apiListEvents(""))
	api.Get("/events/:id", s.cacheable, s.apiGetEvent(""))
	api.Get("/events/:id/history", s.cacheable, s.apiHistory(""))
	// Impact answers are stored; only computing one takes an anonymous
	// slot (computeGate), so stored answers are not queued behind it.
	api.Get("/events/:id/impact", s.cacheable, s.apiImpact)
	api.Get("/impact/rounds", s.cacheable, s.apiRounds("json"))
	api.Get("/impact/rounds.csv", s.cacheable, s.apiRounds("csv"))
	api.Get("/impact/rounds.xlsx", s.cacheable, s.apiRounds("xlsx"))
	api.Get("/activity", s.cacheable, s.apiActivity(false))
	api.Get("/activity.csv", s.cacheable, s.apiActivity(true))
	api.Get("/activity/categories", s.cacheable, s.apiCategories(false))
	api.Get("/activity/categories.csv", s.cacheable, s.apiCategories(true))
	api.Get("/activity/practices", s.cacheable, s.apiPractices(false))
	api.Get("/activity/practices.csv", s.cacheable, s.apiPractices(true))
	api.Get("/online-consultations", s.cacheable, s.apiOC)
	api.Get("/online-consultations/day-time", s.cacheable, s.apiOCDayTime)
	api.Get("/coverage", s.cacheable, s.apiCoverage(false))
	api.Get("/coverage.csv", s.cacheable, s.apiCoverage(true))
	api.Get("/activity/roles", s.cacheable, s.apiLabelled("role", false))
	api.Get("/activity/roles.csv", s.cacheable, s.apiLabelled("role", true))
	api.Get("/activity/durations", s.cacheable, s.apiLabelled("duration", false))
	api.Get("/activity/durations.csv", s.cacheable, s.apiLabelled("duration", true))
	api.Get("/activity/overview", s.cacheable, s.apiOverview(false))
	api.Get("/activity/overview.csv", s.cacheable, s.apiOverview(true))
	api.Post("/imports", requireRole(models.RoleAnalyst), s.uploadLimit, s.apiCreateImport)
	api.Get("/imports", requireRole(models.RoleAnalyst), s.apiListImports)
	api.Get("/imports/:id", requireRole(models.RoleAnalyst), s.apiGetImport)
	for path, kind := range collections {
		g := api.Group("/" + path)
		g.Get("/", s.cacheable, s.apiListEvents(kind))
		g.Post("/", requireRole(models.RolePlanner), s.jsonLimit, s.apiCreateEvent(kind))
		g.Get("/:id", s.cacheable, s.apiGetEvent(kind))
		g.Patch("/:id", requireRole(models.RolePlanner), s.jsonLimit, s.apiPatchEvent(kind))
		g.Delete("/:id", requireRole(models.RolePlanner), s.apiDeleteEvent(kind))
		g.Get("/:id/history", s.cacheable, s.apiHistory(kind))
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
