package app

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/importers/gpadgen"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// bodyTestConfig has a small body cap and an upload cap well above it, as
// in production (1 MB and 512 MB by default).
func bodyTestConfig() Config {
	c := testConfig()
	c.MaxJSONKB, c.MaxUploadMB = 16, 200
	return c
}

// rawRequest sends head and then body over a fresh connection to addr and
// returns the status line of the answer, waiting at most 5 s for it. The
// body may be much shorter than the Content-Length in head: a server that
// waited for the whole body would not answer in time.
func rawRequest(t *testing.T, addr, head string, body []byte) string {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	conn.Write(body)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "no answer: " + err.Error()
	}
	return strings.TrimSpace(line)
}

func listen(t *testing.T, fx *fixture) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go fx.app.Listener(ln)
	t.Cleanup(func() { fx.app.Shutdown() })
	return ln.Addr().String()
}

// TestUnauthenticatedBodiesRefusedEarly: a large body to any route but the
// uploads, or to an upload route without credentials, is answered at once
// with 413 (or 401) from its headers alone; the server neither waits for
// nor buffers the 96 MB it announces.
func TestUnauthenticatedBodiesRefusedEarly(t *testing.T) {
	s := testdb.New(t, models.SQLite)
	fx := newFixture(t, s)
	fx.app = mustNew(t, Deps{Store: s, Config: bodyTestConfig(), Logger: quietLogger()})
	addr := listen(t, fx)
	const announced = 96 << 20
	// The server prefetches up to 8 KB of body; send a little more than that.
	some := bytes.Repeat([]byte("a"), 10<<10)
	for _, tc := range []struct{ name, head, want string }{
		{"login form", "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", "413"},
		{"login multipart", "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n", "413"},
		{"API write", "POST /api/v1/disputes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", "413"},
		{"unknown route", "PUT /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", "413"},
		{"API upload anonymous", "POST /api/v1/imports HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n", "401"},
		{"API upload bad token", "POST /API/v1/imports/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer slk_nope\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n", "401"},
		{"API upload planner", "POST /api/v1/imports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + fx.tokens[models.RolePlanner] + "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n", "403"},
		{"page upload anonymous", "POST /imports HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n", "401"},
		{"API upload over the upload cap", "POST /api/v1/imports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + fx.tokens[models.RoleAnalyst] + "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n", "413"},
	} {
		n := announced
		if strings.Contains(tc.name, "over the upload cap") {
			n = 201 << 20
		}
		if got := rawRequest(t, addr, fmt.Sprintf(tc.head, n), some); !strings.Contains(got, " "+tc.want+" ") {
			t.Errorf("%s: %q, want %s at once", tc.name, got, tc.want)
		}
	}
	// A chunked body has no length to judge by: it is read only up to the
	// cap, then refused.
	var chunked bytes.Buffer
	chunked.WriteString("POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n")
	for i := 0; i < 16; i++ {
		fmt.Fprintf(&chunked, "%x\r\n%s\r\n", len(some), some)
	}
	if got := rawRequest(t, addr, chunked.String(), nil); !strings.Contains(got, " 413 ") {
		t.Errorf("chunked 160 KB to /login: %q", got)
	}
}

// TestAuthenticatedLargeUpload: an analyst may upload a file far over the
// small body cap, and a broken multipart body under /api is a JSON 400.
func TestAuthenticatedLargeUpload(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		fx := newFixture(t, s)
		cfg := bodyTestConfig()
		fx.app = mustNew(t, Deps{Store: s, Config: cfg, Logger: quietLogger()})
		var csv bytes.Buffer
		if _, err := gpadgen.Write(&csv, gpadgen.Options{Months: []time.Time{time.Date(2023, 11, 1, 0, 0, 0, 0, time.UTC)}, SubICBs: 2, Combos: 12, Seed: 4}); err != nil {
			t.Fatal(err)
		}
		if csv.Len() <= cfg.MaxJSONKB<<10 {
			t.Fatalf("test file of %d bytes is not over the body cap", csv.Len())
		}
		body, ctype := multipartFile(t, map[string]string{"kind": "gpad"}, "Sub_ICB_Nov23.csv", csv.Bytes())
		if st, b := fx.postImport(t, body, ctype); st != http.StatusAccepted {
			t.Fatalf("upload of %d bytes: %d %s", csv.Len(), st, b)
		}

		st, b := fx.postImport(t, strings.NewReader("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n\r\nA,B\r\n--b"), "multipart/form-data; boundary=b")
		var e struct{ Error string }
		if st != http.StatusBadRequest || json.Unmarshal(b, &e) != nil || e.Error == "" {
			t.Errorf("broken multipart: %d %s, want a JSON 400", st, b)
		}
	})
}

// TestLongUploadFileName: a file name longer than the column (500
// characters) is shortened for storage, keeping its end, not a 500.
func TestLongUploadFileName(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		fx := newFixture(t, s)
		name := strings.Repeat("é", 700) + "_Sub_ICB_Nov23.csv"
		body, ctype := multipartFile(t, nil, name, []byte("FOO,BAR\n1,2\n"))
		st, b := fx.postImport(t, body, ctype)
		if st != http.StatusAccepted {
			t.Fatalf("upload with a %d-character name: %d %s", len([]rune(name)), st, b)
		}
		var out struct {
			Imports []struct {
				FileName string `json:"file_name"`
			}
		}
		json.Unmarshal(b, &out)
		if len(out.Imports) != 1 || len([]rune(out.Imports[0].FileName)) > 500 || !strings.HasSuffix(out.Imports[0].FileName, "_Sub_ICB_Nov23.csv") {
			t.Errorf("stored name %q", out.Imports)
		}
	})
}

// postImport posts an upload body to /api/v1/imports as the analyst.
func (fx *fixture) postImport(t *testing.T, body io.Reader, contentType string) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest("POST", "/api/v1/imports", body)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+fx.tokens[models.RoleAnalyst])
	res, err := fx.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}
