// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"testing"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// TestPyJSONStringsAgree: the wire encoder's string writer (fast, with a
// choice of ensure_ascii) and harmonization.AppendPyJSONString (used by the
// JSON field type, the expression functions and the parser bots) write
// valid UTF-8 strings alike with ensure_ascii.
func TestPyJSONStringsAgree(t *testing.T) {
	for _, s := range []string{"", "plain ascii", "quote \" backslash \\ slash /", "\n\r\t\b\f\x00\x1f\x7f",
		"é ü ß", "日本語", "emoji 😀 and 𝄞", "\u2028\u2029", "mixed \"é\"\n😀", "\ufffd"} {
		want := string(appendJSONString(nil, s, true))
		if got := string(harmonization.AppendPyJSONString(nil, s)); got != want {
			t.Errorf("%q: AppendPyJSONString = %s, the wire encoder %s", s, got, want)
		}
	}
}
