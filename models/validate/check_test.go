package validate

import (
	"strings"
	"testing"
	"time"
)

func TestCleanText(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		max       int
		required  bool
		multiline bool
		want      string
		code      string
	}{
		{"trimmed", "  Walkout  ", 10, true, false, "Walkout", ""},
		{"blank required", "   ", 10, true, false, "", CodeRequired},
		{"blank optional", "", 10, false, false, "", ""},
		{"at the limit in characters", strings.Repeat("é", 10), 10, false, false, strings.Repeat("é", 10), ""},
		{"over the limit", strings.Repeat("é", 11), 10, false, false, strings.Repeat("é", 11), CodeTooLong},
		{"bad UTF-8", "a\xffb", 10, false, false, "", CodeBadUTF8},
		{"line break in one line", "a\nb", 10, false, false, "a\nb", CodeControlChar},
		{"tab in one line", "a\tb", 10, false, false, "a\tb", CodeControlChar},
		{"line separator in one line", "a\u2028b", 10, false, false, "a\u2028b", CodeControlChar},
		{"CRLF in long text is LF", "a\r\nb\tc", 10, false, true, "a\nb\tc", ""},
		{"lone CR in long text", "a\rb", 10, false, true, "a\rb", CodeControlChar},
		{"NUL in long text", "a\x00b", 10, false, true, "a\x00b", CodeControlChar},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fe := CleanText("f", tt.in, tt.max, tt.required, tt.multiline)
			if code(fe) != tt.code {
				t.Fatalf("code %q (%v), want %q", code(fe), fe, tt.code)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if fe != nil && (fe.Field != "f" || fe.Message == "") {
				t.Errorf("error %+v does not name the field with a message", fe)
			}
		})
	}
}

func TestURL(t *testing.T) {
	for _, tt := range []struct {
		in, code string
	}{
		{"https://www.bma.org.uk/news", ""},
		{" http://example.org/x ", ""},
		{"", CodeRequired},
		{"ftp://example.org/", CodeBadURL},
		{"https://", CodeBadURL},
		{"https://example.org/a b", CodeBadURL},
		{"https://example.org/\u0085x", CodeBadURL},
		{"https://example.org/" + strings.Repeat("a", 30), CodeTooLong},
	} {
		if got := code(URL("u", tt.in, 40)); got != tt.code {
			t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.code)
		}
	}
}

func TestChoiceAndRange(t *testing.T) {
	allowed := []string{"open", "resolved"}
	for _, tt := range []struct {
		in       string
		required bool
		code     string
	}{
		{"open", true, ""}, {"", false, ""}, {"", true, CodeRequired}, {"Open", false, CodeBadChoice},
	} {
		fe := Choice("status", tt.in, allowed, tt.required)
		if code(fe) != tt.code {
			t.Errorf("Choice(%q, %v) = %v, want %q", tt.in, tt.required, fe, tt.code)
		}
		if fe != nil && !strings.Contains(fe.Message, "open, resolved") {
			t.Errorf("Choice message %q does not list the choices", fe.Message)
		}
	}
	f := func(v float64) *float64 { return &v }
	for _, tt := range []struct {
		in   *float64
		code string
	}{{nil, ""}, {f(0), ""}, {f(100), ""}, {f(-0.1), CodeOutOfRange}, {f(100.1), CodeOutOfRange}} {
		if got := code(Range("p", tt.in, 0, 100)); got != tt.code {
			t.Errorf("Range(%v) = %q, want %q", tt.in, got, tt.code)
		}
	}
}

func TestDateAndWhen(t *testing.T) {
	for _, tt := range []struct {
		in      string
		bounded bool
		code    string
	}{
		{"2025-07-25", true, ""}, {"1800-01-01", false, ""}, {"1800-01-01", true, CodeBadDate},
		{"25/07/2025", false, CodeBadDate}, {"2025-02-30", false, CodeBadDate},
	} {
		if _, fe := Date("d", tt.in, "2025-07-25", tt.bounded); code(fe) != tt.code {
			t.Errorf("Date(%q, %v) = %v, want %q", tt.in, tt.bounded, fe, tt.code)
		}
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		in     string
		want   time.Time
		allDay bool
		code   string
	}{
		{"2025-07-25", time.Date(2025, 7, 25, 0, 0, 0, 0, time.UTC), true, ""},
		{"2025-07-25T07:00:00+01:00", time.Date(2025, 7, 25, 6, 0, 0, 0, time.UTC), false, ""},
		// Without an offset it is London time: BST in July, GMT in January.
		{"2025-07-25T07:00", time.Date(2025, 7, 25, 6, 0, 0, 0, time.UTC), false, ""},
		{"2025-01-08T07:00:00", time.Date(2025, 1, 8, 7, 0, 0, 0, time.UTC), false, ""},
		{"2525-07-25", time.Time{}, true, CodeOutOfRange},
		{"July 25", time.Time{}, false, CodeBadDate},
	} {
		got, allDay, fe := When("start", tt.in, london)
		if code(fe) != tt.code {
			t.Errorf("When(%q) = %v, want %q", tt.in, fe, tt.code)
			continue
		}
		if fe == nil && (!got.Equal(tt.want) || allDay != tt.allDay || got.Location() != time.UTC) {
			t.Errorf("When(%q) = %v all day %v, want %v all day %v", tt.in, got, allDay, tt.want, tt.allDay)
		}
	}
}

func code(fe *FieldError) string {
	if fe == nil {
		return ""
	}
	return fe.Code
}
