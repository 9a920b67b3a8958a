// SPDX-License-Identifier: AGPL-3.0-or-later

package lang

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

const sample = `feed "feodo" {
  provider = "abuse.ch"
  accuracy = 90
  collect "http" {
    url      = "https://example.com/list.csv"
    interval = "1h"
  }
  parser = parser.feodo
}

parser "feodo" {
  csv {
    delimiter = ";"
    comment   = "#"
    columns   = ["ip", "port"]
  }
  set = {
    "classification.type" = "c2-server"
  }
  map = {
    "source.ip"   = "ip"
    "source.port" = "int(port)"
  }
  each {
    list = "split(ip, ',')"
    map = {
      "extra.item" = "item"
    }
  }
}

expert "taxonomy" "tax" {}

pipeline "main" {
  feeds   = [feed.feodo]
  experts = [expert.tax]
  route {
    when = "source.port == 22"
    drop = true
  }
}
`

func parse(t *testing.T, src string) (*File, hcl.Diagnostics) {
	t.Helper()
	return NewLoader().Parse("test.hcl", []byte(src))
}

func TestDecode(t *testing.T) {
	f, diags := parse(t, sample)
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	if len(f.Feeds) != 1 || len(f.Parsers) != 1 || len(f.Bots) != 1 || len(f.Pipelines) != 1 {
		t.Fatalf("decoded %d feeds, %d parsers, %d bots, %d pipelines", len(f.Feeds), len(f.Parsers), len(f.Bots), len(f.Pipelines))
	}
	feed := f.Feeds[0]
	if feed.Provider.Value != "abuse.ch" || feed.Accuracy.Value != 90 || feed.Parser.String() != "parser.feodo" {
		t.Errorf("feed = %+v", feed)
	}
	if feed.Collect.Bot != "http" || len(feed.Collect.Params) != 2 || feed.Collect.Params[0].Name != "url" {
		t.Errorf("collect = %+v", feed.Collect)
	}
	p := f.Parsers[0]
	if p.Input.Format != "csv" || p.Input.Delimiter.Value != ";" || !cmp.Equal(p.Input.Comment.Strings(), []string{"#"}) {
		t.Errorf("input = %+v", p.Input)
	}
	if got := p.Map.Entries[1]; got.Key != "source.port" || got.Expr.Source != "int(port)" || !got.Expr.Exact {
		t.Errorf("map entry = %+v", got)
	}
	if len(p.Each) != 1 || p.Each[0].List.Source != "split(ip, ',')" {
		t.Errorf("each = %+v", p.Each)
	}
	b := f.Bots[0]
	if b.Kind != "expert" || b.Type != "taxonomy" || b.Name != "tax" {
		t.Errorf("bot = %+v", b)
	}
	r := f.Pipelines[0].Routes[0]
	if r.When.Source != "source.port == 22" || !r.Drop.Value {
		t.Errorf("route = %+v", r)
	}
}

func TestExprPos(t *testing.T) {
	src := "parser \"p\" {\n  lines {}\n  map = {\n    \"source.ip\" = \"lowr(välue)\"\n  }\n}\n"
	f, diags := parse(t, src)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	e := f.Parsers[0].Map.Entries[0].Expr
	if !e.Exact {
		t.Fatal("a plain quoted string is exact")
	}
	// "lowr" starts at column 20 of line 4; "välue" at rune offset 5.
	tests := []struct {
		off       int
		line, col int
	}{{0, 4, 20}, {5, 4, 25}, {6, 4, 26}, {7, 4, 27}}
	for _, tt := range tests {
		p := e.Pos(tt.off)
		if p.Line != tt.line || p.Column != tt.col {
			t.Errorf("Pos(%d) = %d:%d, want %d:%d", tt.off, p.Line, p.Column, tt.line, tt.col)
		}
		if got := src[p.Byte:]; !strings.HasPrefix(got, string([]rune(e.Source)[tt.off:])) {
			t.Errorf("Pos(%d).Byte points at %q", tt.off, got[:8])
		}
	}
	r := e.SubRange(5, 10)
	if r.Start.Column != 25 || r.End.Column != 30 {
		t.Errorf("SubRange(5, 10) = %v", r)
	}
}

func TestExprNotExact(t *testing.T) {
	f, diags := parse(t, "parser \"p\" {\n  lines {}\n  map = {\n    \"source.ip\" = \"a\\\"b\"\n  }\n}\n")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	e := f.Parsers[0].Map.Entries[0].Expr
	if e.Exact || e.Source != `a"b` {
		t.Errorf("escaped string: Exact=%t Source=%q", e.Exact, e.Source)
	}
	if e.Pos(2) != e.Range.Start {
		t.Errorf("a string that is not exact maps every offset to its start")
	}
}

