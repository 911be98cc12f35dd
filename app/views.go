package app

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/strikeline/strikeline/models"
)

// Templates and static assets are compiled into the binary so a deploy is
// one file and no page depends on a CDN.
var (
	//go:embed views/*.html
	viewFS embed.FS
	//go:embed static
	staticFS embed.FS
)

// views is the fiber.Views of the pages: one template set per page (the
// layout, the shared partials and that page), parsed once at start-up.
// Separate sets let every page define its own "content" block without the
// collisions of a single shared set.
type views struct {
	sets map[string]*template.Template
	// digest identifies the templates of this build, so renderings
	// stored by another build are not reused (storedImpact).
	digest string
}

// newViews parses every page; an error here stops start-up, so a broken
// template is found before the first request.
func newViews() (*views, error) {
	v := &views{sets: map[string]*template.Template{}}
	return v, v.Load()
}

// Load parses every page template (fiber.Views).
func (v *views) Load() error {
	pages, err := fs.Glob(viewFS, "views/*.html")
	if err != nil {
		return fmt.Errorf("views: listing templates: %w", err)
	}
	h := sha256.New()
	for _, p := range pages {
		b, err := viewFS.ReadFile(p)
		if err != nil {
			return fmt.Errorf("views: reading %s: %w", p, err)
		}
		h.Write(b)
	}
	v.digest = hex.EncodeToString(h.Sum(nil)[:6])
	for _, p := range pages {
		base := path.Base(p)
		if base == "layout.html" || strings.HasPrefix(base, "_") {
			continue
		}
		name := strings.TrimSuffix(base, ".html")
		t, err := template.New(name).Funcs(viewFuncs).ParseFS(viewFS, "views/layout.html", "views/_*.html", p)
		if err != nil {
			return fmt.Errorf("views: parsing %s: %w", name, err)
		}
		v.sets[name] = t
	}
	return nil
}

// Render executes the named page inside the layout (fiber.Views). It
// renders into a buffer first so a template error never sends half a page.
func (v *views) Render(w io.Writer, name string, data any, _ ...string) error {
	t, ok := v.sets[name]
	if !ok {
		return fmt.Errorf("views: no page %q", name)
	}
	buf := renderBufs.Get().(*bytes.Buffer)
	defer func() {
		buf.Reset()
		renderBufs.Put(buf)
	}()
	if err := t.ExecuteTemplate(buf, "layout", data); err != nil {
		return fmt.Errorf("views: rendering %s: %w", name, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// renderBufs are page buffers kept between renders: a page is tens of
// kilobytes, and growing a fresh buffer to that size each time is most of
// what printing a memoised page costs.
var renderBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// fragment renders one named template of a page's set on its own, for a
// part of a page worked out once and printed by many (see register_memo.go).
// The fragment is escaped for where the page prints it: HTML text.
func (v *views) fragment(page, name string, data any) (template.HTML, error) {
	t, ok := v.sets[page]
	if !ok {
		return "", fmt.Errorf("views: no page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("views: rendering %s of %s: %w", name, page, err)
	}
	// html/template escaped every value as it wrote it.
	return template.HTML(buf.String()), nil
}

// viewFuncs are the helpers templates may call.
var viewFuncs = template.FuncMap{
	"kindLabel":  func(k models.Kind) string { return k.Label() },
	"staffLabel": models.StaffGroupLabel,
	"label":      codeLabel,
	"londonTime": func(t time.Time) string { return t.In(models.London).Format("2 Jan 2006, 15:04") },
	"isoTime":    func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"londonDate": londonDate,
	// inSentence lower-cases a label's first letter for the middle of a
	// sentence ("Attended appointments" → "attended appointments"), but
	// keeps an initialism ("DNA rate").
	"inSentence": func(s string) string {
		if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z') {
			return string(s[0]+'a'-'A') + s[1:]
		}
		return s
	},
	// dict builds the argument map of a partial template.
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	"add": func(a, b int) int { return a + b },
}

// withParam returns the query string q with key set to value (or removed
// when value is empty), for pagination and download links.
func withParam(q url.Values, key, value string) string {
	c := url.Values{}
	for k, v := range q {
		c[k] = v
	}
	if value == "" {
		c.Del(key)
	} else {
		c.Set(key, value)
	}
	if len(c) == 0 {
		return ""
	}
	return "?" + c.Encode()
}

// codeLabel turns a vocabulary code (full_walkout, ENGLAND) into words
// (Full walkout, England) from the one label table in models.
func codeLabel(code string) string { return models.CodeWords(code) }
