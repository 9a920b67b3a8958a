// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/compiler"
	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/internal/conformance"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/stdlib/funcs"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

var update = flag.Bool("update", false, "rewrite the generated parsers")

var (
	// realSchema is Shadowserver's intelmq.json, kept next to the generator;
	// library is the parser generated from it.
	realSchema = "intelmq.json"
	library    = filepath.Join("..", "..", "parsers", "shadowserver.hcl")
	// corpusDir holds IntelMQ's test cases; testSchema is the test schema
	// their Shadowserver cases use (IntelMQ's schema.json.test), testParser
	// the parser generated from it.
	corpusDir  = filepath.Join("..", "..", "..", "..", "testdata", "conformance", "intelmq")
	testSchema = filepath.Join(corpusDir, "support", "intelmq", "bots", "parsers", "shadowserver", "schema.json.test")
	testParser = filepath.Join("..", "..", "..", "..", "testdata", "feeds", "shadowserver", "shadowserver.hcl")
)

// generated checks that the committed file out is what the generator
// writes from schema (or rewrites it with -update) and returns it.
func generated(t *testing.T, schema, out string) []byte {
	t.Helper()
	src, err := os.ReadFile(schema)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Generate(src, Options{Overwrite: true})
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(out, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	have, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(have) != string(want) {
		t.Errorf("%s is not what the generator writes from %s; run go generate ./stdlib/feeds/internal/gen-shadowserver "+
			"(or go test ./stdlib/feeds/internal/gen-shadowserver -update)", out, schema)
	}
	return want
}

// compileFile compiles one HCL file on its own and returns its parsers.
func compileFile(t testing.TB, name string, src []byte) []*plan.Parser {
	t.Helper()
	f, diags := lang.NewLoader().Parse(name, src)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	p, more := compiler.Compile([]*lang.File{f}, &compiler.Env{Schema: harmonization.Default(), ExprOptions: funcs.Options()})
	if more.HasErrors() {
		t.Fatal(more)
	}
	return p.Parsers
}

// TestLibraryGenerated checks that the library's Shadowserver parser is
// what the generator writes from the kept schema, and that it holds every
// report type of the schema.
func TestLibraryGenerated(t *testing.T) {
	out := generated(t, realSchema, library)
	src, err := os.ReadFile(realSchema)
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]struct {
		FileName string `json:"file_name"`
	}
	if err := json.Unmarshal(src, &schema); err != nil {
		t.Fatal(err)
	}
	delete(schema, "_meta")
	if len(schema) < 100 {
		t.Fatalf("the schema has %d report types; is it Shadowserver's intelmq.json?", len(schema))
	}
	for name, r := range schema {
		if !strings.Contains(string(out), "\n      \""+r.FileName+"\" = \"") {
			t.Errorf("the parser lacks the report type %s (file name %s)", name, r.FileName)
		}
	}
	ps := compileFile(t, library, out)
	if len(ps) != 2 || ps[0].Name != "shadowserver" || ps[1].Name != "shadowserver_overwrite" {
		t.Fatalf("want the parsers shadowserver and shadowserver_overwrite, got %d", len(ps))
	}
}

// TestTestSchemaConformance replays IntelMQ's Shadowserver cases against the
// parser generated from the test schema they were recorded with: every case
// must give IntelMQ's events. (The library's parser, generated from the
// real schema, lacks the test schema's report types; internal/conformance's
// known differences say so.)
func TestTestSchemaConformance(t *testing.T) {
	out := generated(t, testSchema, testParser)
	// not_in_idf is a required field outside the harmonization: IntelMQ
	// drops it with a warning.
	for _, want := range []string{`"test_smb" = "Test-Accessible-SMB|`, `parser "shadowserver_overwrite"`, `"not_in_idf:severity"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the generated parser lacks %s", want)
		}
	}
	cases, err := conformance.LoadParserCases(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	r := &conformance.Runner{Library: compileFile(t, testParser, out)}
	n := 0
	for _, c := range cases {
		if !strings.HasPrefix(c.Name, "shadowserver/") {
			continue
		}
		n++
		res := r.Run(context.Background(), c)
		if res.Status != conformance.Pass {
			t.Errorf("%s %s (parser %s):\n  %s", strings.ToUpper(res.Status.String()), c.Name, res.Parser, strings.Join(res.Problems, "\n  "))
		}
	}
	if n < 12 {
		t.Errorf("the corpus has %d Shadowserver cases, want IntelMQ's 12", n)
	}
}

func TestGenerateErrors(t *testing.T) {
	for _, src := range []string{
		`[]`,
		`{"x": {"feed_name": "X"}}`,
		`{"x": {"file_name": "x", "required_fields": [["source.ip"]]}}`,
		`{"x": {"file_name": "x", "required_fields": [["source.ip", "a b"]]}}`,
		`{"x": {"file_name": "x", "required_fields": [[true, "a"]]}}`,
		`{"x": {"file_name": "x", "constant_fields": {"extra.n": 1}}}`,
		`{"x": {"file_name": "x", "feed_name": "a|b"}}`,
		`{"x": {"file_name": "x"}, "y": {"file_name": "x"}}`,
	} {
		if _, err := Generate([]byte(src), Options{}); err == nil {
			t.Errorf("Generate(%s): no error", src)
		}
	}
}

// TestCompactItems checks the compact form of schema items, which
// shadowserverEvent reads.
func TestCompactItems(t *testing.T) {
	src := `{"x": {"file_name": "x", "feed_name": "X Feed", "url": "https://example.com/x",
		"constant_fields": {"classification.type": "scanner", "protocol.application": "a b"},
		"required_fields": [["time.source", "timestamp", "add_UTC_to_timestamp"]],
		"optional_fields": [[false, "junk"], ["extra.", "tag"], ["source.url", "url", "convert_http_host_and_url", true]]}}`
	out, err := Generate([]byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"time.source:timestamp:add_UTC_to_timestamp"`, `"false:junk"`, `"extra.:tag"`,
		`"source.url:url:convert_http_host_and_url:row"`, `"protocol.application=a b"`,
		`"x" = "X Feed|https://example.com/x|`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the output lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "shadowserver_overwrite") {
		t.Error("Options{} wrote the overwrite variant")
	}
	compileFile(t, "x.hcl", out)
}

// BenchmarkUnusedLibraryParser measures what the library's Shadowserver
// parser adds to a command that does not use it: parsing the file and
// compiling a configuration with it in Env.Library.
func BenchmarkUnusedLibraryParser(b *testing.B) {
	src, err := os.ReadFile(library)
	if err != nil {
		b.Fatal(err)
	}
	env := &compiler.Env{Schema: harmonization.Default(), ExprOptions: funcs.Options()}
	b.ReportAllocs()
	for b.Loop() {
		loader := lang.NewLoader()
		lib, diags := loader.Parse("shadowserver.hcl", src)
		user, more := loader.Parse("user.hcl", nil)
		if diags = append(diags, more...); diags.HasErrors() {
			b.Fatal(diags)
		}
		env.Library = []*lang.File{lib}
		if _, diags := compiler.Compile([]*lang.File{user}, env); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}
