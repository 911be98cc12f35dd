package validate

import (
	"errors"
	"slices"
	"testing"
	"time"
)

type testSource struct {
	URL string `json:"url"`
	ID  int64  `json:"-"`
}

type testDoc struct {
	Title   string       `json:"title"`
	Round   *int         `json:"round_number,omitempty"`
	Unions  []string     `json:"unions,omitempty"`
	Sources []testSource `json:"sources"`
	Nested  *struct {
		Status []string `json:"status"`
	} `json:"impact_slice,omitempty"`
	At       *time.Time `json:"created_at,omitempty"`
	Untagged string
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		malformed bool
		errs      []FieldError // field and code; the message is not compared
	}{
		{name: "valid", body: `{"title":"x","sources":[{"url":"https://a.org"}],"created_at":"2025-01-01T00:00:00Z"}`},
		{name: "member names ignore case, as encoding/json does", body: `{"Title":"x","untagged":"y"}`},
		{name: "unknown member", body: `{"title":"x","colour":"red"}`, errs: []FieldError{{Field: "colour", Code: CodeUnknownField}}},
		{name: "every unknown member, sorted", body: `{"zz":1,"aa":2}`,
			errs: []FieldError{{Field: "aa", Code: CodeUnknownField}, {Field: "zz", Code: CodeUnknownField}}},
		{name: "unknown member of a list entry", body: `{"sources":[{"url":"u"},{"url":"u","colour":1}]}`,
			errs: []FieldError{{Field: "sources[1].colour", Code: CodeUnknownField}}},
		{name: "unknown member of a nested object", body: `{"impact_slice":{"status":[],"hue":"x"}}`,
			errs: []FieldError{{Field: "impact_slice.hue", Code: CodeUnknownField}}},
		{name: "a json:\"-\" field is not a member", body: `{"sources":[{"url":"u","ID":3}]}`,
			errs: []FieldError{{Field: "sources[0].ID", Code: CodeUnknownField}}},
		{name: "wrong type", body: `{"round_number":"twelve"}`, errs: []FieldError{{Field: "round_number", Code: CodeBadType}}},
		{name: "unknown member reported before a wrong type", body: `{"round_number":"twelve","hue":1}`,
			errs: []FieldError{{Field: "hue", Code: CodeUnknownField}}},
		{name: "not an object", body: `[1]`, errs: []FieldError{{Field: "body", Code: CodeBadType}}},
		{name: "syntax error", body: `{"title":`, malformed: true},
		{name: "trailing data", body: `{"title":"x"} {}`, malformed: true},
		{name: "empty", body: ``, malformed: true},
		{name: "not UTF-8", body: "{\"title\":\"\xff\"}", malformed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d testDoc
			err := Decode([]byte(tt.body), &d)
			if tt.malformed {
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("err %v, want ErrMalformed", err)
				}
				return
			}
			var got FieldErrors
			if err != nil && !errors.As(err, &got) {
				t.Fatalf("err %v is neither nil nor FieldErrors", err)
			}
			strip := func(l []FieldError) []FieldError {
				out := make([]FieldError, len(l))
				for i, e := range l {
					if e.Message == "" && e.Code != "" && tt.errs == nil {
						t.Errorf("%s has no message", e.Field)
					}
					out[i] = FieldError{Field: e.Field, Code: e.Code}
				}
				return out
			}
			if !slices.Equal(strip(got), tt.errs) {
				t.Errorf("errors %v, want %v", got, tt.errs)
			}
		})
	}
	var d testDoc
	if err := Decode([]byte(`{"round_number":"x"}`), &d); err == nil || err.(FieldErrors)[0].Message != "must be a number" {
		t.Errorf("type error message: %v", err)
	}
}
