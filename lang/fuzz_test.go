// SPDX-License-Identifier: AGPL-3.0-or-later

package lang

import "testing"

// FuzzParse feeds arbitrary text to the parser and decoder: it must return
// diagnostics, never panic, and every error must have a range.
func FuzzParse(f *testing.F) {
	f.Add(sample)
	f.Add(`parser "p" { lines { regex = "(?P<x>.*)" } map = { "source.ip" = "x" } }`)
	f.Add(`pipeline "p" { route { when = <<EOT
a == 1
EOT
 to = [output.x] } }`)
	f.Add(`feed "f" { collect "http" { url = 1 } parser = parser.x.y }`)
	f.Fuzz(func(t *testing.T, src string) {
		_, diags := NewLoader().Parse("fuzz.hcl", []byte(src))
		for _, d := range diags {
			if d.Summary == "" {
				t.Errorf("diagnostic without summary: %+v", d)
			}
		}
	})
}
