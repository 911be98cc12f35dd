package app

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

// TestAnalystPages uploads a real-format file through the import page as a
// signed-in analyst, follows it to its status page, and opens the report
// builder; on both backends.
func TestAnalystPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		fx := newFixture(t, s)
		plain, sess, err := s.CreateSession(context.Background(), fx.users[models.RoleAnalyst].ID, "test", "192.0.2.9")
		if err != nil {
			t.Fatal(err)
		}
		get := func(path string) (int, string) {
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("Cookie", sessionCookie+"="+plain)
			resp, err := fx.app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		upload := func(name string, data []byte, csrf string) (int, string, string) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField(csrfField, csrf)
			fw, _ := mw.CreateFormFile("file", name)
			fw.Write(data)
			mw.Close()
			req := httptest.NewRequest("POST", "/imports", &buf)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Cookie", sessionCookie+"="+plain)
			resp, err := fx.app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, resp.Header.Get("Location"), string(b)
		}
		if st, body := get("/imports"); st != 200 || !strings.Contains(body, `enctype="multipart/form-data"`) {
			t.Fatalf("imports page: %d", st)
		}
		data, err := os.ReadFile("../importers/testdata/natcat_06H_dec2024.csv")
		if err != nil {
			t.Fatal(err)
		}
		if st, _, _ := upload("cats.csv", data, "forged"); st != 403 {
			t.Errorf("upload without the session's CSRF token: %d, want 403", st)
		}
		if st, _, body := upload("notes.txt", []byte("hello"), sess.CSRFToken); st != 422 || !strings.Contains(body, "must be a .csv or .zip file") {
			t.Errorf("bad file type: %d", st)
		}
		st, loc, _ := upload("cats.csv", data, sess.CSRFToken)
		if st != 303 || !strings.HasPrefix(loc, "/imports/") {
			t.Fatalf("upload: %d %q", st, loc)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			_, body := get(loc)
			if strings.Contains(body, "<strong>succeeded</strong>") {
				if !strings.Contains(body, "SHA-256") {
					t.Errorf("status page lacks the checksum")
				}
				break
			}
			if strings.Contains(body, "<strong>failed</strong>") || time.Now().After(deadline) {
				t.Fatalf("import did not succeed: %.2000s", body)
			}
			time.Sleep(100 * time.Millisecond)
		}
		if st, body := get("/reports"); st != 200 || !strings.Contains(body, `action="/reports/impact.xlsx"`) {
			t.Errorf("report builder: %d", st)
		}
	})
}
