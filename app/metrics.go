package app

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry holds every Strikeline metric served on /metrics. It is our own
// rather than prometheus.DefaultRegisterer so tests that build many apps
// never hit duplicate-registration panics.
var Registry = prometheus.NewRegistry()

// ImportRows counts rows handled by importers, by outcome ("accepted" or
// "rejected"). Import handlers add to it after each committed batch:
//
//	app.ImportRows.WithLabelValues("accepted").Add(float64(n))
var ImportRows = prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "strikeline_import_rows_total",
	Help: "Rows read by importers, by outcome (accepted or rejected).",
}, []string{"outcome"})

var (
	httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "strikeline_http_requests_total",
		Help: "HTTP requests by method, route pattern and status code.",
	}, []string{"method", "route", "status"})
	httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "strikeline_http_request_duration_seconds",
		Help:    "HTTP request latency by method, route pattern and status code.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"method", "route", "status"})
)

func init() {
	Registry.MustRegister(ImportRows, httpRequests, httpDuration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Export the series at zero so dashboards and alerts see them before
	// the first import.
	ImportRows.WithLabelValues("accepted")
	ImportRows.WithLabelValues("rejected")
}

// metricsHandler serves the Prometheus text format. It shows only
// aggregate counts and latencies (no record data), so it is public like the
// timeline; block it at the proxy if that is unwanted.
var metricsHandler = adaptor.HTTPHandler(promhttp.HandlerFor(Registry, promhttp.HandlerOpts{}))

func (s *Server) metrics(c *fiber.Ctx) error { return metricsHandler(c) }
