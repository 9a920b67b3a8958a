// SPDX-License-Identifier: AGPL-3.0-or-later

package compiler

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/lang"
)

// compileSrc compiles one file given as text; it fails the test on errors.
func compileSrc(t *testing.T, src string) *plan.Plan {
	t.Helper()
	f, diags := lang.NewLoader().Parse("p.hcl", []byte(src))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	p, diags := Compile([]*lang.File{f}, testEnv(t))
	if diags.HasErrors() {
		t.Fatalf("%s", dump(diags))
	}
	return p
}

func varNames(vs []plan.Var) map[string]plan.VarType {
	out := map[string]plan.VarType{}
	for _, v := range vs {
		out[v.Name] = v.Type
	}
	return out
}

// TestReportVars checks that only the text variables the expressions read
// are declared, and that a column of the same name takes precedence.
func TestReportVars(t *testing.T) {
	p := compileSrc(t, `
parser "p" {
  csv {
    columns = ["ip", "text"]
  }
  map = {
    "source.ip"              = "ip"
    "event_description.text" = "text"
  }
  raw = "header + comments + line + line_end"
}`).Parsers[0]
	if diff := cmp.Diff([]string{"comments", "header", "line_end"}, p.TextVars); diff != "" {
		t.Errorf("TextVars (-want +got):\n%s", diff)
	}
	vars := varNames(p.Vars)
	if _, ok := vars["newline"]; ok {
		t.Error("newline is declared though no expression reads it")
	}
	if vars["text"] != plan.VarString {
		t.Errorf("text = %v, want the string column", vars["text"])
	}
	if p.Raw == nil || p.Raw.Source != "header + comments + line + line_end" {
		t.Errorf("Raw = %+v", p.Raw)
	}
}

// TestOpenScopeKeys checks that the keys an open JSON parser reads are
// bound, including keys spelt like expr-lang builtins.
func TestOpenScopeKeys(t *testing.T) {
	p := compileSrc(t, `
parser "p" {
  json {}
  map = {
    "source.ip"                 = "ip"
    "classification.identifier" = "type"
    "extra.n"                   = "len(type)"
  }
  each {
    list = "tags ?? []"
    map  = { "extra.tag" = "item + kind" }
  }
}`).Parsers[0]
	vars := varNames(p.Vars)
	for _, k := range []string{"ip", "tags", "kind"} {
		if _, ok := vars[k]; !ok {
			t.Errorf("the key %q is not bound: %v", k, vars)
		}
	}
	if _, ok := vars["type"]; ok {
		t.Error("type is bound as a variable; it is read as record['type']")
	}
}

func TestOverwriteRejectSpread(t *testing.T) {
	p := compileSrc(t, `
parser "p" {
  json {}
  spread = "record"
  overwrite = {
    "feed.accuracy" = "50"
  }
  reject {
    when    = "text == ''"
    message = "Empty report"
  }
}`).Parsers[0]
	if len(p.Map) != 1 || !p.Map[0].Overwrite || p.Map[0].Fields[0] != "feed.accuracy" {
		t.Errorf("Map = %+v, want one overwrite of feed.accuracy", p.Map)
	}
	if len(p.Reject) != 1 || p.Reject[0].Message != "Empty report" || p.Reject[0].When.Type != plan.VarBool {
		t.Errorf("Reject = %+v", p.Reject)
	}
	if p.Spread == nil || p.Spread.Source != "record" {
		t.Errorf("Spread = %+v", p.Spread)
	}
	if diff := cmp.Diff([]string{"text"}, p.TextVars); diff != "" {
		t.Errorf("TextVars (-want +got):\n%s", diff)
	}
}
