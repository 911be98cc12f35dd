package app

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Config is the runtime configuration, read from environment variables
// (serve's --addr may override Addr).
type Config struct {
	Addr        string // STRIKELINE_ADDR, default :8080
	DatabaseURL string // DATABASE_URL: PostgreSQL; empty means SQLite
	// SQLitePath is STRIKELINE_DB, default DefaultSQLitePath: one file per
	// user whatever the current folder, so every command opens the same
	// database.
	SQLitePath string
	BaseURL    string // STRIKELINE_BASE_URL, used in feeds and permalinks
	// ICSDomain (STRIKELINE_ICS_DOMAIN) is the identity domain of calendar
	// UIDs and feed ids, kept apart from BaseURL so moving the site does
	// not make subscribers see every event and entry twice; default
	// defaultIdentityDomain.
	ICSDomain   string
	MaxUploadMB int // STRIKELINE_MAX_UPLOAD_MB, default 512
	MaxJSONKB   int // STRIKELINE_MAX_JSON_KB, default 1024
	// ReadTimeout (STRIKELINE_READ_TIMEOUT, default 60s) bounds reading a
	// request, body included, so a slow client cannot hold a connection;
	// WriteTimeout (STRIKELINE_WRITE_TIMEOUT, default 120s) bounds writing
	// the response.
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	// RequestTimeout (STRIKELINE_REQUEST_TIMEOUT, default 15s) bounds the
	// database work of one request; 0 turns it off.
	RequestTimeout time.Duration
	// ShutdownTimeout (STRIKELINE_SHUTDOWN_TIMEOUT, default 30s) is how
	// long a stopping server waits for in-flight requests.
	ShutdownTimeout time.Duration
	// SecureCookies marks cookies Secure and sends HSTS; on by default when
	// BaseURL is https.
	SecureCookies bool
	// TrustProxy makes the client IP come from X-Forwarded-For (behind a
	// load balancer); STRIKELINE_TRUST_PROXY=1.
	TrustProxy bool
	// TrustedProxies (STRIKELINE_TRUSTED_PROXIES, CIDRs; default loopback
	// and the private ranges) are the proxies whose X-Forwarded-For entry
	// is believed; the client is the right-most address not among them.
	TrustedProxies []netip.Prefix
	// AnonImpactConcurrency (STRIKELINE_ANON_IMPACT_CONCURRENCY, default
	// 2) is how many impact computations anonymous callers may run at once
	// per process; more get 429.
	AnonImpactConcurrency int
	// PageCacheTTL is how long rendered anonymous answers are kept in
	// memory (STRIKELINE_PAGE_CACHE_SECONDS, default 60; 0 turns it off).
	// An entry is served only while the data state it was rendered at is
	// still current, so the TTL bounds memory, not staleness.
	PageCacheTTL time.Duration
	// CacheMaxAge and CacheStale are the max-age and stale-while-revalidate
	// of public answers (STRIKELINE_CACHE_MAX_AGE, default 60s, and
	// STRIKELINE_CACHE_STALE, default 60s).
	CacheMaxAge, CacheStale time.Duration
	// ReplicaURLs are PostgreSQL read replicas of DatabaseURL
	// (STRIKELINE_REPLICA_URLS, comma-separated) for serve; ReplicaMaxLag
	// (STRIKELINE_REPLICA_MAX_LAG, default 2s) is how far behind one may be
	// and still serve reads.
	ReplicaURLs   []string
	ReplicaMaxLag time.Duration
}

// ConfigFromEnv reads the configuration from the environment.
func ConfigFromEnv() (Config, error) {
	c := Config{
		Addr:        env("STRIKELINE_ADDR", ":8080"),
		DatabaseURL: os.Getenv("DATABASE_URL"),
		SQLitePath:  env("STRIKELINE_DB", DefaultSQLitePath()),
		BaseURL:     env("STRIKELINE_BASE_URL", "http://localhost:8080"),
		ICSDomain:   os.Getenv("STRIKELINE_ICS_DOMAIN"),
	}
	var err error
	for _, d := range []struct {
		dst *time.Duration
		key string
		def time.Duration
	}{
		{&c.ReadTimeout, "STRIKELINE_READ_TIMEOUT", 60 * time.Second},
		{&c.WriteTimeout, "STRIKELINE_WRITE_TIMEOUT", 120 * time.Second},
		{&c.RequestTimeout, "STRIKELINE_REQUEST_TIMEOUT", 15 * time.Second},
		{&c.ShutdownTimeout, "STRIKELINE_SHUTDOWN_TIMEOUT", 30 * time.Second},
		{&c.CacheMaxAge, "STRIKELINE_CACHE_MAX_AGE", 60 * time.Second},
		{&c.CacheStale, "STRIKELINE_CACHE_STALE", 60 * time.Second},
		{&c.ReplicaMaxLag, "STRIKELINE_REPLICA_MAX_LAG", 2 * time.Second},
	} {
		if *d.dst, err = envDuration(d.key, d.def); err != nil {
			return c, err
		}
	}
	if c.MaxUploadMB, err = envInt("STRIKELINE_MAX_UPLOAD_MB", 512); err != nil {
		return c, err
	}
	if c.MaxJSONKB, err = envInt("STRIKELINE_MAX_JSON_KB", 1024); err != nil {
		return c, err
	}
	if c.AnonImpactConcurrency, err = envInt("STRIKELINE_ANON_IMPACT_CONCURRENCY", 2); err != nil {
		return c, err
	}
	switch v := os.Getenv("STRIKELINE_TRUST_PROXY"); v {
	case "", "0":
	case "1":
		c.TrustProxy = true
	default:
		return c, fmt.Errorf("STRIKELINE_TRUST_PROXY must be 1 (behind a load balancer) or 0, got %q", v)
	}
	if c.TrustedProxies, err = parseProxies(env("STRIKELINE_TRUSTED_PROXIES", defaultTrustedProxies)); err != nil {
		return c, err
	}
	for _, u := range strings.Split(os.Getenv("STRIKELINE_REPLICA_URLS"), ",") {
		if u = strings.TrimSpace(u); u != "" {
			c.ReplicaURLs = append(c.ReplicaURLs, u)
		}
	}
	secs, err := envInt("STRIKELINE_PAGE_CACHE_SECONDS", 60)
	if err != nil {
		return c, err
	}
	c.PageCacheTTL = time.Duration(secs) * time.Second
	c.SecureCookies = len(c.BaseURL) > 8 && c.BaseURL[:8] == "https://"
	return c, c.Validate()
}

