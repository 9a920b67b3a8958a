// SPDX-License-Identifier: AGPL-3.0-or-later

package datetime

import (
	"errors"
	"math"
	"testing"
)

func TestFromEpoch(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "1970-01-01T00:00:00+00:00"},
		{1580000000, "2020-01-26T00:53:20+00:00"},
		{1580000000.5, "2020-01-26T00:53:20.500000+00:00"},
		{1580000000.0000005, "2020-01-26T00:53:20+00:00"},
		{1580000000.0000015, "2020-01-26T00:53:20.000001+00:00"},
		{1580000000.123456789, "2020-01-26T00:53:20.123457+00:00"},
		{1e9, "2001-09-09T01:46:40+00:00"},
		{-1.5, "1969-12-31T23:59:58.500000+00:00"},
		{0.9999999, "1970-01-01T00:00:01+00:00"},
		{minUnix, "0001-01-01T00:00:00+00:00"},
		{maxUnix, "9999-12-31T23:59:59+00:00"},
	}
	for _, tt := range tests {
		got, err := FromEpoch(tt.in)
		if err != nil {
			t.Errorf("FromEpoch(%v): %v", tt.in, err)
			continue
		}
		if s := Format(got); s != tt.want {
			t.Errorf("FromEpoch(%v) = %s, want %s", tt.in, s, tt.want)
		}
	}
	for _, in := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), minUnix - 1, maxUnix + 1, 1e300} {
		if got, err := FromEpoch(in); !errors.Is(err, ErrInvalid) {
			t.Errorf("FromEpoch(%v) = %v, %v; want an ErrInvalid error", in, got, err)
		}
	}
}

func TestFromEpochMillis(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{1580000000, "2020-01-26T00:53:20+00:00"},
		{158000000012, "2020-01-26T00:53:20+00:00"},
		{158000000099, "2020-01-26T00:53:20+00:00"},
		{1580000000999, "2020-01-26T00:53:20+00:00"},
		{1000000000000, "2001-09-09T01:46:40+00:00"},
		{-100000000, "1966-10-31T14:13:20+00:00"}, // ten characters with the sign
	}
	for _, tt := range tests {
		got, err := FromEpochMillis(tt.in)
		if err != nil {
			t.Errorf("FromEpochMillis(%d): %v", tt.in, err)
			continue
		}
		if s := Format(got); s != tt.want {
			t.Errorf("FromEpochMillis(%d) = %s, want %s", tt.in, s, tt.want)
		}
	}
	for _, in := range []int64{0, 123, 15800000001, 15800000000000, 158000000} {
		if got, err := FromEpochMillis(in); !errors.Is(err, ErrInvalid) {
			t.Errorf("FromEpochMillis(%d) = %v, %v; want an ErrInvalid error", in, got, err)
		}
	}
}

func TestFromWindowsNT(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "1601-01-01T00:00:00+00:00"},
		{5, "1601-01-01T00:00:00+00:00"},
		{6, "1601-01-01T00:00:00.000001+00:00"},
		{15, "1601-01-01T00:00:00.000002+00:00"},
		{25, "1601-01-01T00:00:00.000002+00:00"},
		{132223104000000000, "2020-01-01T00:00:00+00:00"},
		{131905295000000000, "2018-12-29T03:58:20+00:00"},
		{132000000000000015, "2019-04-17T18:40:00.000002+00:00"},
		{-504911232000000000, "0001-01-01T00:00:00+00:00"},
	}
	for _, tt := range tests {
		got, err := FromWindowsNT(tt.in)
		if err != nil {
			t.Errorf("FromWindowsNT(%d): %v", tt.in, err)
			continue
		}
		if s := Format(got); s != tt.want {
			t.Errorf("FromWindowsNT(%d) = %s, want %s", tt.in, s, tt.want)
		}
	}
	for _, in := range []int64{-504911232000000006, math.MaxInt64, math.MinInt64} {
		if got, err := FromWindowsNT(in); !errors.Is(err, ErrInvalid) {
			t.Errorf("FromWindowsNT(%d) = %v, %v; want an ErrInvalid error", in, got, err)
		}
	}
}

