package analysis

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/strikeline/strikeline/reports/impact"
)

// TestNotMeasured maps each refusal of the engine to its code and a
// sentence with the real dates and none of the engine's words.
func TestNotMeasured(t *testing.T) {
	data := impact.Series{{Day: impact.Date(2025, 4, 1), Value: 1}, {Day: impact.Date(2025, 9, 30), Value: 1}}
	at := func(y, m, d int) Spec {
		return Spec{Window: impact.Range(impact.Date(y, time.Month(m), d), impact.Date(y, time.Month(m), d))}
	}
	for _, tc := range []struct {
		err    error
		series impact.Series
		spec   Spec
		kind   string
		code   string
		words  string
	}{
		{fmt.Errorf("its: %w: intervention day 2025-10-01", impact.ErrNoDaysAfter), data, at(2025, 10, 1), "regulatory_change",
			NotMeasuredAfterData, "Not measured yet: the imported activity ends on 30 September 2025, before this change."},
		{fmt.Errorf("its: %w", impact.ErrNoDaysBefore), data, at(2025, 4, 1), "regulatory_change",
			NotMeasuredBeforeData, "Not measured: the imported activity starts on 1 April 2025, so there is nothing before this change to compare with."},
		{fmt.Errorf("its: %w: 5 observations for 8 terms", impact.ErrTooFewDays), data, at(2025, 6, 2), "regulatory_change",
			NotMeasuredTooFewDays, "Not measured yet: there are too few days of imported activity around this change to measure it (activity from 1 April 2025 to 30 September 2025)."},
		{fmt.Errorf("its: %w", impact.ErrRankDeficient), data, at(2025, 6, 2), "regulatory_change", NotMeasuredTooFewDays, "too few days"},
		{fmt.Errorf("baseline: %w", impact.ErrNoEstimate), data, at(2025, 11, 12), "strike_round",
			NotMeasuredAfterData, "Not measured yet: the imported activity ends on 30 September 2025, before this strike round."},
		{fmt.Errorf("baseline: %w", impact.ErrNoEstimate), data, at(2025, 4, 1), "strike_round", NotMeasuredBeforeData, "nothing before this strike round"},
		{fmt.Errorf("baseline: %w", impact.ErrNoEstimate), data, at(2025, 4, 9), "strike_round", NotMeasuredTooFewDays, "too few days"},
		{ErrNoData, nil, at(2025, 6, 2), "strike_round", NotMeasuredNoData, "no GP appointment data has been imported"},
		{fmt.Errorf("%w: hcp GP", ErrSliceEmpty), data, at(2025, 6, 2), "strike_round", NotMeasuredSlice, "the chosen slice leaves nothing"},
		{fmt.Errorf("something else"), data, at(2025, 6, 2), "milestone", NotMeasuredOther, "could not be computed"},
	} {
		n := notMeasured(tc.err, MetricResult{Series: tc.series}, tc.spec)
		s := n.Sentence(tc.kind)
		if n.Code != tc.code || !strings.Contains(s, tc.words) {
			t.Errorf("%v: %s %q, want %s %q", tc.err, n.Code, s, tc.code, tc.words)
		}
		for _, leak := range []string{"its:", "baseline:", "terms", "rank", "intervention"} {
			if strings.Contains(s, leak) {
				t.Errorf("%v: the sentence %q repeats the engine's %q", tc.err, s, leak)
			}
		}
	}
}
