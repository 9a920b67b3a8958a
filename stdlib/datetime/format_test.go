// SPDX-License-Identifier: AGPL-3.0-or-later

package datetime

import (
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"whole seconds", time.Date(2020, 3, 4, 5, 6, 7, 0, time.UTC), "2020-03-04T05:06:07+00:00"},
		{"microseconds", time.Date(2020, 3, 4, 5, 6, 7, 123456000, time.UTC), "2020-03-04T05:06:07.123456+00:00"},
		{"leading zero fraction", time.Date(2020, 3, 4, 5, 6, 7, 1000, time.UTC), "2020-03-04T05:06:07.000001+00:00"},
		{"nanoseconds truncated", time.Date(2020, 3, 4, 5, 6, 7, 123456789, time.UTC), "2020-03-04T05:06:07.123456+00:00"},
		{"sub-microsecond only", time.Date(2020, 3, 4, 5, 6, 7, 999, time.UTC), "2020-03-04T05:06:07+00:00"},
		{"converted to UTC", time.Date(2020, 1, 1, 0, 30, 0, 0, cet), "2019-12-31T23:30:00+00:00"},
		{"year one", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), "0001-01-01T00:00:00+00:00"},
		{"year 9999", time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC), "9999-12-31T23:59:59.999999+00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Format(tt.in); got != tt.want {
				t.Errorf("Format(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsCanonical(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"2020-03-04T05:06:07+00:00", true},
		{"2020-03-04T05:06:07.1+00:00", true},
		{"2020-03-04T05:06:07.123456+00:00", true},
		{"2020-02-29T00:00:00+00:00", true},
		{"2000-02-29T23:59:59+00:00", true},
		{"0001-01-01T00:00:00+00:00", true},
		{"9999-12-31T23:59:59+00:00", true},
		{"2020-03-04T05:06:07.1234567+00:00", false},
		{"2020-03-04T05:06:07.+00:00", false},
		{"2020-03-04T05:06:07Z", false},
		{"2020-03-04 05:06:07+00:00", false},
		{"2020-03-04T05:06:07+01:00", false},
		{"2020-03-04T05:06:07-00:00", false},
		{"2020-03-04T05:06:07", false},
		{"2020-03-04", false},
		{"2021-02-29T00:00:00+00:00", false},
		{"1900-02-29T00:00:00+00:00", false},
		{"2020-04-31T00:00:00+00:00", false},
		{"2020-13-01T00:00:00+00:00", false},
		{"2020-00-01T00:00:00+00:00", false},
		{"2020-01-00T00:00:00+00:00", false},
		{"0000-01-01T00:00:00+00:00", false},
		{"2020-01-01T24:00:00+00:00", false},
		{"2020-01-01T23:60:00+00:00", false},
		{"2020-01-01T23:59:60+00:00", false},
		{"2020-3-04T05:06:07+00:00", false},
		{"2020-03-04T05:06:07,5+00:00", false},
		{"2020-03-04T05:06:07.12a+00:00", false},
		{"+020-03-04T05:06:07+00:00", false},
		{" 2020-03-04T05:06:07+00:00", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsCanonical(tt.in); got != tt.want {
			t.Errorf("IsCanonical(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestIsCanonicalDoesNotAllocate(t *testing.T) {
	in := "2020-03-04T05:06:07.123456+00:00"
	if n := testing.AllocsPerRun(100, func() { IsCanonical(in) }); n != 0 {
		t.Errorf("IsCanonical allocates %v times per call, want 0", n)
	}
}

func TestFormatIsCanonical(t *testing.T) {
	for _, in := range []time.Time{
		time.Date(2020, 3, 4, 5, 6, 7, 0, time.UTC),
		time.Date(2020, 3, 4, 5, 6, 7, 500, time.UTC),
		time.Date(2020, 3, 4, 5, 6, 7, 10000, time.UTC),
	} {
		if s := Format(in); !IsCanonical(s) {
			t.Errorf("Format(%v) = %q is not canonical", in, s)
		}
	}
}

func BenchmarkIsCanonical(b *testing.B) {
	for _, in := range []string{"2020-03-04T05:06:07+00:00", "2020-03-04T05:06:07.123456+00:00", "2020-03-04 05:06:07"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				IsCanonical(in)
			}
		})
	}
}

func BenchmarkFormat(b *testing.B) {
	tm := time.Date(2020, 3, 4, 5, 6, 7, 123456000, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		Format(tm)
	}
}
