// Package app is Strikeline's web layer: the Fiber application, its routes,
// the JSON API under /api/v1 and the server-rendered pages. Handlers are
// thin: they copy input out of the request, call models, importers or
// reports, and render. Only app/cli imports it (to build the server and
// read the configuration); nothing below app does.
package app

import (
	"log/slog"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/reports/analysis"
)

// Deps are what the web layer needs from the rest of the program.
type Deps struct {
	Store  *models.Store
	Config Config
	Logger *slog.Logger
	// Version is shown in reports and /healthz.
	Version string
	// Activity serves appointment series to the impact engine and the
	// event charts; nil means the store's own data
	// (analysis.NewStoreSource).
	Activity analysis.Source
	// Charts overrides where event charts read daily totals (tests); nil
	// means Activity's total appointments.
	Charts ActivitySource
}

// Server holds the handlers' shared dependencies.
type Server struct {
	store    *models.Store
	views    *views
	cfg      Config
	log      *slog.Logger
	version  string
	activity analysis.Source
	charts   ActivitySource
	cache    *pageCache
	memo     *registerMemo
	// loginSem bounds concurrent password checks (login_throttle.go).
	loginSem      semaphore
	loginSlotWait time.Duration
	// loginBackoff is the first wait after the free failures; it doubles
	// with each further failure (a field so tests can make it longer than
	// a slow machine's hash).
	loginBackoff time.Duration
	// impactSem bounds anonymous impact computations (impact_gate.go).
	impactSem semaphore
	// routePaths are the registered route patterns, the only values the
	// metrics' route label takes; filled on the first request, when every
	// route is registered.
	routePaths     map[string]struct{}
	routePathsOnce sync.Once

	// openapiJSON is the API contract as JSON, rendered once at start.
	openapiJSON []byte
}

// New builds the Fiber application with every route and middleware. It
// fails when a page template does not parse.
func New(d Deps) (*fiber.App, error) {
	_, f, err := newServer(d)
	return f, err
}

// newServer is New, also returning the handlers' shared state (tests).
func newServer(d Deps) (*Server, *fiber.App, error) {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Activity == nil {
		d.Activity = analysis.NewStoreSource(d.Store)
	}
	if d.Charts == nil {
		d.Charts = totalsSource{d.Activity}
	}
	s := &Server{store: d.Store, cfg: d.Config, log: d.Logger, version: d.Version, activity: d.Activity,
		charts: d.Charts, cache: newPageCache(d.Config.PageCacheTTL, 256), memo: newRegisterMemo(256)}
	s.loginSem, s.loginSlotWait, s.loginBackoff = make(semaphore, loginSlots), loginSlotWait, time.Second
	s.impactSem = make(semaphore, max(d.Config.AnonImpactConcurrency, 1))
	v, err := newViews()
	if err != nil {
		return nil, nil, err
	}
	s.views = v
	if _, s.openapiJSON, err = loadOpenAPI(); err != nil {
		return nil, nil, err
	}
	f := fiber.New(fiber.Config{
		Views:   v,
		AppName: "Strikeline",
		// Immutable copies request strings so nothing handed to the store
		// or a goroutine is overwritten when fasthttp reuses its buffers.
		Immutable:             true,
		BodyLimit:             d.Config.MaxUploadMB << 20,
		ReadTimeout:           d.Config.ReadTimeout,
		WriteTimeout:          d.Config.WriteTimeout,
		IdleTimeout:           2 * time.Minute,
		DisableStartupMessage: true,
		ErrorHandler:          errorHandler(d.Logger, s.renderError),

		// Bodies are streamed and never parsed before a handler asks:
		// limitBody and uploadLimit decide how much of one is read, after
		// the route has authenticated its caller (body_limit.go).
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
	})
	// requestid first so every log line has one; observe outside recover
	// so a recovered panic is logged and counted as the 500 it becomes.
	f.Use(requestid.New())
	f.Use(s.observe)
	f.Use(recover.New())
	f.Use(s.limitBody)
	f.Use(s.deadline)
	f.Use(s.securityHeaders)
	// CORS before the query check, so a 422 is readable cross-origin.
	f.Use(s.cors)
	f.Use(checkQuery)
	f.Use(s.cacheHeaders)
	s.routes(f)
	return s, f, nil
}
