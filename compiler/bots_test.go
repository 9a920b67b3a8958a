// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"testing"
	"time"

	"github.com/intelmq-go/intelmq/lang"
)

// TestNegativeDurationWhereAllowed: a duration parameter whose spec allows
// negative values (the http collector's url_time_offset, "-24h" for
// yesterday's file) keeps its sign, as a string or a number of seconds.
func TestNegativeDurationWhereAllowed(t *testing.T) {
	for _, offset := range []string{`"-24h"`, `-86400`} {
		src := `
feed "f" {
  provider = "Example"
  parser   = parser.p
  collect "http" {
    url             = "https://example.com/{time[%Y-%m-%d]}.txt"
    url_time_offset = ` + offset + `
  }
}

parser "p" {
  lines {
    column = "ip"
  }
  map = { "source.ip" = "ip" }
}
`
		f, diags := lang.NewLoader().Parse("f.hcl", []byte(src))
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		p, diags := Compile([]*lang.File{f}, testEnv(t))
		if diags.HasErrors() {
			t.Fatalf("%s: %s", offset, dump(diags))
		}
		if got := p.Feed("f").Collector.Params.Duration("url_time_offset"); got != -24*time.Hour {
			t.Errorf("url_time_offset = %s: got %v, want -24h", offset, got)
		}
	}
}
