// SPDX-License-Identifier: AGPL-3.0-or-later

package pytext

import (
	"reflect"
	"testing"
)

func TestSplitLines(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a", []string{"a"}},
		{"a\n", []string{"a"}},
		{"a\r\nb\rc\n\nd", []string{"a", "b", "c", "", "d"}},
		{"a\vb\fc\x1cd\x1de\x1ef\u0085g\u2028h\u2029i", []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"}},
		{"a\x1fb", []string{"a\x1fb"}},
		{"\n\n", []string{"", ""}},
	}
	for _, tt := range tests {
		var got []string
		for i, l := range SplitLines(tt.in) {
			if l.No != i+1 {
				t.Errorf("%q: line %d numbered %d", tt.in, i+1, l.No)
			}
			got = append(got, l.Text)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitLines(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStripAndFields(t *testing.T) {
	if got := Strip("\x1f\u00a0 a b\u3000\t"); got != "a b" {
		t.Errorf("Strip = %q", got)
	}
	if got := Fields(" a\x1cb  c\u2003d "); !reflect.DeepEqual(got, []string{"a", "b", "c", "d"}) {
		t.Errorf("Fields = %q", got)
	}
}

func TestInt(t *testing.T) {
	good := map[string]int64{"12": 12, " -3 ": -3, "+7": 7, "1_000": 1000, "007": 7}
	for in, want := range good {
		if got, err := Int(in); err != nil || got != want {
			t.Errorf("Int(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-", "1.5", "_1", "1_", "1__0", "+-1", "0x10", "1 2", "99999999999999999999"} {
		if got, err := Int(in); err == nil {
			t.Errorf("Int(%q) = %d, want an error", in, got)
		}
	}
}
