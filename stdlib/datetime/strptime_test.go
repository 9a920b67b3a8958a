// SPDX-License-Identifier: AGPL-3.0-or-later

package datetime

import (
	"errors"
	"testing"
)

func TestFromLayout(t *testing.T) {
	tests := []struct {
		layout, value, want string
	}{
		{"%d-%m-%Y", "04-03-2020", "2020-03-04T00:00:00+00:00"},
		{"%d-%m-%Y", " 04-03-2020 ", "2020-03-04T00:00:00+00:00"},
		{"%Y%m%d%H%M", "202003040506", "2020-03-04T05:06:00+00:00"},
		{"%Y%m%d", "2020314", "2020-03-14T00:00:00+00:00"},
		{"%m%d", "123", "1900-12-03T00:00:00+00:00"},
		{"%d/%b/%Y:%H:%M:%S %z", "04/Mar/2020:05:06:07 +0100", "2020-03-04T04:06:07+00:00"},
		{"%d/%b/%Y:%H:%M:%S %z", "04/MAR/2020:05:06:07 -0000", "2020-03-04T05:06:07+00:00"},
		{"%Y-%m-%dT%H:%M:%S.%f%z", "2020-03-04T05:06:07.5-05:30", "2020-03-04T10:36:07.500000+00:00"},
		{"%Y-%m-%dT%H:%M:%S.%f%z", "2020-03-04T05:06:07.000123Z", "2020-03-04T05:06:07.000123+00:00"},
		{"%Y-%m-%dT%H:%M:%S%z", "2020-03-04T05:06:07+01:00:30", "2020-03-04T04:05:37+00:00"},
		{"%Y-%m-%d %H:%M:%S %Z", "2020-03-04 05:06:07 UTC", "2020-03-04T05:06:07+00:00"},
		{"%Y-%m-%d %H:%M:%S %Z", "2020-03-04 05:06:07 cest", "2020-03-04T03:06:07+00:00"},
		{"%Y-%m-%d %H:%M:%S %z %Z", "2020-03-04 05:06:07 +0100 PST", "2020-03-04T04:06:07+00:00"},
		{"%I:%M %p", "12:30 am", "1900-01-01T00:30:00+00:00"},
		{"%I:%M %p", "12:30 PM", "1900-01-01T12:30:00+00:00"},
		{"%I:%M%p", "1:30pm", "1900-01-01T13:30:00+00:00"},
		{"%I:%M", "12:30", "1900-01-01T00:30:00+00:00"},
		{"%H %p", "15 PM", "1900-01-01T15:00:00+00:00"},
		{"%j %Y", "366 2021", "2022-01-01T00:00:00+00:00"},
		{"%j %Y", "060 2020", "2020-02-29T00:00:00+00:00"},
		{"%Y %j", "2020 60", "2020-02-29T00:00:00+00:00"},
		{"%y", "68", "2068-01-01T00:00:00+00:00"},
		{"%y", "69", "1969-01-01T00:00:00+00:00"},
		{"%d %B", "4 march", "1900-03-04T00:00:00+00:00"},
		{"%B %e, %Y", "March  4, 2020", "2020-03-04T00:00:00+00:00"},
		{"%b %d %Y", "Mar  4 2020", "2020-03-04T00:00:00+00:00"},
		{"%Y %d", "2020  4", "2020-01-04T00:00:00+00:00"},
		{"%Y\t%d", "2020 \t 4", "2020-01-04T00:00:00+00:00"},
		{"%a, %d %b %Y %H:%M:%S", "Wed, 04 Mar 2020 05:06:07", "2020-03-04T05:06:07+00:00"},
		{"%A %d %B %Y", "Sunday 04 March 2020", "2020-03-04T00:00:00+00:00"},
		{"%c", "Wed Mar 04 05:06:07 2020", "2020-03-04T05:06:07+00:00"},
		{"%x %X", "03/04/20 05:06:07", "2020-03-04T05:06:07+00:00"},
		{"%Y-%m-%d %% %H", "2020-03-04 % 05", "2020-03-04T05:00:00+00:00"},
		{"%w %u %Y-%m-%d", "3 3 2020-03-04", "2020-03-04T00:00:00+00:00"},
		{"T%Hh", "t05H", "1900-01-01T05:00:00+00:00"},
		{"%S.%f", "07.1", "1900-01-01T00:00:07.100000+00:00"},
		{"%Y-%m-%d", "2020-3-4", "2020-03-04T00:00:00+00:00"},
		{"%Y年%m月%d日", "2020年03月04日", "2020-03-04T00:00:00+00:00"},
	}
	for _, tt := range tests {
		got, err := FromLayout(tt.layout, tt.value)
		if err != nil {
			t.Errorf("FromLayout(%q, %q): %v", tt.layout, tt.value, err)
			continue
		}
		if s := Format(got); s != tt.want {
			t.Errorf("FromLayout(%q, %q) = %s, want %s", tt.layout, tt.value, s, tt.want)
		}
	}
}

