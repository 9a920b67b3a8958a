// SPDX-License-Identifier: AGPL-3.0-or-later

package bottest_test

import (
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/compiler"
	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/stdlib/funcs"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

const sampleParser = `
parser "sample" {
  csv {
    comment = "#"
    columns = ["ip", "port"]
  }
  set = {
    "classification.type" = "scanner"
  }
  map = {
    "source.ip"   = "ip"
    "source.port" = "int(port)"
  }
}
`

// compileParser compiles one parser declaration (tests may use the
// compiler; the harness itself does not import it).
func compileParser(t *testing.T, src string) *plan.Parser {
	t.Helper()
	l := lang.NewLoader()
	f, diags := l.Parse("sample.hcl", []byte(src))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	p, diags := compiler.Compile([]*lang.File{f}, &compiler.Env{ExprOptions: funcs.Options()})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return p.Parsers[0]
}

func TestParserWithABadRecord(t *testing.T) {
	raw := "# ip,port\n192.0.2.1,80\nnot-an-ip,81\n192.0.2.3,443\n"
	res := bottest.Run(t, bottest.Case{
		Kind:   botapi.KindParser,
		Parser: compileParser(t, sampleParser),
		Input: []any{`{"feed.name": "Sample", "time.observation": "2016-01-01T00:00:00+00:00", "raw": "` +
			b64(raw) + `", "__type": "Report"}`},
		AllowedErrors: 1,
	})
	res.AssertOutputLen(t, "", 2)
	res.AssertMessageEqual(t, 0, map[string]any{"feed.name": "Sample", "classification.type": "scanner",
		"source.ip": "192.0.2.1", "source.port": 80, "raw": b64("192.0.2.1,80")}, true, "")
	res.AssertMessageEqual(t, 1, map[string]any{"feed.name": "Sample", "classification.type": "scanner",
		"source.ip": "192.0.2.3", "source.port": 443, "raw": b64("192.0.2.3,443")}, true, "")
	// The bad line, exactly as it was, goes to _on_error and to the dump
	// (as a report of its own, keeping the report's other fields).
	res.AssertOutputLen(t, botapi.ErrorPath, 1)
	res.AssertMessageEqual(t, 0, `{"feed.name": "Sample", "raw": "`+b64("not-an-ip,81")+`", "__type": "Report"}`,
		true, botapi.ErrorPath)
	if len(res.Dumps) != 1 {
		t.Fatalf("%d dumps; want 1", len(res.Dumps))
	}
	dumped, err := message.Decode(harmonization.Default(), []byte(res.Dumps[0].Message))
	if err != nil {
		t.Fatal(err)
	}
	if text, _ := dumped.RawText(); text != "not-an-ip,81" {
		t.Errorf("dumped raw %q; want the bad line", text)
	}
	if tb := res.Dumps[0].Traceback; len(tb) == 0 || !strings.HasPrefix(tb[0], "line 3: ") {
		t.Errorf("dump traceback %q does not name line 3", tb)
	}
	res.AssertAnyLoglineEqual(t, "Sent 2 events and found 1 problem(s).", "INFO")
	res.AssertLogMatches(t, `^Failed to parse line\.$`, "ERROR")
}
