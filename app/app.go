// Package app is Strikeline's web layer: the Fiber application, its routes,
// the JSON API under /api/v1 and the server-rendered pages. Handlers are
// thin: they copy input out of the request, call models, importers or
// reports, and render. No other package imports app.
package app

import (
	"log/slog"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"github.com/strikeline/strikeline/models"
)

// Deps are what the web layer needs from the rest of the program.
type Deps struct {
	Store  *models.Store
	Config Config
	Logger *slog.Logger
	// Version is shown in reports and /healthz.
	Version string
}

// Server holds the handlers' shared dependencies.
type Server struct {
	store   *models.Store
	cfg     Config
	log     *slog.Logger
	version string
	// routePaths are the registered route patterns, the only values the
	// metrics' route label takes; filled on the first request, when every
	// route is registered.
	routePaths     map[string]struct{}
	routePathsOnce sync.Once
}

// New builds the Fiber application with every route and middleware.
func New(d Deps) *fiber.App {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	s := &Server{store: d.Store, cfg: d.Config, log: d.Logger, version: d.Version}
	f := fiber.New(fiber.Config{
		AppName: "Strikeline",
		// Immutable copies request strings so nothing handed to the store
		// or a goroutine is overwritten when fasthttp reuses its buffers.
		Immutable:             true,
		BodyLimit:             d.Config.MaxUploadMB << 20,
		ReadTimeout:           d.Config.ReadTimeout,
		WriteTimeout:          d.Config.WriteTimeout,
		IdleTimeout:           2 * time.Minute,
		DisableStartupMessage: true,
		ErrorHandler:          errorHandler(d.Logger, nil),
		ProxyHeader:           proxyHeader(d.Config),
	})
	// requestid first so every log line has one; observe outside recover
	// so a recovered panic is logged and counted as the 500 it becomes.
	f.Use(requestid.New())
	f.Use(s.observe)
	f.Use(recover.New())
	f.Use(s.deadline)
	s.routes(f)
	return f
}

func proxyHeader(c Config) string {
	if c.TrustProxy {
		return fiber.HeaderXForwardedFor
	}
	return ""
}
