// SPDX-License-Identifier: AGPL-3.0-or-later

package since

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	now := time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in   string
		want time.Time
	}{
		{"2 days", now.Add(-48 * time.Hour)},
		{"1 hour", now.Add(-time.Hour)},
		{"3 Weeks", now.Add(-21 * 24 * time.Hour)},
		{"1 month", now.Add(-30 * 24 * time.Hour)},
		{"90m", now.Add(-90 * time.Minute)},
		{"2024-01-31", time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)},
		{"2024-01-31 08:30:00", time.Date(2024, 1, 31, 8, 30, 0, 0, time.UTC)},
		{"2024-01-31T08:30:00+01:00", time.Date(2024, 1, 31, 7, 30, 0, 0, time.UTC)},
		{"2019-01-01 00:00:00+00:00", time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"10 minutes", now.Add(-10 * time.Minute)},
	} {
		f, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got := f(now); !got.Equal(c.want) {
			t.Errorf("Parse(%q)(now) = %v, want %v", c.in, got, c.want)
		}
	}
	if f, err := Parse("  "); f != nil || err != nil {
		t.Errorf("Parse of blanks = %v, %v; want no limit", f, err)
	}
	for _, bad := range []string{"2 fortnights", "-3h", "yesterday", "soon", "days", "3"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}
