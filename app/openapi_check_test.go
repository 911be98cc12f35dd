package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

var (
	contractOnce   sync.Once
	contractRouter routers.Router
	contractErr    error
)

// contract is the router over the embedded OpenAPI document.
func contract(t testing.TB) routers.Router {
	t.Helper()
	contractOnce.Do(func() {
		doc, _, err := loadOpenAPI()
		if err != nil {
			contractErr = err
			return
		}
		contractRouter, contractErr = gorillamux.NewRouter(doc)
	})
	if contractErr != nil {
		t.Fatalf("OpenAPI document: %v", contractErr)
	}
	return contractRouter
}

// checkAgainstOpenAPI fails the test when an answer under /api/v1 is not
// what the OpenAPI document says: an undocumented route, status, header or
// body shape. An accepted request (2xx) must also be one the document
// allows, so a parameter the code reads but the document lacks is caught.
func checkAgainstOpenAPI(t testing.TB, req *http.Request, reqBody []byte, res *http.Response, body []byte) {
	t.Helper()
	if !strings.HasPrefix(req.URL.Path, "/api/v1/") && req.URL.Path != "/api/v1" {
		return
	}
	if req.Method == http.MethodOptions || req.Method == http.MethodHead {
		return // CORS preflights and HEAD are answered by middleware, not operations
	}
	// The router matches the document's server, "/api/v1" on any host.
	// Fiber's routing is not strict: /api/v1/disputes/ is /api/v1/disputes.
	u := *req.URL
	u.Scheme, u.Host = "http", "strikeline.test"
	u.Path = strings.TrimSuffix(u.Path, "/")
	r2 := req.Clone(context.Background())
	r2.URL = &u
	r2.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := contract(t).FindRoute(r2)
	if err != nil {
		if res.StatusCode == http.StatusNotFound || res.StatusCode == http.StatusMethodNotAllowed {
			return // a path the API does not have, answered as such
		}
		t.Errorf("OpenAPI: %s %s answered %d but the document has no such operation: %v", req.Method, req.URL.Path, res.StatusCode, err)
		return
	}
	for _, name := range undeclaredQuery(route, req.URL.Query()) {
		if res.StatusCode == http.StatusUnprocessableEntity && refusedField(body, name) {
			continue // refused by name, as a hostile-input test expects
		}
		t.Errorf("OpenAPI: %s %s sends the query parameter %q, which the operation %s does not declare", req.Method, redact(req.URL), name, route.Operation.OperationID)
	}
	in := &openapi3filter.RequestValidationInput{Request: r2, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	if res.StatusCode >= 200 && res.StatusCode < 300 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("OpenAPI: %s %s was accepted (%d) but the document does not allow the request: %v", req.Method, redact(req.URL), res.StatusCode, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
		Body: io.NopCloser(bytes.NewReader(body)), Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("OpenAPI: %s %s answered %d, which the document does not describe: %v\nbody: %.500s", req.Method, redact(req.URL), res.StatusCode, err, body)
	}
}

// undeclaredQuery lists the query parameters of q that neither the
// operation nor its path declares, sorted. kin-openapi lets undeclared
// parameters through, so without this a parameter the code reads could be
// missing from the document and no test would notice.
func undeclaredQuery(route *routers.Route, q url.Values) []string {
	declared := map[string]bool{}
	for _, ps := range []openapi3.Parameters{route.PathItem.Parameters, route.Operation.Parameters} {
		for _, p := range ps {
			if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
				declared[p.Value.Name] = true
			}
		}
	}
	var out []string
	for name := range q {
		if !declared[name] {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// refusedField reports whether body is an error whose fields name name.
func refusedField(body []byte, name string) bool {
	var e struct {
		Fields map[string]string `json:"fields"`
	}
	if json.Unmarshal(body, &e) != nil {
		return false
	}
	_, ok := e.Fields[name]
	if !ok {
		_, ok = e.Fields[strconv.QuoteToASCII(name)]
	}
	return ok
}

func redact(u *url.URL) string { return u.Path + "?" + u.RawQuery }

// TestOpenAPICoversEveryRoute: every /api/v1 route in routes.go is in the
// document and every documented path is a route, so neither can drift.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	doc, js, err := loadOpenAPI()
	if err != nil || len(js) == 0 {
		t.Fatalf("OpenAPI document: %v", err)
	}
	app := mustNew(t, Deps{Config: testConfig(), Logger: quietLogger()})
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" /api/v1"+fiberPath(path)] = true
		}
	}
	seen := map[string]bool{}
	for _, r := range app.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Method == http.MethodHead {
			continue
		}
		key := r.Method + " " + strings.TrimSuffix(r.Path, "/")
		seen[key] = true
		if !documented[key] {
			t.Errorf("route %s is not in app/openapi/openapi.yaml", key)
		}
	}
	for key := range documented {
		if !seen[key] {
			t.Errorf("app/openapi/openapi.yaml documents %s, which is not a route", key)
		}
	}
}

// fiberPath writes an OpenAPI path template as a Fiber route pattern.
func fiberPath(p string) string {
	return strings.NewReplacer("{id}", ":id", "{version}", ":version").Replace(p)
}

// Workbook answers are checked for their status and content type only:
// kin-openapi has no decoder for them, so they are read as opaque files.
func init() {
	openapi3filter.RegisterBodyDecoder("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", openapi3filter.FileBodyDecoder)
}

// TestUndeclaredQueryParameters: the contract check names a query
// parameter the operation does not declare, so a parameter the code
// reads cannot be missing from the document.
func TestUndeclaredQueryParameters(t *testing.T) {
	cases := []struct {
		target string
		want   []string
	}{
		{"/api/v1/events?kind=strike_round&status=draft&as_of=2&page=1", nil},
		{"/api/v1/events?bogus=1&kind=milestone&zzz=2", []string{"bogus", "zzz"}},
		{"/api/v1/disputes?kind=dispute", []string{"kind"}},
		{"/api/v1/events/3/impact?hcp=GP&slice=all&detail=days&role=GP", nil},
		{"/api/v1/impact/rounds.csv?bom=0&sort=effect&order=desc", nil},
		{"/api/v1/impact/rounds?bom=0", []string{"bom"}},
	}
	for _, c := range cases {
		req, err := http.NewRequest(http.MethodGet, "http://strikeline.test"+c.target, nil)
		if err != nil {
			t.Fatal(err)
		}
		route, _, err := contract(t).FindRoute(req)
		if err != nil {
			t.Fatalf("%s: %v", c.target, err)
		}
		if got := undeclaredQuery(route, req.URL.Query()); !slices.Equal(got, c.want) {
			t.Errorf("%s: undeclared %q, want %q", c.target, got, c.want)
		}
	}
}
