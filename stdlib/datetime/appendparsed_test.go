// SPDX-License-Identifier: AGPL-3.0-or-later

package datetime

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// checkAppendParsed asserts that AppendParsed writes Format(Parse(s)) and
// fails exactly when Parse does, with the same error.
func checkAppendParsed(t *testing.T, s string) {
	t.Helper()
	want, wantErr := Parse(s)
	got, err := AppendParsed([]byte("x"), s)
	switch {
	case (err == nil) != (wantErr == nil):
		t.Fatalf("AppendParsed(%q) error %v, Parse error %v", s, err, wantErr)
	case err != nil:
		if err.Error() != wantErr.Error() {
			t.Fatalf("AppendParsed(%q) error %q, Parse error %q", s, err, wantErr)
		}
	case string(got) != "x"+Format(want):
		t.Fatalf("AppendParsed(%q) = %q, want x%s", s, got, Format(want))
	}
}

func TestAppendParsedAgreesWithParse(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	parts := []string{"2020", "1999", "0001", "9999", "-", "/", "02", "13", "29", "30", "31", "00", "T", " ", ":",
		"23", "24", "59", "60", ".", ",", "5", "123456", "1234567891", "Z", "+00:00", "+01:00", "-05:30", " UTC",
		" CET", "+0000", "Mar", "Wed, ", "PM"}
	inputs := []string{"2021-01-17 07:44:46 UTC", "2021-01-17 07:44:46", "2020-02-29T23:59:59.000001Z",
		"2019-02-29 00:00:00", "2020-03-04T05:06:07.5+00:00", " 2020-03-04T05:06:07+00:00 ", "9999-12-31T23:59:59-01:00",
		"0001-01-01T00:00:00+01:00", ""}
	for i := 0; i < 30000; i++ {
		var b strings.Builder
		b.WriteString("2020-0")
		for n := rng.IntN(10); n > 0; n-- {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		inputs = append(inputs, b.String())
	}
	for _, s := range inputs {
		checkAppendParsed(t, s)
	}
}

func FuzzAppendParsed(f *testing.F) {
	for _, seed := range []string{"2021-01-17 07:44:46 UTC", "2020-03-04T05:06:07.5-05:30", "20200304T050607Z",
		"Mar 4, 2020 5:06 PM", "2020-03-04T05:06:07.1234567891Z", ""} {
		f.Add(seed)
	}
	f.Fuzz(checkAppendParsed)
}

func TestSimpleFieldsAgreesWithParseISO(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	suffixes := []string{"", " UTC", "Z", "+00:00", " utc", "  UTC", " UTC ", ".5", "z"}
	seps := []string{" ", "T", "t", "_"}
	two := func(hi int) string { return fmt.Sprintf("%02d", rng.IntN(hi)) }
	fast := 0
	for i := 0; i < 50000; i++ {
		s := fmt.Sprintf("%04d-%s-%s%s%s:%s:%s%s", rng.IntN(10000), two(14), two(33), seps[rng.IntN(len(seps))],
			two(26), two(62), two(62), suffixes[rng.IntN(len(suffixes))])
		// Any byte changed anywhere: what the fast check (isSimple, in
		// simpleFields and AppendParsed) accepts, parseISO and Parse read
		// the same way.
		bb := []byte(s)
		bb[rng.IntN(len(bb))] = byte(rng.UintN(256))
		if f, ok := simpleFields(string(bb)); ok {
			if want, wantOK := parseISO(string(bb)); !wantOK || f != want {
				t.Fatalf("simpleFields(%q) = %+v; parseISO gives %+v, %v", bb, f, want, wantOK)
			}
		}
		checkAppendParsed(t, string(bb))
		f, ok := simpleFields(s)
		if !ok {
			continue
		}
		fast++
		want, wantOK := parseISO(s)
		if !wantOK || f != want {
			t.Fatalf("simpleFields(%q) = %+v; parseISO gives %+v, %v", s, f, want, wantOK)
		}
		checkAppendParsed(t, s)
	}
	if fast < 1000 {
		t.Errorf("only %d inputs took the fast path", fast)
	}
}
