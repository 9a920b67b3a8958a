// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"math/rand/v2"
	"testing"
)

// TestScanRunAgreesWithByteLoop checks the word-at-a-time scanners against
// a byte loop on strings of every short length and all start positions.
func TestScanRunAgreesWithByteLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 8))
	alphabet := []byte{'a', 'Z', ' ', '~', '"', '\\', 0x00, 0x1f, 0x20, 0x7f, 0x80, 0xc3, 0xff, '!', 0x21, 0x5b, 0x5d}
	naive := func(s string, i int, ascii bool) int {
		for ; i < len(s); i++ {
			c := s[i]
			if c < 0x20 || c == '"' || c == '\\' || (ascii && c >= 0x7f) {
				return i
			}
		}
		return len(s)
	}
	for n := 0; n < 40; n++ {
		for trial := 0; trial < 300; trial++ {
			b := make([]byte, n)
			for k := range b {
				if rng.IntN(4) == 0 {
					b[k] = alphabet[rng.IntN(len(alphabet))]
				} else {
					b[k] = byte('a' + rng.IntN(26))
				}
			}
			s := string(b)
			for i := 0; i <= n; i++ {
				if got, want := stringRun(s, i), naive(s, i, false); got != want {
					t.Fatalf("stringRun(%q, %d) = %d, want %d", s, i, got, want)
				}
				if got, want := asciiRun(s, i), naive(s, i, true); got != want {
					t.Fatalf("asciiRun(%q, %d) = %d, want %d", s, i, got, want)
				}
			}
		}
	}
}
