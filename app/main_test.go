package app

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// testConfig is a Config fit for tests (no environment needed).
func testConfig() Config {
	return Config{Addr: ":0", BaseURL: "http://test", MaxUploadMB: 8, MaxJSONKB: 256,
		ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second, RequestTimeout: 5 * time.Second}
}

// quietLogger drops the access log so test output stays readable.
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// fixture is an app on a store with one user (and token) per role.
type fixture struct {
	t      *testing.T
	store  *models.Store
	app    *fiber.App
	tokens map[models.Role]string
	users  map[models.Role]*models.User
	// offContract skips the OpenAPI check, for an app with test-only routes.
	offContract bool
}

func newFixture(t *testing.T, s *models.Store) *fixture {
	t.Helper()
	fx := &fixture{t: t, store: s, tokens: map[models.Role]string{}, users: map[models.Role]*models.User{}}
	ctx := context.Background()
	for _, r := range models.Roles {
		u, err := s.CreateUser(ctx, string(r)+"@example.org", r, "")
		if err != nil {
			t.Fatal(err)
		}
		tok, _, err := s.CreateToken(ctx, u.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		fx.tokens[r], fx.users[r] = tok, u
	}
	app, err := New(Deps{Store: s, Config: testConfig(), Logger: quietLogger(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	fx.app = app
	return fx
}

// do sends a request and returns the status and body. token may be empty.
func (fx *fixture) do(method, path, token, body string) (int, string) {
	fx.t.Helper()
	hdr := map[string]string{}
	if body != "" {
		hdr["Content-Type"] = "application/json"
	}
	if token != "" {
		hdr["Authorization"] = "Bearer " + token
	}
	resp := fx.request(method, path, body, hdr)
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// request sends a request with headers and returns the response, its body
// read into memory.
func (fx *fixture) request(method, path, body string, hdr map[string]string) *http.Response {
	fx.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	return sendRequest(fx.t, fx.app, req, !fx.offContract)
}

// decode unmarshals a JSON response body, failing the test on error.
func decode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	return v
}

// validStrike is a strike round the API accepts.
const validStrike = `{"title":"Resident doctors' walkout","start":"2025-07-25T07:00:00+01:00","end":"2025-07-30T07:00:00+01:00","staff_group":"resident_doctors","unions":["BMA"],"action_type":"full_walkout","sources":[{"url":"https://www.bbc.co.uk/news/articles/x","title":"Doctors strike","publisher":"BBC News"}]}`

// mustNew builds the app or fails the test.
func mustNew(t testing.TB, d Deps) *fiber.App {
	t.Helper()
	f, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
