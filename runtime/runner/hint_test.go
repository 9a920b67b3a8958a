// SPDX-License-Identifier: AGPL-3.0-or-later

package runner

import (
	"testing"

	"github.com/intelmq-go/intelmq/compiler"
	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/funcs"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// TestParserHint: a collector learns whether its feed's parser can read a
// report cut at line ends, and which header lines each piece repeats.
func TestParserHint(t *testing.T) {
	tests := []struct {
		name   string
		parser string
		want   botapi.ParserHint
	}{
		{"csv with header", `parser "p" {
  csv { header = true }
  map = { "source.ip" = "ip" }
}`, botapi.ParserHint{HeaderRows: 1}},
		{"csv with skipped lines and header", `parser "p" {
  csv {
    header     = true
    skip_lines = 2
  }
  map = { "source.ip" = "ip" }
}`, botapi.ParserHint{HeaderRows: 3}},
		{"lines", `parser "p" {
  lines { column = "ip" }
  map = { "source.ip" = "ip" }
}`, botapi.ParserHint{}},
		{"json document", `parser "p" {
  json { keys = ["ip"] }
  map = { "source.ip" = "ip" }
}`, botapi.ParserHint{Whole: true}},
		{"expression over the whole text", `parser "p" {
  lines { column = "ip" }
  map = {
    "source.ip"  = "ip"
    "extra.size" = "len(text)"
  }
}`, botapi.ParserHint{Whole: true}},
		{"comments read in a skip condition", `parser "p" {
  lines { column = "ip" }
  skip = "comments != ''"
  map  = { "source.ip" = "ip" }
}`, botapi.ParserHint{Whole: true}},
		{"header only", `parser "p" {
  lines { column = "ip" }
  map = {
    "source.ip"  = "ip"
    "extra.head" = "header"
  }
}`, botapi.ParserHint{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, diags := lang.NewLoader().Parse("hint.hcl", []byte(tt.parser))
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			p, diags := compiler.Compile([]*lang.File{f}, &compiler.Env{Schema: harmonization.Default(), ExprOptions: funcs.Options()})
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			got := parserHint(&plan.Feed{Parser: p.Parsers[0]})
			if got == nil || *got != tt.want {
				t.Errorf("parserHint = %+v, want %+v", got, tt.want)
			}
		})
	}
	if got := parserHint(&plan.Feed{ParserBot: &plan.Bot{Type: "parser.cleanmx"}}); got == nil || !got.Whole {
		t.Errorf("a Go parser bot: parserHint = %+v, want Whole", got)
	}
	if got := parserHint(&plan.Feed{}); got != nil {
		t.Errorf("no parser: parserHint = %+v, want nil", got)
	}
}
