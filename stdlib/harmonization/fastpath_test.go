// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestEncodeBase64(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 4))
	for n := 0; n < 700; n++ {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		want := base64.StdEncoding.EncodeToString(b)
		if got := EncodeBase64(b); got != want {
			t.Fatalf("EncodeBase64(%d bytes) = %q, want %q", n, got, want)
		}
		if got := EncodeBase64(string(b)); got != want {
			t.Fatalf("EncodeBase64(%d byte string) = %q, want %q", n, got, want)
		}
		if !isPaddedBase64(want) && n > 0 {
			t.Fatalf("isPaddedBase64(%q) = false", want)
		}
	}
}

// TestPaddedBase64AgreesWithDecoder checks that the fast check never
// accepts what the lenient decoder rejects.
func TestPaddedBase64AgreesWithDecoder(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	alphabet := "AZaz09+/=== !\n-_\x80"
	for i := 0; i < 100000; i++ {
		var b strings.Builder
		for n := rng.IntN(13); n > 0; n-- {
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		_, err := decodeBase64(s, false)
		if isPaddedBase64(s) && err != nil {
			t.Errorf("isPaddedBase64(%q) but the decoder fails: %v", s, err)
		}
		if got, want := (base64Type{}).Validate(String(s)), s != "" && err == nil; got != want {
			t.Errorf("Validate(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestIPSanitizeKeepsCanonical checks that canonical addresses come back
// as the very same string and others are rewritten.
func TestIPSanitizeKeepsCanonical(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"192.0.2.10", "192.0.2.10"},
		{" 192.0.2.10 ", "192.0.2.10"},
		{"192.0.2.10/32", "192.0.2.10"},
		{"2001:db8::1", "2001:db8::1"},
		{"2001:DB8::1", "2001:db8::1"},
		{"2001:db8:0:0:0:0:0:1", "2001:db8::1"},
		{"fe80::1%eth0", "fe80::1"},
		{"::ffff:1.2.3.4", "::ffff:102:304"},
	} {
		got, err := (ipAddressType{}).Sanitize(String(tc.in))
		if err != nil || got.Str() != tc.want {
			t.Errorf("Sanitize(%q) = %q, %v; want %q", tc.in, got.Str(), err, tc.want)
		}
	}
	in := String("198.51.100.7")
	if allocs := testing.AllocsPerRun(100, func() { _, _ = (ipAddressType{}).Sanitize(in) }); allocs != 0 {
		t.Errorf("Sanitize of a canonical address: %v allocations, want 0", allocs)
	}
}