func TestFromLayoutRejects(t *testing.T) {
	tests := []struct {
		layout, value string
		layoutErr     bool
	}{
		{"%d-%m-%Y", "2020-03-04", false},
		{"%d-%m-%Y", "04-03-2020x", false},
		{"%d-%m-%Y", "31-02-2020", false},
		{"%Y", "0000", false},
		{"%Y", "20201", false},
		{"%H:%M:%S", "05:06:60", false},
		{"%H:%M:%S", "05:06:61", false},
		{"%H:%M", "24:00", false},
		{"%d %b", "29 Feb", false},
		{"%b", "March", false},
		{"%z", "+01", false},
		{"%z", "+01:0030", false},
		{"%z", "z", false},
		{"%Y %Z", "2020 XYZ", false},
		{"%Y-%m-%d %z", "0001-01-01 +0100", false},
		{"%S.%f", "07.1234567", false},
		{"%Y %Q", "2020 x", true},
		{"%Y%", "2020", true},
		{"%Y %Y", "2020 2020", true},
		{"%U %Y", "1 2020", true},
		{"%c %a", "Wed Mar 04 05:06:07 2020 Wed", true},
	}
	for _, tt := range tests {
		got, err := FromLayout(tt.layout, tt.value)
		if err == nil {
			t.Errorf("FromLayout(%q, %q) = %s, want an error", tt.layout, tt.value, Format(got))
			continue
		}
		want := ErrInvalid
		if tt.layoutErr {
			want = ErrLayout
		}
		if !errors.Is(err, want) {
			t.Errorf("FromLayout(%q, %q) error %q does not wrap %v", tt.layout, tt.value, err, want)
		}
		if err := CheckLayout(tt.layout); (err != nil) != tt.layoutErr {
			t.Errorf("CheckLayout(%q) = %v, want error %v", tt.layout, err, tt.layoutErr)
		}
	}
}

func TestFromLayoutMidnight(t *testing.T) {
	tests := []struct {
		layout, value, want string
	}{
		{"%d-%m-%Y", "04-03-2020", "2020-03-04T00:00:00+00:00"},
		{"%Y-%m-%d %H:%M:%S", "2020-03-04 23:59:59", "2020-03-04T00:00:00+00:00"},
		{"%Y-%m-%d %H:%M %z", "2020-03-04 23:30 -0500", "2020-03-04T00:00:00+00:00"},
		{"%Y-%m-%d %z", "0001-01-01 +0100", "0001-01-01T00:00:00+00:00"},
	}
	for _, tt := range tests {
		got, err := FromLayoutMidnight(tt.layout, tt.value)
		if err != nil {
			t.Errorf("FromLayoutMidnight(%q, %q): %v", tt.layout, tt.value, err)
			continue
		}
		if s := Format(got); s != tt.want {
			t.Errorf("FromLayoutMidnight(%q, %q) = %s, want %s", tt.layout, tt.value, s, tt.want)
		}
	}
	if _, err := FromLayoutMidnight("%Y-%m-%d %H:%M:%S", "2020-03-04 05:06:61"); !errors.Is(err, ErrInvalid) {
		t.Errorf("FromLayoutMidnight with second 61: error %v, want ErrInvalid", err)
	}
}

func BenchmarkFromLayout(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromLayout("%d/%b/%Y:%H:%M:%S %z", "04/Mar/2020:05:06:07 +0100"); err != nil {
			b.Fatal(err)
		}
	}
}
