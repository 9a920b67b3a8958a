// SPDX-License-Identifier: AGPL-3.0-or-later

package didyoumean

import "testing"

func TestNameSuggestion(t *testing.T) {
	cands := []string{"source.ip", "source.port", "destination.ip", "c2-server"}
	tests := []struct{ given, want string }{
		{"source.ipp", "source.ip"},
		{"sorce.ip", "source.ip"},
		{"c2-srever", "c2-server"},
		{"source.prt", "source.port"},
		{"completely.different", ""},
		{"source.ip", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := NameSuggestion(tt.given, cands); got != tt.want {
			t.Errorf("NameSuggestion(%q) = %q, want %q", tt.given, got, tt.want)
		}
	}
	if got := Suffix("sorce.ip", cands); got != ` Did you mean "source.ip"?` {
		t.Errorf("Suffix = %q", got)
	}
}