// Validate checks the values are usable.
func (c Config) Validate() error {
	var errs []error
	if c.Addr == "" {
		errs = append(errs, errors.New("STRIKELINE_ADDR must not be empty"))
	}
	if c.MaxUploadMB < 1 || c.MaxUploadMB > 100000 {
		errs = append(errs, errors.New("STRIKELINE_MAX_UPLOAD_MB must be between 1 and 100000"))
	}
	if c.PageCacheTTL < 0 {
		errs = append(errs, errors.New("STRIKELINE_PAGE_CACHE_SECONDS must not be negative"))
	}
	if c.AnonImpactConcurrency < 1 {
		errs = append(errs, errors.New("STRIKELINE_ANON_IMPACT_CONCURRENCY must be at least 1"))
	}
	if c.MaxJSONKB < 1 {
		errs = append(errs, errors.New("STRIKELINE_MAX_JSON_KB must be positive"))
	}
	if c.ICSDomain != "" && !validDomain(c.ICSDomain) {
		errs = append(errs, errors.New("STRIKELINE_ICS_DOMAIN must be a domain name like strikeline.example.org"))
	}
	for _, d := range []struct {
		key string
		v   time.Duration
	}{
		{"STRIKELINE_READ_TIMEOUT", c.ReadTimeout}, {"STRIKELINE_WRITE_TIMEOUT", c.WriteTimeout},
		{"STRIKELINE_REQUEST_TIMEOUT", c.RequestTimeout}, {"STRIKELINE_SHUTDOWN_TIMEOUT", c.ShutdownTimeout},
		{"STRIKELINE_CACHE_MAX_AGE", c.CacheMaxAge}, {"STRIKELINE_CACHE_STALE", c.CacheStale},
		{"STRIKELINE_REPLICA_MAX_LAG", c.ReplicaMaxLag},
	} {
		if d.v < 0 {
			errs = append(errs, fmt.Errorf("%s must not be negative, got %s", d.key, d.v))
		}
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("STRIKELINE_BASE_URL must be an http:// or https:// URL like https://strikeline.example.org, got %q", c.BaseURL))
	}
	if len(c.ReplicaURLs) > 0 && c.DatabaseURL == "" {
		errs = append(errs, errors.New("STRIKELINE_REPLICA_URLS needs DATABASE_URL (replicas are PostgreSQL only)"))
	}
	return errors.Join(errs...)
}

func envDuration(k string, def time.Duration) (time.Duration, error) {
	v := os.Getenv(k)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s must be a duration like 30s, got %q", k, v)
	}
	return d, nil
}

func env(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func envInt(k string, def int) (int, error) {
	v := os.Getenv(k)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s must be a whole number, got %q", k, v)
	}
	return n, nil
}

// DefaultSQLitePath is the SQLite file used when STRIKELINE_DB is unset:
// strikeline/strikeline.db in the per-user data directory
// ($XDG_DATA_HOME, else ~/.local/share; on macOS and Windows the directory
// os.UserConfigDir names). Without a home directory it is strikeline.db in
// the current folder.
func DefaultSQLitePath() string {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		dir = ""
		if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
			dir, _ = os.UserConfigDir()
		} else if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, ".local", "share")
		}
	}
	if dir == "" {
		return "strikeline.db"
	}
	return filepath.Join(dir, "strikeline", "strikeline.db")
}

// defaultIdentityDomain is the identity domain when STRIKELINE_ICS_DOMAIN
// is unset: fixed for the product, never derived from the base URL.
const defaultIdentityDomain = "strikeline.invalid"

// identityDomain is the domain of calendar UIDs and feed tag URIs.
func (c Config) identityDomain() string {
	if c.ICSDomain != "" {
		return strings.ToLower(c.ICSDomain)
	}
	return defaultIdentityDomain
}

// validDomain accepts a DNS name: dot-separated labels of letters, digits
// and hyphens.
func validDomain(d string) bool {
	if len(d) > 253 || !strings.Contains(d, ".") {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}
