package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/app"
	"github.com/strikeline/strikeline/importers/gpadgen"
	"github.com/strikeline/strikeline/models"
	"github.com/strikeline/strikeline/models/testdb"
)

func newApp(t *testing.T, s *models.Store) (*fiber.App, string) {
	t.Helper()
	cfg, err := app.ConfigFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.CreateUser(context.Background(), "analyst@example.org", models.RoleAnalyst, "")
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := s.CreateToken(context.Background(), u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	f, err := app.New(app.Deps{Store: s, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	return f, tok
}

func upload(t *testing.T, f *fiber.App, token, name string, body []byte, fields map[string]string) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(body)
	mw.Close()
	req := httptest.NewRequest("POST", "/api/v1/imports", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp := app.TestRequest(t, f, req)
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func get(t *testing.T, f *fiber.App, token, url string, hdr ...string) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp := app.TestRequest(t, f, req)
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestImportAPI(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		f, tok := newApp(t, s)
		var csvBuf bytes.Buffer
		st, _ := gpadgen.Write(&csvBuf, gpadgen.Options{Months: []time.Time{time.Date(2023, 11, 1, 0, 0, 0, 0, time.UTC)}, SubICBs: 2, Combos: 12, Seed: 4})
		var zbuf bytes.Buffer
		zw := zip.NewWriter(&zbuf)
		w, _ := zw.Create("Sub_ICB_Nov23.csv")
		w.Write(csvBuf.Bytes())
		zw.Close()

		if code, _ := upload(t, f, "", "x.zip", zbuf.Bytes(), nil); code != 401 {
			t.Fatalf("anonymous upload: %d", code)
		}
		if code, body := upload(t, f, tok, "x.zip", zbuf.Bytes(), map[string]string{"policy": "maybe"}); code != 422 {
			t.Fatalf("bad policy: %d %v", code, body)
		}
		// An archive that is not one, or holds no CSV file, is the sender's
		// mistake: a 422 saying so, not a 500.
		var empty bytes.Buffer
		ew := zip.NewWriter(&empty)
		ew.Create("readme.txt")
		ew.Close()
		for name, data := range map[string][]byte{"not-a-zip.zip": []byte("Sub-ICB,Date\n"), "no-csv.zip": empty.Bytes()} {
			code, body := upload(t, f, tok, name, data, nil)
			if msg, _ := body["error"].(string); code != 422 || !strings.HasPrefix(msg, "the archive could not be read: ") {
				t.Fatalf("%s: %d %v", name, code, body)
			}
		}
		code, body := upload(t, f, tok, "pub.zip", zbuf.Bytes(), map[string]string{"kind": "gpad"})
		if code != 202 {
			t.Fatalf("upload: %d %v", code, body)
		}
		imps := body["imports"].([]any)
		url := imps[0].(map[string]any)["url"].(string)
		var run map[string]any
		deadline := time.Now().Add(20 * time.Second)
		for {
			code, b := get(t, f, tok, url)
			if code != 200 {
				t.Fatalf("GET %s: %d %s", url, code, b)
			}
			run = map[string]any{}
			json.Unmarshal(b, &run)
			if run["status"] != models.ImportRunning || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if run["status"] != models.ImportSucceeded || run["rows_inserted"].(float64) != float64(st.Rows) || run["progress"].(float64) != 1 || run["actor"] != "analyst@example.org" {
			t.Fatalf("run %v", run)
		}

		code, b := get(t, f, "", "/api/v1/activity?from=2023-11-01&to=2023-11-30&granularity=month&group_by=status")
		if code != 200 {
			t.Fatalf("activity: %d %s", code, b)
		}
		var series struct {
			Points []models.ActivityPoint `json:"points"`
		}
		json.Unmarshal(b, &series)
		var sum int64
		for _, p := range series.Points {
			sum += p.Count
		}
		if sum != st.Total || len(series.Points) != 3 {
			t.Fatalf("series %s, want total %d", b, st.Total)
		}
		code, b = get(t, f, "", "/api/v1/activity?from=2023-11-01&to=2023-11-30&granularity=week&lead=8%20%20to%2014%20Days", "Accept", "text/csv")
		if code != 200 || !strings.HasPrefix(string(b), "\ufeffperiod,count\r\n2023-10-30,") {
			t.Fatalf("csv: %d %s", code, b)
		}
		if code, b = get(t, f, "", "/api/v1/activity?from=2023-11-01&to=nope"); code != 422 {
			t.Fatalf("bad date: %d %s", code, b)
		}
		if code, b = get(t, f, "", "/api/v1/activity.csv?from=2023-11-01&to=2023-11-02&area=ZZZ"); code != 422 {
			t.Fatalf("bad area: %d %s", code, b)
		}
		// A bad upload is recorded as failed, with its reason.
		code, body = upload(t, f, tok, "bad.csv", []byte("FOO,BAR\n1,2\n"), nil)
		if code != 202 {
			t.Fatalf("bad upload: %d", code)
		}
		url = body["imports"].([]any)[0].(map[string]any)["url"].(string)
		for time.Now().Before(deadline) {
			_, b = get(t, f, tok, url)
			if !strings.Contains(string(b), `"status":"running"`) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if !strings.Contains(string(b), `"status":"failed"`) || !strings.Contains(string(b), "This file is not one Strikeline reads") || !strings.Contains(string(b), "Accepted files:") {
			t.Fatalf("bad upload run: %s", b)
		}
	})
}
