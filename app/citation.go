package app

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/strikeline/strikeline/models"
)

// citation is how to cite a page at one register version: a plain-text
// reference (APA style), CSL-JSON for reference managers, and BibTeX. The
// address is the as-of permalink, which never changes.
type citation struct {
	Text, CSL, BibTeX, URL string
}

func newCitation(id, title, url string, version int, published time.Time) citation {
	if published.IsZero() {
		published = time.Now()
	}
	d := published.In(models.London)
	vs := strconv.Itoa(version)
	c := citation{URL: url}
	c.Text = "Strikeline. (" + d.Format("2006, January 2") + "). " + title + " (Register version " + vs + ") [Data set]. " + url
	csl := []map[string]any{{
		"id": id + "-v" + vs, "type": "dataset", "title": title, "author": []map[string]string{{"literal": "Strikeline"}},
		"publisher": "Strikeline", "version": vs, "URL": url,
		"issued": map[string]any{"date-parts": [][]int{{d.Year(), int(d.Month()), d.Day()}}},
	}}
	b, _ := json.MarshalIndent(csl, "", "  ")
	c.CSL = string(b)
	key := strings.ReplaceAll(id, "-", "_") + "_v" + vs
	c.BibTeX = "@misc{" + key + ",\n  author = {{Strikeline}},\n  title = {" + bibEscape(title) + "},\n  year = {" +
		strconv.Itoa(d.Year()) + "},\n  month = {" + strings.ToLower(d.Format("Jan")) + "},\n  note = {Register version " + vs +
		"},\n  howpublished = {\\url{" + url + "}}\n}"
	return c
}

// bibEscape escapes the characters BibTeX and LaTeX treat as commands.
var bibEscape = strings.NewReplacer(`\`, `\textbackslash{}`, `{`, `\{`, `}`, `\}`, `%`, `\%`, `&`, `\&`, `$`, `\$`,
	`#`, `\#`, `_`, `\_`, `^`, `\^{}`, `~`, `\~{}`).Replace
