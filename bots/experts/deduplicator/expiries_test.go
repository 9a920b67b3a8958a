// SPDX-License-Identifier: AGPL-3.0-or-later

package deduplicator

import (
	"encoding/hex"
	"strings"
	"testing"
)

// TestKeyOf checks the map key of a hash: the first 16 bytes its hex
// spells, the same for its string and byte forms; anything else is reduced
// by SHA-256, so that equal keys meet and different ones stay apart.
func TestKeyOf(t *testing.T) {
	h := "0123456789abcdef00112233445566778899aabbccddeeff0123456789abcdef"
	k := keyOf(h)
	if got := hex.EncodeToString(k[:]); got != h[:32] {
		t.Fatalf("keyOf(%s) = %s, want its first 16 bytes", h, got)
	}
	if keyOf([]byte(h)) != k {
		t.Fatal("the string and byte forms of a hash have different keys")
	}
	other := strings.Replace(h, "0", "1", 1)
	if keyOf(other) == k {
		t.Fatal("two hashes that differ in their first byte share a key")
	}
	for _, odd := range []string{
		strings.ToUpper(h), // not as Hash writes it
		h[:31] + "g" + h[32:],
		"x" + h[1:],
		h[:62],
		"",
	} {
		ko := keyOf(odd)
		if ko == k {
			t.Errorf("keyOf(%q) is the key of %s", odd, h)
		}
		if keyOf([]byte(odd)) != ko {
			t.Errorf("keyOf(%q) differs between its string and byte forms", odd)
		}
	}
	e := newExpiries()
	e.set(h, 7)
	if exp, ok := e.get(h); !ok || exp != 7 {
		t.Fatalf("get after set = %d, %v", exp, ok)
	}
	e.deleteIf([]byte(h), 6)
	if e.len() != 1 {
		t.Fatal("deleteIf removed a hash of another expiry")
	}
	e.deleteIf([]byte(h), 7)
	if e.len() != 0 {
		t.Fatal("deleteIf kept a hash of its expiry")
	}
}