func TestExprHeredoc(t *testing.T) {
	src := "parser \"p\" {\n  lines {}\n  skip = <<EOT\nvalue == \"x\"\nEOT\n}\n"
	f, diags := parse(t, src)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	e := f.Parsers[0].Skip
	if !e.Exact || e.Pos(0).Line != 4 || e.Pos(0).Column != 1 {
		t.Errorf("heredoc: Exact=%t Pos(0)=%v", e.Exact, e.Pos(0))
	}
}

func TestStructureDiagnostics(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"unknown attribute", `parser "p" {
  lines {}
  mapp = {}
}`, []string{"Unsupported argument"}},
		{"two inputs", `parser "p" {
  lines {}
  csv {}
}`, []string{"Conflicting input blocks"}},
		{"two csv", `parser "p" {
  csv {}
  csv {}
}`, []string{"Duplicate csv block"}},
		{"no input", `parser "p" {}`, []string{"Missing input block"}},
		{"bad reference kind", `feed "f" {
  provider = "x"
  parser   = feed.g
}`, []string{"Invalid reference"}},
		{"quoted reference", `feed "f" {
  provider = "x"
  parser   = "parser.g"
}`, []string{"Invalid reference"}},
		{"delimiter", `parser "p" {
  csv {
    delimiter = ";;"
  }
}`, []string{"Invalid character"}},
		{"duplicate key", `parser "p" {
  lines {}
  map = {
    "source.ip" = "value"
    "source.ip" = "value"
  }
}`, []string{"Duplicate key"}},
		{"variable in constant", `parser "p" {
  lines {}
  set = {
    "source.ip" = value
  }
}`, []string{"Invalid value"}},
		{"route without destination", `pipeline "p" {
  route {}
}`, []string{"Route without destination"}},
		{"skip and when", `parser "p" {
  lines {}
  skip = "true"
  when = "false"
}`, []string{"Conflicting conditions"}},
		{"bad name", `parser "a b" {
  lines {}
}`, []string{"Invalid name"}},
		{"negative skip", `parser "p" {
  lines {
    skip_lines = -1
  }
}`, []string{"Incorrect attribute value type"}},
		{"reject without condition", `parser "p" {
  lines {}
  reject {
    message = "x"
  }
}`, []string{"Missing required argument"}},
		{"raw not an expression", `parser "p" {
  lines {}
  raw = ["line"]
}`, []string{"Incorrect attribute value type"}},
		{"overwrite not a map", `parser "p" {
  lines {}
  overwrite = "feed.url"
}`, []string{"Incorrect attribute value type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := parse(t, tt.src)
			var got []string
			for _, d := range diags {
				got = append(got, d.Summary)
				if d.Subject == nil {
					t.Errorf("%q has no range", d.Summary)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("summaries (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	out, diags := Format("x.hcl", []byte("parser   \"p\" {\nlines {}\n  map = {\n\"a\"=\"b\"\n  }\n}\n"))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := "parser \"p\" {\n  lines {}\n  map = {\n    \"a\" = \"b\"\n  }\n}\n"
	if string(out) != want {
		t.Errorf("Format:\n%s\nwant:\n%s", out, want)
	}
	if _, diags := Format("x.hcl", []byte("parser {")); !diags.HasErrors() {
		t.Error("Format of a broken file gives no error")
	}
}

// TestDecodeReportAttributes checks raw, overwrite, spread and reject.
func TestDecodeReportAttributes(t *testing.T) {
	f, diags := parse(t, `parser "p" {
  json {}
  spread = "record"
  overwrite = {
    "feed.accuracy" = "50"
  }
  raw = "text"
  each {
    list = "[1]"
    raw  = "pyJSON(item)"
  }
  reject {
    when    = "text == ''"
    message = "Empty"
  }
  reject {
    when = "false"
  }
}`)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	p := f.Parsers[0]
	got := []string{p.Spread.Source, p.Overwrite.Entries[0].Key, p.Overwrite.Entries[0].Expr.Source, p.Raw.Source,
		p.Each[0].Raw.Source, p.Reject[0].When.Source, p.Reject[0].Message.Value, p.Reject[1].When.Source}
	want := []string{"record", "feed.accuracy", "50", "text", "pyJSON(item)", "text == ''", "Empty", "false"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	if p.Reject[1].Message != nil || !p.Reject[0].When.Exact {
		t.Errorf("reject 1 message %v, reject 0 exact %v", p.Reject[1].Message, p.Reject[0].When.Exact)
	}
}
