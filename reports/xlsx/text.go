package xlsx

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxCellText is Excel's limit on characters in a cell; excelize cuts
// longer text silently, so we cut it ourselves and say so.
const maxCellText = 32767

// Neutralise returns s made safe to show as literal cell text: text that a
// spreadsheet could read as a formula (a leading =, +, -, @, tab, CR or
// LF) gets a leading apostrophe, and over-long text is cut with an
// ellipsis. Every piece of user-supplied text goes through it.
func Neutralise(s string) string {
	if s != "" {
		switch s[0] {
		case '=', '+', '-', '@', '\t', '\r', '\n':
			s = "'" + s
		}
	}
	if utf8.RuneCountInString(s) > maxCellText {
		r := []rune(s)
		s = string(r[:maxCellText-1]) + "…"
	}
	return s
}

// httpURL returns u if it is an absolute http or https URL with a host,
// and ok = false otherwise. Only such URLs become hyperlink targets:
// javascript:, file: and relative links are shown as text only.
func httpURL(u string) (string, bool) {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || p.Host == "" || (p.Scheme != "http" && p.Scheme != "https") {
		return "", false
	}
	return p.String(), true
}

// sheetNamer hands out unique, safe sheet names.
type sheetNamer struct{ used map[string]bool }

// name returns a sheet name built from prefix and title: only letters,
// digits, spaces and hyphens are kept, so the name can be quoted into a
// formula reference without escaping and never holds []:*?/\ or an
// apostrophe; it is at most 31 characters and unique (case-insensitively,
// as Excel compares).
func (n *sheetNamer) name(prefix, title string) string {
	if n.used == nil {
		n.used = map[string]bool{}
	}
	var b strings.Builder
	space := false
	for _, r := range title {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
		default:
			space = true
		}
	}
	base := prefix
	if b.Len() > 0 {
		base += " " + b.String()
	}
	base = truncRunes(strings.TrimSpace(base), 31)
	name := base
	for i := 2; n.used[strings.ToLower(name)]; i++ {
		suffix := " " + strconv.Itoa(i) // digits only: stays in the safe alphabet
		name = truncRunes(base, 31-len(suffix)) + suffix
	}
	n.used[strings.ToLower(name)] = true
	return name
}

// truncRunes cuts s to at most n runes, at a word boundary when one falls
// in the second half, so names do not end mid-word.
func truncRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if r[n] != ' ' {
		if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
			cut = cut[:i]
		}
	}
	return strings.TrimSpace(cut)
}

// ref returns an absolute reference to cell on sheet, e.g. 'E1 Strike'!$B$5.
// Sheet names come from sheetNamer, so quoting needs no escaping.
func ref(sheet string, col string, row int) string {
	return fmt.Sprintf("'%s'!$%s$%d", sheet, col, row)
}

// rangeRef returns an absolute reference to a one-column range on sheet.
func rangeRef(sheet, col string, from, to int) string {
	return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sheet, col, from, col, to)
}
