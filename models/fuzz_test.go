package models

import (
	"encoding/json"
	"reflect"
	"testing"
)

// Seed corpora: run seed-only by plain "go test"; explore with
//
//	go test ./models -run '^$' -fuzz FuzzDecodeDoc -fuzztime 60s
var docSeeds = []string{
	`{"kind":"strike_round","title":"Walkout","start":"2025-07-25T07:00:00+01:00","end":"2025-07-30T07:00:00+01:00","staff_group":"resident_doctors","unions":["BMA"],"action_type":"full_walkout","sources":[{"url":"https://www.bbc.co.uk/news/x","title":"t","publisher":"BBC"}]}`,
	`{"kind":"dispute","title":"Pay dispute","start":"2023-02-20","staff_group":"resident_doctors","status":"open","unions":["BMA","HCSA"],"parties":["DHSC"],"sources":[]}`,
	`{"kind":"pay_settlement","title":"Award","start":"2025-05-22","staff_group":"nurses","pay_year":"2025/26","headline_pct":3.6,"outcome":"accepted","sources":[]}`,
	`{"kind":"milestone","title":"Ballot","start":"2025-07-08","milestone_type":"ballot_result","turnout_pct":55.4,"yes_pct":90.3,"sources":[]}`,
	`{"kind":"regulatory_change","title":"Rule","start":"2025-01-01","instrument":"legislation","sources":[]}`,
	`{"kind":"strike_round","title":"x","start":"2025-13-45"}`,
	`{"title":"\u0000\ud800","start":"9999-12-31T23:59:59Z","headline_pct":1e309}`,
	`{"kind":"milestone","title":"=1+2","start":"2025-01-01","turnout_pct":-0,"sources":[{"url":"javascript:alert(1)"}]}`,
	`[[[[[[[[[[]]]]]]]]]]`, `null`, `{}`, `{"a":1}`, `{"title":1}`, `{} {}`, "\xff",
}

// FuzzDecodeDoc checks that no input panics the decoder or the validator,
// and that whatever is accepted re-validates unchanged: the stored form of
// an accepted document is itself accepted and means the same thing, so
// history restores and re-saves never fail on data the API let in.
func FuzzDecodeDoc(f *testing.F) {
	for _, s := range docSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		d, err := DecodeDoc(body)
		if err != nil {
			return
		}
		checkRevalidates(t, d)
	})
}

// FuzzMergePatch applies arbitrary merge patches to a valid strike round.
func FuzzMergePatch(f *testing.F) {
	for _, s := range []string{`{"title":"New"}`, `{"end":null}`, `{"kind":"dispute"}`, `{"sources":null}`,
		`{"round_number":3,"scope":["ENGLAND"]}`, `{"start":"2025-07-31"}`, `{"headline_pct":"x"}`, `{"__proto__":{}}`, `{}`, `[]`, `null`} {
		f.Add([]byte(s))
	}
	base, err := DecodeDoc([]byte(docSeeds[0]))
	if err != nil {
		f.Fatal(err)
	}
	cur, err := base.ToEvent()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, patch []byte) {
		var m map[string]json.RawMessage
		if json.Unmarshal(patch, &m) != nil {
			return
		}
		merged, err := mergeDoc(cur.Doc(), m)
		if err != nil {
			t.Fatalf("mergeDoc failed on a valid patch %q: %v", patch, err)
		}
		d, err := DecodeDoc(merged)
		if err != nil {
			return
		}
		checkRevalidates(t, d)
	})
}

func checkRevalidates(t *testing.T, d EventDoc) {
	t.Helper()
	e, err := d.ToEvent()
	if err != nil {
		return
	}
	first := snapshot(e.Doc())
	b, err := json.Marshal(first)
	if err != nil {
		t.Fatalf("accepted doc does not marshal: %v", err)
	}
	d2, err := DecodeDoc(b)
	if err != nil {
		t.Fatalf("stored form of an accepted doc is rejected by the decoder: %v\n%s", err, b)
	}
	e2, err := d2.ToEvent()
	if err != nil {
		t.Fatalf("stored form of an accepted doc fails validation: %v\n%s", err, b)
	}
	if second := snapshot(e2.Doc()); !reflect.DeepEqual(first, second) {
		t.Fatalf("doc changes on re-validation:\n%+v\n%+v", first, second)
	}
}
