package app

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// configVars are every variable ConfigFromEnv reads; each test case starts
// from all of them unset, so the machine's own environment cannot leak in.
var configVars = []string{
	"STRIKELINE_ADDR", "DATABASE_URL", "STRIKELINE_DB", "STRIKELINE_BASE_URL", "STRIKELINE_ICS_DOMAIN",
	"STRIKELINE_MAX_UPLOAD_MB", "STRIKELINE_MAX_JSON_KB", "STRIKELINE_READ_TIMEOUT", "STRIKELINE_WRITE_TIMEOUT",
	"STRIKELINE_REQUEST_TIMEOUT", "STRIKELINE_SHUTDOWN_TIMEOUT", "STRIKELINE_PAGE_CACHE_SECONDS",
	"STRIKELINE_CACHE_MAX_AGE", "STRIKELINE_CACHE_STALE", "STRIKELINE_REPLICA_URLS", "STRIKELINE_REPLICA_MAX_LAG",
	"STRIKELINE_TRUST_PROXY", "STRIKELINE_TRUSTED_PROXIES", "STRIKELINE_ANON_IMPACT_CONCURRENCY",
}

func setConfigEnv(t *testing.T, env map[string]string) {
	t.Helper()
	for _, k := range configVars {
		t.Setenv(k, "")
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
}

// TestConfigFromEnv: each variable sets its field, and the defaults are the
// ones the README's table gives.
func TestConfigFromEnv(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", "")
	defaultDB := filepath.Join(home, ".local", "share", "strikeline", "strikeline.db")
	for _, tc := range []struct {
		name string
		env  map[string]string
		// field picks what the case is about from the parsed config.
		field func(c Config) any
		want  any
	}{
		{"default address", nil, func(c Config) any { return c.Addr }, ":8080"},
		{"STRIKELINE_ADDR", map[string]string{"STRIKELINE_ADDR": "127.0.0.1:9090"}, func(c Config) any { return c.Addr }, "127.0.0.1:9090"},
		{"default SQLite file: the per-user data directory", nil, func(c Config) any { return c.SQLitePath }, defaultDB},
		{"XDG_DATA_HOME moves the default file", map[string]string{"XDG_DATA_HOME": "/srv/data"}, func(c Config) any { return c.SQLitePath }, "/srv/data/strikeline/strikeline.db"},
		{"STRIKELINE_DB", map[string]string{"STRIKELINE_DB": "/tmp/x.db"}, func(c Config) any { return c.SQLitePath }, "/tmp/x.db"},
		{"DATABASE_URL", map[string]string{"DATABASE_URL": "postgres://u@h/db"}, func(c Config) any { return c.DatabaseURL }, "postgres://u@h/db"},
		{"default base URL", nil, func(c Config) any { return [2]any{c.BaseURL, c.SecureCookies} }, [2]any{"http://localhost:8080", false}},
		{"STRIKELINE_BASE_URL https turns on secure cookies", map[string]string{"STRIKELINE_BASE_URL": "https://strikes.example.org"},
			func(c Config) any { return [2]any{c.BaseURL, c.SecureCookies} }, [2]any{"https://strikes.example.org", true}},
		{"STRIKELINE_ICS_DOMAIN", map[string]string{"STRIKELINE_ICS_DOMAIN": "Strikes.Example.org"}, func(c Config) any { return c.identityDomain() }, "strikes.example.org"},
		{"default ICS domain", nil, func(c Config) any { return c.identityDomain() }, "strikeline.invalid"},
		{"default limits", nil, func(c Config) any { return [3]int{c.MaxUploadMB, c.MaxJSONKB, c.AnonImpactConcurrency} }, [3]int{512, 1024, 2}},
		{"STRIKELINE_MAX_UPLOAD_MB, _MAX_JSON_KB, _ANON_IMPACT_CONCURRENCY",
			map[string]string{"STRIKELINE_MAX_UPLOAD_MB": "20", "STRIKELINE_MAX_JSON_KB": "64", "STRIKELINE_ANON_IMPACT_CONCURRENCY": "8"},
			func(c Config) any { return [3]int{c.MaxUploadMB, c.MaxJSONKB, c.AnonImpactConcurrency} }, [3]int{20, 64, 8}},
		{"default durations", nil, func(c Config) any {
			return []time.Duration{c.ReadTimeout, c.WriteTimeout, c.RequestTimeout, c.ShutdownTimeout, c.CacheMaxAge, c.CacheStale, c.ReplicaMaxLag, c.PageCacheTTL}
		}, []time.Duration{60 * time.Second, 120 * time.Second, 15 * time.Second, 30 * time.Second, time.Minute, time.Minute, 2 * time.Second, time.Minute}},
		{"every duration variable", map[string]string{"STRIKELINE_READ_TIMEOUT": "1s", "STRIKELINE_WRITE_TIMEOUT": "2s",
			"STRIKELINE_REQUEST_TIMEOUT": "0", "STRIKELINE_SHUTDOWN_TIMEOUT": "4s", "STRIKELINE_CACHE_MAX_AGE": "5m",
			"STRIKELINE_CACHE_STALE": "6s", "STRIKELINE_REPLICA_MAX_LAG": "700ms", "STRIKELINE_PAGE_CACHE_SECONDS": "0"},
			func(c Config) any {
				return []time.Duration{c.ReadTimeout, c.WriteTimeout, c.RequestTimeout, c.ShutdownTimeout, c.CacheMaxAge, c.CacheStale, c.ReplicaMaxLag, c.PageCacheTTL}
			}, []time.Duration{time.Second, 2 * time.Second, 0, 4 * time.Second, 5 * time.Minute, 6 * time.Second, 700 * time.Millisecond, 0}},
		{"STRIKELINE_TRUST_PROXY off by default", nil, func(c Config) any { return c.TrustProxy }, false},
		{"STRIKELINE_TRUST_PROXY=1", map[string]string{"STRIKELINE_TRUST_PROXY": "1"}, func(c Config) any { return c.TrustProxy }, true},
		{"STRIKELINE_TRUST_PROXY=0", map[string]string{"STRIKELINE_TRUST_PROXY": "0"}, func(c Config) any { return c.TrustProxy }, false},
		{"STRIKELINE_TRUSTED_PROXIES", map[string]string{"STRIKELINE_TRUSTED_PROXIES": "10.1.0.0/16 192.0.2.7"},
			func(c Config) any { return len(c.TrustedProxies) }, 2},
		{"STRIKELINE_REPLICA_URLS, spaces and empty entries dropped",
			map[string]string{"DATABASE_URL": "postgres://p/db", "STRIKELINE_REPLICA_URLS": " postgres://r1/db, ,postgres://r2/db"},
			func(c Config) any { return c.ReplicaURLs }, []string{"postgres://r1/db", "postgres://r2/db"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setConfigEnv(t, tc.env)
			c, err := ConfigFromEnv()
			if err != nil {
				t.Fatal(err)
			}
			if got := tc.field(c); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestConfigFromEnvBadValues: a bad value is refused with an error naming
// its variable (the command line prints it and exits 2).
func TestConfigFromEnvBadValues(t *testing.T) {
	for _, tc := range []struct{ key, value string }{
		{"STRIKELINE_BASE_URL", "strikes.example.org"},
		{"STRIKELINE_BASE_URL", "ftp://strikes.example.org"},
		{"STRIKELINE_ICS_DOMAIN", "localhost"},
		{"STRIKELINE_MAX_UPLOAD_MB", "lots"},
		{"STRIKELINE_MAX_UPLOAD_MB", "0"},
		{"STRIKELINE_MAX_UPLOAD_MB", "100001"},
		{"STRIKELINE_MAX_JSON_KB", "1.5"},
		{"STRIKELINE_MAX_JSON_KB", "0"},
		{"STRIKELINE_ANON_IMPACT_CONCURRENCY", "0"},
		{"STRIKELINE_ANON_IMPACT_CONCURRENCY", "two"},
		{"STRIKELINE_PAGE_CACHE_SECONDS", "-1"},
		{"STRIKELINE_PAGE_CACHE_SECONDS", "60s"},
		{"STRIKELINE_READ_TIMEOUT", "60"},
		{"STRIKELINE_READ_TIMEOUT", "-1s"},
		{"STRIKELINE_WRITE_TIMEOUT", "soon"},
		{"STRIKELINE_WRITE_TIMEOUT", "-2m"},
		{"STRIKELINE_REQUEST_TIMEOUT", "15"},
		{"STRIKELINE_REQUEST_TIMEOUT", "-15s"},
		{"STRIKELINE_SHUTDOWN_TIMEOUT", "x"},
		{"STRIKELINE_SHUTDOWN_TIMEOUT", "-30s"},
		{"STRIKELINE_CACHE_MAX_AGE", "1 minute"},
		{"STRIKELINE_CACHE_MAX_AGE", "-1s"},
		{"STRIKELINE_CACHE_STALE", "often"},
		{"STRIKELINE_CACHE_STALE", "-1s"},
		{"STRIKELINE_REPLICA_MAX_LAG", "2"},
		{"STRIKELINE_REPLICA_MAX_LAG", "-2s"},
		{"STRIKELINE_TRUST_PROXY", "yes"},
		{"STRIKELINE_TRUSTED_PROXIES", "10.0.0.0/8,not-a-cidr"},
		// Replicas need PostgreSQL: DATABASE_URL is unset here.
		{"STRIKELINE_REPLICA_URLS", "postgres://r1/db"},
	} {
		t.Run(tc.key+"="+tc.value, func(t *testing.T) {
			setConfigEnv(t, map[string]string{tc.key: tc.value})
			_, err := ConfigFromEnv()
			if err == nil {
				t.Fatalf("%s=%q accepted", tc.key, tc.value)
			}
			if !strings.Contains(err.Error(), tc.key) {
				t.Errorf("error does not name %s: %v", tc.key, err)
			}
			// Only the bad variable is blamed.
			for _, other := range configVars {
				if other != tc.key && other != "DATABASE_URL" && strings.Contains(err.Error(), other+" ") {
					t.Errorf("error names %s too: %v", other, err)
				}
			}
		})
	}
}
