// SPDX-License-Identifier: AGPL-3.0-or-later

package datetime

import (
	"testing"
	"time"
)

// checkRoundTrip asserts the invariants of every time this package returns:
// UTC, microsecond precision, and a canonical form that parses back to the
// same instant.
func checkRoundTrip(t *testing.T, what string, got time.Time) {
	t.Helper()
	if got.Location() != time.UTC {
		t.Fatalf("%s: location %v, want UTC", what, got.Location())
	}
	if got.Nanosecond()%1000 != 0 {
		t.Fatalf("%s: %v has sub-microsecond precision", what, got)
	}
	out := Format(got)
	if !IsCanonical(out) {
		t.Fatalf("%s: Format = %q is not canonical", what, out)
	}
	back, err := Parse(out)
	if err != nil {
		t.Fatalf("%s: Parse(Format) = Parse(%q): %v", what, out, err)
	}
	if !back.Equal(got) {
		t.Fatalf("%s: Parse(%q) = %v, want %v", what, out, back, got)
	}
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"2020-03-04T05:06:07+00:00", "2020-03-04T05:06:07.123456+00:00", "2020-03-04 05:06:07",
		"2020-03-04T05:06:07.5-05:30", "20200304T050607Z", "Wed, 04 Mar 2020 05:06:07 GMT",
		"Mar 4, 2020 5:06 PM", "01/Aug/2018:09:49:41 +0200", "03/04/2020", "04.03.2020",
		"2020-03-04 05:06:07 +0100 (CET)", "0001-01-01", "9999-12-31T23:59:59Z", "5", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse(s)
		if IsCanonical(s) && err != nil {
			t.Fatalf("Parse(%q) of a canonical value: %v", s, err)
		}
		if err != nil {
			return
		}
		checkRoundTrip(t, "Parse("+s+")", got)
	})
}

func FuzzFromLayout(f *testing.F) {
	for _, seed := range [][2]string{
		{"%d-%m-%Y", "04-03-2020"},
		{"%Y%m%d%H%M%S", "20200304050607"},
		{"%d/%b/%Y:%H:%M:%S %z", "04/Mar/2020:05:06:07 +0100"},
		{"%Y-%m-%dT%H:%M:%S.%f%z", "2020-03-04T05:06:07.5-05:30"},
		{"%I:%M %p %j %y", "12:30 PM 366 20"},
		{"%c %Z", "Wed Mar 04 05:06:07 2020 CET"},
		{"%A %B %e %%", "Monday March  4 %"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, layout, s string) {
		if got, err := FromLayout(layout, s); err == nil {
			checkRoundTrip(t, "FromLayout("+layout+", "+s+")", got)
		}
		if got, err := FromLayoutMidnight(layout, s); err == nil {
			checkRoundTrip(t, "FromLayoutMidnight("+layout+", "+s+")", got)
			if h, m, sec := got.Clock(); h != 0 || m != 0 || sec != 0 || got.Nanosecond() != 0 {
				t.Fatalf("FromLayoutMidnight(%q, %q) = %v, not midnight", layout, s, got)
			}
		}
	})
}
