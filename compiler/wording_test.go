// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import "testing"

func TestWithArticle(t *testing.T) {
	for in, want := range map[string]string{"int": "an int", "output": "an output", "string": "a string", "parser": "a parser", "": "a "} {
		if got := withArticle(in); got != want {
			t.Errorf("withArticle(%q) = %q, want %q", in, got, want)
		}
	}
}
