package importers

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// describe reads every record with read and describes each (line and
// fields) or each parse error, so two readers can be compared as text.
func describe(read func() ([]string, error), line func() int) []string {
	var out []string
	for {
		rec, err := read()
		if err == io.EOF {
			return out
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			out = append(out, fmt.Sprintf("error line %d (from %d): %v", pe.Line, pe.StartLine, pe.Err))
			continue
		} else if err != nil {
			return append(out, "error "+err.Error())
		}
		out = append(out, fmt.Sprintf("line %d: %q", line(), rec))
	}
}

// plainRecords reads data with encoding/csv alone, as records should.
func plainRecords(data string) []string {
	cr := csv.NewReader(strings.NewReader(data))
	cr.FieldsPerRecord = -1
	return describe(cr.Read, func() int { l, _ := cr.FieldPos(0); return l })
}

func fastRecords(data string, chunk int) []string {
	r := newRecords(&chunked{s: data, n: chunk})
	return describe(r.Read, func() int { return int(r.Line()) })
}

// chunked hands out at most n bytes per Read, so lines cross buffer ends.
type chunked struct {
	s string
	n int
}

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.s) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), c.n, len(c.s))
	copy(p, c.s[:n])
	c.s = c.s[n:]
	return n, nil
}

var recordSeeds = []string{
	"A,B,C\n1,2,3\n",
	"A,B\r\n1,2\r\n\r\n\n3,4",
	"A,B\n\"x,y\",2\n3,\"multi\nline\"\n5,6\n",
	"A\n\"unterminated\n1\n",
	"A,B\nbare\"quote,1\n2,3\n",
	"a,,b\n,\n \n\r\r\n\"\"\n",
	"\ufeffSUB_ICB_LOCATION_CODE,X\n00L,1\n",
	"x\n\"a\"\"b\",\"c\r\nd\"\ne,f\n",
}

func TestRecordsMatchEncodingCSV(t *testing.T) {
	for _, data := range recordSeeds {
		for _, chunk := range []int{1, 3, 7, 1 << 20} {
			want, got := plainRecords(data), fastRecords(data, chunk)
			if strings.Join(want, "\n") != strings.Join(got, "\n") {
				t.Errorf("%q (reads of %d bytes):\nencoding/csv %q\nrecords      %q", data, chunk, want, got)
			}
		}
	}
}

func FuzzRecords(f *testing.F) {
	for _, s := range recordSeeds {
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, data string, chunk int) {
		if chunk < 1 {
			chunk = 1
		}
		want, got := plainRecords(data), fastRecords(data, chunk)
		if strings.Join(want, "\n") != strings.Join(got, "\n") {
			t.Fatalf("%q (reads of %d bytes):\nencoding/csv %q\nrecords      %q", data, chunk, want, got)
		}
	})
}
