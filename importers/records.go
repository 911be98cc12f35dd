package importers

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// records reads CSV records with encoding/csv's rules, faster.
//
// NHS files are plain: no line of a national month (82 MB, 700,000 lines)
// holds a double quote. Such a line is split on its commas here, one
// allocation per line; encoding/csv spent twice as long on it, a fifth of
// an import. Every other line (a quote anywhere, a line that crosses the
// end of the read buffer, a last line without a newline) is read by
// encoding/csv itself, from the same buffer: csv.NewReader keeps a
// *bufio.Reader it is given, so the two never disagree about where the
// next record starts. FuzzRecords checks both give the same records, line
// numbers and errors.
type records struct {
	br     *bufio.Reader
	cr     *csv.Reader
	fields []string
	// fast counts the lines the fast path consumed, which encoding/csv's
	// own line numbers do not include; csvLines is the last line
	// encoding/csv has read, in its numbering.
	fast     int64
	csvLines int64
	line     int64 // first line of the last record
	// text says the last record is valid UTF-8 without NUL: checked on
	// the whole line at once, a twentieth of the cost of checking each
	// field.
	text bool
}

const recordsBuffer = 1 << 20

func newRecords(r io.Reader) *records {
	br := bufio.NewReaderSize(r, recordsBuffer)
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &records{br: br, cr: cr}
}

// Read returns the next record (valid until the next call), io.EOF, or a
// *csv.ParseError with line numbers counted over the whole input.
func (r *records) Read() ([]string, error) {
	for {
		buf, _ := r.br.Peek(r.br.Buffered())
		nl := bytes.IndexByte(buf, '\n')
		if nl < 0 || bytes.IndexByte(buf[:nl], '"') >= 0 {
			return r.slow()
		}
		line := buf[:nl]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		r.fast++
		if len(line) == 0 { // encoding/csv skips empty lines
			r.br.Discard(nl + 1)
			continue
		}
		r.text = utf8.Valid(line) && bytes.IndexByte(line, 0) < 0
		s := string(line)
		r.br.Discard(nl + 1)
		r.fields = r.fields[:0]
		for {
			i := indexComma(s)
			if i < 0 {
				r.fields = append(r.fields, s)
				break
			}
			r.fields = append(r.fields, s[:i])
			s = s[i+1:]
		}
		r.line = r.csvLines + r.fast
		return r.fields, nil
	}
}

func indexComma(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == ',' {
			return i
		}
	}
	return -1
}

func (r *records) slow() ([]string, error) {
	rec, err := r.cr.Read()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		r.csvLines = int64(pe.Line)
		pe.StartLine += int(r.fast)
		pe.Line += int(r.fast)
		return nil, pe
	}
	if err != nil {
		return nil, err
	}
	line, _ := r.cr.FieldPos(0)
	r.line = int64(line) + r.fast
	// The record ends as many lines further down as its quoted fields
	// hold line breaks.
	end := int64(line)
	for _, f := range rec {
		end += int64(strings.Count(f, "\n"))
	}
	r.csvLines = end
	r.text = true
	for _, f := range rec {
		if !isText(f) {
			r.text = false
		}
	}
	return rec, nil
}

// isText reports whether s is valid UTF-8 without NUL, as PostgreSQL
// stores text.
func isText(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }

// Text reports whether every field of the record last returned is text
// (isText).
func (r *records) Text() bool { return r.text }

// Line is the first line of the record last returned.
func (r *records) Line() int64 { return r.line }
