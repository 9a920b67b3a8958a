// SPDX-License-Identifier: AGPL-3.0-or-later

package conformance

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/compiler"
	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/lang"
	"github.com/intelmq-go/intelmq/stdlib/funcs"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

func TestDiff(t *testing.T) {
	for _, tc := range []struct {
		name       string
		want, got  map[string]any
		compareRaw bool
		diff       string
	}{
		{"equal", map[string]any{"a": "x", "n": 1.0}, map[string]any{"a": "x", "n": 1.0}, true, ""},
		{"time.observation ignored", map[string]any{"time.observation": "a"}, map[string]any{"time.observation": "b"}, true, ""},
		{"raw ignored", map[string]any{"raw": "YQ=="}, map[string]any{"raw": "Yg=="}, false, ""},
		{"raw compared and decoded", map[string]any{"raw": "YQ=="}, map[string]any{"raw": "Yg=="}, true, `raw: "a" != ours "b"`},
		{"missing", map[string]any{"a": "x"}, map[string]any{}, true, `-a="x"`},
		{"extra", map[string]any{}, map[string]any{"b": true}, true, `+b=true`},
		{"list", map[string]any{"l": []any{"x"}}, map[string]any{"l": []any{"y"}}, true, `l: ["x"] != ours ["y"]`},
		{"sorted", map[string]any{"b": 1.0, "a": 1.0}, map[string]any{}, true, `-a=1; -b=1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Diff(tc.want, tc.got, tc.compareRaw); got != tc.diff {
				t.Errorf("Diff = %q, want %q", got, tc.diff)
			}
		})
	}
}

func TestShowShortens(t *testing.T) {
	s := show("x", strings.Repeat("a", 1000))
	if n := len([]rune(s)); n > 230 || !strings.Contains(s, "…") {
		t.Errorf("show gave %d characters: %q", n, s)
	}
}

// compile compiles one synthesized file with the default environment.
func compile(name string, src []byte) ([]*plan.Parser, error) {
	f, diags := lang.NewLoader().Parse(name, src)
	if diags.HasErrors() {
		return nil, diags
	}
	p, more := compiler.Compile([]*lang.File{f}, &compiler.Env{Schema: harmonization.Default(), ExprOptions: funcs.Options()})
	if more.HasErrors() {
		return nil, more
	}
	return p.Parsers, nil
}

func TestSynthesize(t *testing.T) {
	for _, tc := range []struct {
		name   string
		bot    string
		params map[string]any
		want   []string // substrings of the HCL
	}{
		{"generic csv", moduleGenericCSV, map[string]any{
			"columns": "time.source, __IGNORE__, source.ip|source.network", "delimiter": "\t", "skip_header": true,
			"type": "malware-distribution", "default_url_protocol": "http://", "type_translation": `{"a": "phishing"}`,
			"compose_fields": map[string]any{"source.url": "http://{0}"}, "filter_text": "x", "filter_type": "blacklist",
			"default_fields": map[string]any{"comment": "c"},
		}, []string{`delimiter   = "\t"`, `skip_lines  = 1`, `"source.ip|source.network"`, `type                 = "malware-distribution"`,
			`a = "phishing"`, `filter_type = "blacklist"`, `comment = "c"`, `"source.url" = "http://{0}"`,
			// IntelMQ re-encodes the row with commas whatever the delimiter.
			`raw                  = "header + csvLine(row, ',', newline)"`}},
		{"key value", moduleKeyValue, map[string]any{
			"keys": map[string]any{"srcip": "source.ip", "ts": "time.source"}, "kv_separator": ":", "strip_quotes": false,
		}, []string{`kv_separator = ":"`, `strip_quotes = false`, `keys         = ["srcip", "ts"]`, `record[\"srcip\"]`, `fromEpoch`}},
		{"html table", moduleHTMLTable, map[string]any{
			"columns": "time.source, source.url, extra.sbl, __IGNORE__", "ignore_values": ",,Not listed,",
			"attribute_name": "id", "attribute_value": "details", "table_index": "1", "split_column": "source.url",
			"split_separator": "[D]", "split_index": "1",
		}, []string{`attribute_name  = "id"`, `table_index     = 1`, `skip_head       = true`, `split_separator = "[D]"`,
			`split_index     = 1`, `time_format     = "fuzzy"`, `type            = "c2-server"`, `"", "", "Not listed", ""`,
			// A row from which nothing is added yields no event.
			`(get(row, 2) ?? \"\") in [\"\", \"Not listed\"]`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name, src, ok, err := Synthesize(&Case{Name: "x/y", Bot: tc.bot, Parameters: tc.params})
			if !ok || err != nil {
				t.Fatalf("Synthesize: ok %v, err %v", ok, err)
			}
			if name != "conformance/x/y.hcl" {
				t.Errorf("file name %q", name)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(src), w) {
					t.Errorf("the HCL lacks %q:\n%s", w, src)
				}
			}
			ps, err := compile(name, src)
			if err != nil {
				t.Fatalf("the HCL does not compile: %v\n%s", err, src)
			}
			if len(ps) != 1 || ps[0].IntelMQModule != tc.bot {
				t.Errorf("got %d parsers", len(ps))
			}
		})
	}
	if _, _, ok, _ := Synthesize(&Case{Bot: "intelmq.bots.parsers.dyn.parser"}); ok {
		t.Error("a code-driven module was synthesized")
	}
	if _, _, ok, err := Synthesize(&Case{Bot: moduleGenericCSV, Parameters: map[string]any{}}); !ok || err == nil {
		t.Error("generic CSV without columns: want an error")
	}
}

func TestPickByParameters(t *testing.T) {
	lib := []*plan.Parser{{Name: "json_splitlines"}, {Name: "json"}, {Name: "json_other"}}
	for _, tc := range []struct {
		params map[string]any
		want   string
	}{
		{map[string]any{}, "json"},
		{map[string]any{"splitlines": false}, "json"},
		{map[string]any{"splitlines": true}, "json_splitlines"},
		{map[string]any{"splitlines": "yes"}, "json"},
		{map[string]any{"other": true}, "json_other"},
	} {
		if got := pickByParameters(append([]*plan.Parser(nil), lib...), tc.params); got.Name != tc.want {
			t.Errorf("parameters %v: got %s, want %s", tc.params, got.Name, tc.want)
		}
	}
}

// writeCase writes a case file below dir/parsers.
func writeCase(t *testing.T, dir, name, body string) {
	t.Helper()
	p := filepath.Join(dir, "parsers", filepath.FromSlash(name)+".json")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// lineCase is a case for a key-value report "srcip=10.0.0.9" expecting ip.
func lineCase(ip string) string {
	return `{"bot": "` + moduleKeyValue + `", "parameters": {"keys": {"srcip": "source.ip"}},
 "input": [{"__type": "Report", "raw": "c3JjaXA9MTAuMC4wLjk="}],
 "expected": [{"path": "_default", "position": 0, "compare_raw": true,
   "message": {"__type": "Event", "source.ip": "` + ip + `", "raw": "c3JjaXA9MTAuMC4wLjk="}}],
 "output_counts": {"_default": 1}, "logged_errors": 0}`
}

func TestRunner(t *testing.T) {
	dir := t.TempDir()
	writeCase(t, dir, "kv/T.pass", lineCase("10.0.0.9"))
	writeCase(t, dir, "kv/T.fail", lineCase("10.0.0.8"))
	writeCase(t, dir, "kv/T.known", lineCase("10.0.0.7"))
	writeCase(t, dir, "kv/T.known_but_passes", lineCase("10.0.0.9"))
	writeCase(t, dir, "other/T.skip", `{"bot": "intelmq.bots.parsers.none.parser", "input": [], "expected": [], "output_counts": {}}`)
	cases, err := LoadParserCases(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{Compile: compile, Known: map[string]string{"kv/T.known": "on purpose", "kv/T.known_but_passes": "stale"}}
	want := map[string]Status{"kv/T.pass": Pass, "kv/T.fail": Fail, "kv/T.known": Known, "kv/T.known_but_passes": Fail, "other/T.skip": Skip}
	var sum Summary
	for _, c := range cases {
		res := r.Run(context.Background(), c)
		sum.Add(res)
		if res.Status != want[c.Name] {
			t.Errorf("%s: %s %v, want %s", c.Name, res.Status, res.Problems, want[c.Name])
		}
	}
	if got := sum.String(); got != "1 passed, 2 failed, 1 skipped, 1 known differences" {
		t.Errorf("summary %q", got)
	}
	if _, err := LoadParserCases(t.TempDir()); err == nil {
		t.Error("an empty corpus gave no error")
	}
}

// TestKnownDifferencesDocumented checks that every known difference has a
// reason and is explained in docs/differences.md, section "Parsers".
func TestKnownDifferencesDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "differences.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, parsers, ok := strings.Cut(string(doc), "\n## Parsers\n")
	if !ok {
		t.Fatal(`docs/differences.md has no "## Parsers" section`)
	}
	parsers, _, _ = strings.Cut(parsers, "\n## ")
	for name, reason := range KnownDifferences() {
		if reason == "" {
			t.Errorf("%s: a known difference without a reason", name)
		}
		if !strings.Contains(parsers, "`"+name+"`") {
			t.Errorf("%s is a known difference that docs/differences.md (Parsers) does not name", name)
		}
	}
}
