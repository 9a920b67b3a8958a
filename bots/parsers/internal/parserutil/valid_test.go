// SPDX-License-Identifier: AGPL-3.0-or-later

package parserutil

import (
	"testing"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

func TestIsValid(t *testing.T) {
	s := harmonization.Default()
	tests := []struct {
		key, value string
		sanitize   bool
		want       bool
	}{
		{"source.fqdn", "example.com", false, true},
		{"source.fqdn", "Example.COM", false, false},
		{"source.fqdn", "Example.COM", true, true},
		{"source.fqdn", "192.0.2.1", true, false},
		{"source.fqdn", "", true, false},
		{"source.ip", "192.0.2.1", false, true},
		{"source.ip", "192.0.2.300", true, false},
		{"classification.type", "blacklist", false, true},
		{"classification.type", "no-such-type", false, false},
		{"no.such.key", "x", true, false},
	}
	for _, tt := range tests {
		if got := IsValid(s, tt.key, tt.value, tt.sanitize); got != tt.want {
			t.Errorf("IsValid(%s, %q, sanitize=%v) = %v, want %v", tt.key, tt.value, tt.sanitize, got, tt.want)
		}
	}
}