func TestConvert(t *testing.T) {
	tests := []struct {
		format, value, want string
	}{
		{"timestamp", "1580000000", "2020-01-26T00:53:20+00:00"},
		{"timestamp", " 1580000000.25 ", "2020-01-26T00:53:20.250000+00:00"},
		{"timestamp", "1.58e9", "2020-01-26T00:53:20+00:00"},
		{"epoch_millis", "1580000000123", "2020-01-26T00:53:20+00:00"},
		{"epoch_millis", "158000000012", "2020-01-26T00:53:20+00:00"},
		{"epoch_millis", "1580000000", "2020-01-26T00:53:20+00:00"},
		{"epoch_millis", "0158000000012", "1975-01-03T16:53:20+00:00"}, // 13 characters: milliseconds
		{"windows_nt", "132223104000000000", "2020-01-01T00:00:00+00:00"},
		{"from_format|%d-%m-%Y", "04-03-2020", "2020-03-04T00:00:00+00:00"},
		{"from_format|%d/%b/%Y:%H:%M:%S %z", "04/Mar/2020:05:06:07 +0100", "2020-03-04T04:06:07+00:00"},
		{"from_format_midnight|%d-%m-%Y", "04-03-2020", "2020-03-04T00:00:00+00:00"},
		{"from_format_midnight|%Y-%m-%d %H:%M %z", "2020-03-04 23:30 -0500", "2020-03-04T00:00:00+00:00"},
		{"utc_isoformat", "2020-03-04T05:06:07+00:00", "2020-03-04T05:06:07+00:00"},
		{"utc_isoformat", "2020-03-04T05:06:07.1+00:00", "2020-03-04T05:06:07.1+00:00"},
		{"fuzzy", "2020-03-04 05:06:07 CET", "2020-03-04T04:06:07+00:00"},
		{"", "Wed, 04 Mar 2020 05:06:07 GMT", "2020-03-04T05:06:07+00:00"},
	}
	for _, tt := range tests {
		got, err := Convert(tt.format, tt.value)
		if err != nil {
			t.Errorf("Convert(%q, %q): %v", tt.format, tt.value, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Convert(%q, %q) = %s, want %s", tt.format, tt.value, got, tt.want)
		}
	}
}

func TestConvertErrors(t *testing.T) {
	tests := []struct {
		format, value string
		invalid       bool // the error wraps ErrInvalid
		layout        bool // the error wraps ErrLayout
	}{
		{"timestamp", "abc", true, false},
		{"timestamp", "inf", true, false},
		{"timestamp", "nan", true, false},
		{"timestamp", "0x10", true, false},
		{"timestamp", "", true, false},
		{"epoch_millis", "1580000000.5", true, false},
		{"epoch_millis", "15800000001", true, false},
		{"windows_nt", "1e9", true, false},
		{"from_format|%d-%m-%Y", "2020-03-04", true, false},
		{"from_format|%Q", "x", false, true},
		{"from_format_midnight|%d-%m-%Y", "31-02-2020", true, false},
		{"utc_isoformat", "2020-03-04T05:06:07Z", true, false},
		{"fuzzy", "5", true, false},
		{"iso8601", "2020-03-04", false, false},
		{"from_format", "2020-03-04", false, false},
	}
	for _, tt := range tests {
		got, err := Convert(tt.format, tt.value)
		if err == nil {
			t.Errorf("Convert(%q, %q) = %s, want an error", tt.format, tt.value, got)
			continue
		}
		if errors.Is(err, ErrInvalid) != tt.invalid || errors.Is(err, ErrLayout) != tt.layout {
			t.Errorf("Convert(%q, %q) error %q: ErrInvalid %v, ErrLayout %v; want %v, %v", tt.format, tt.value,
				err, errors.Is(err, ErrInvalid), errors.Is(err, ErrLayout), tt.invalid, tt.layout)
		}
	}
}

func TestValidFormat(t *testing.T) {
	for _, ok := range []string{"timestamp", "epoch_millis", "windows_nt", "utc_isoformat", "fuzzy", "",
		"from_format|%Y-%m-%d", "from_format_midnight|%d.%m.%Y"} {
		if err := ValidFormat(ok); err != nil {
			t.Errorf("ValidFormat(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"iso", "from_format", "from_format|%Y %Q", "from_format_midnight|%", "Timestamp"} {
		if err := ValidFormat(bad); err == nil {
			t.Errorf("ValidFormat(%q) = nil, want an error", bad)
		}
	}
}
