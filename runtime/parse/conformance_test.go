// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// conformanceCase is the part of an IntelMQ conformance case file the
// generic CSV test uses.
type conformanceCase struct {
	Parameters map[string]any    `json:"parameters"`
	Input      []json.RawMessage `json:"input"`
	Expected   []struct {
		Path     string         `json:"path"`
		Position int            `json:"position"`
		Message  map[string]any `json:"message"`
	} `json:"expected"`
	OutputCounts map[string]int `json:"output_counts"`
	LoggedErrors int            `json:"logged_errors"`
}

// TestGenericCSVConformance runs IntelMQ's generic CSV parser test cases
// with the parameters lowered to a plan.Parser by hand, as the compiler
// lowers a port, and compares the events with IntelMQ's, except raw: IntelMQ
// re-serialises the row and prepends the header, this runtime keeps the
// record's exact text.
func TestGenericCSVConformance(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "conformance", "intelmq", "parsers", "generic", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no generic CSV cases found: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var c conformanceCase
			if err := json.Unmarshal(data, &c); err != nil {
				t.Fatal(err)
			}
			p := genericCSVParser(t, c.Parameters)
			var got []map[string]any
			bad := 0
			for _, in := range c.Input {
				report, err := message.Decode(nil, in)
				if err != nil {
					t.Fatalf("input: %v", err)
				}
				res := run(t, p, report)
				if res.Err != "" {
					t.Fatalf("run: %s", res.Err)
				}
				got = append(got, res.Events...)
				bad += len(res.Bad)
				for _, b := range res.Bad {
					t.Logf("bad record line %d: %s", b.Line, b.Err)
				}
			}
			if n := c.OutputCounts["_default"]; len(got) != n {
				t.Errorf("%d events, IntelMQ sent %d", len(got), n)
			}
			if bad != c.LoggedErrors {
				t.Errorf("%d bad records, IntelMQ logged %d errors", bad, c.LoggedErrors)
			}
			for _, e := range c.Expected {
				if e.Path != "_default" || e.Position >= len(got) {
					t.Errorf("expected event %d on %s is missing", e.Position, e.Path)
					continue
				}
				want := withoutKeys(e.Message, "raw", "__type")
				if diff := cmp.Diff(want, withoutKeys(got[e.Position], "raw")); diff != "" {
					t.Errorf("event %d (-IntelMQ +ours):\n%s", e.Position, diff)
				}
			}
		})
	}
}

// withoutKeys returns a copy of m without the keys.
func withoutKeys(m map[string]any, keys ...string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

// genericCSVParser lowers the parameters of IntelMQ's generic CSV parser.
func genericCSVParser(t *testing.T, params map[string]any) *plan.Parser {
	t.Helper()
	var columns []string
	switch c := params["columns"].(type) {
	case string:
		for _, s := range strings.Split(c, ",") {
			columns = append(columns, strings.TrimSpace(s))
		}
	case []any:
		for _, s := range c {
			columns = append(columns, s.(string))
		}
	}
	names := make([]string, len(columns))
	for i := range columns {
		names[i] = "c" + strconv.Itoa(i)
	}
	vars := append(stringVars(names...), plan.Var{Name: "row", Type: plan.VarStringList})
	in := &plan.CSVInput{Delimiter: ',', Quote: '"', Comment: []string{"#"}, Columns: names, LazyQuotes: true}
	if d, ok := params["delimiter"].(string); ok {
		in.Delimiter = []rune(d)[0]
	}
	switch s := params["skip_header"].(type) {
	case bool:
		if s {
			in.SkipLines = 1
		}
	case float64:
		in.SkipLines = int(s)
	}
	if text, ok := params["filter_text"].(string); ok && params["filter_type"] != nil {
		in.Filter = &plan.TextFilter{Text: text, Keep: params["filter_type"] == "whitelist"}
	}
	p := &plan.Parser{Input: plan.Input{Format: plan.FormatCSV, CSV: in}, Vars: vars}
	p.Convert.TimeFormat = "fuzzy"
	if f, ok := params["time_format"].(string); ok && f != "" {
		p.Convert.TimeFormat = f
	}
	p.Convert.DefaultURLProtocol = "http://"
	if s, ok := params["default_url_protocol"].(string); ok {
		p.Convert.DefaultURLProtocol = s
	}
	p.Convert.TypeTranslation = map[string]string{}
	switch tt := params["type_translation"].(type) {
	case string:
		if tt != "" {
			var m map[string]string
			if err := json.Unmarshal([]byte(tt), &m); err != nil {
				t.Fatal(err)
			}
			p.Convert.TypeTranslation = m
		}
	case map[string]any:
		for k, v := range tt {
			p.Convert.TypeTranslation[k] = v.(string)
		}
	}
	regexes := map[string]string{}
	if m, ok := params["column_regex_search"].(map[string]any); ok {
		for k, v := range m {
			regexes[k] = v.(string)
		}
	}
	dataTypes := map[string]string{}
	if s, ok := params["data_type"].(string); ok && s != "" {
		if err := json.Unmarshal([]byte(s), &dataTypes); err != nil {
			t.Fatal(err)
		}
	}
	required, _ := params["columns_required"].([]any)
	for i, col := range columns {
		if col == "__IGNORE__" || col == "" {
			continue
		}
		// As the compiler lowers IntelMQ's columns.
		m := &plan.Mapping{Fields: strings.Split(col, "|"), Value: compileExpr(t, fmt.Sprintf("get(row, %d)", i), vars, nil), Required: true}
		if required != nil {
			m.Required = required[i].(bool)
		}
		for _, f := range m.Fields {
			if re, ok := regexes[f]; ok {
				m.Extract = regexp.MustCompile(re)
			}
			if dataTypes[f] == "json" {
				m.DecodeJSON = true
			}
		}
		p.Map = append(p.Map, m)
	}
	if compose, ok := params["compose_fields"].(map[string]any); ok {
		for field, format := range compose {
			p.Map = append(p.Map, &plan.Mapping{Fields: []string{field}, Required: true,
				Value: compileExpr(t, pythonFormatExpr(format.(string)), vars, nil)})
		}
	}
	if typ, ok := params["type"].(string); ok && typ != "" {
		p.Convert.KeepUntranslated = true
		p.DefaultFields = append(p.DefaultFields, constant(t, "classification.type", harmonization.String(typ)))
	}
	if defaults, ok := params["default_fields"].(map[string]any); ok {
		for k, v := range defaults {
			val, err := harmonization.FromAny(v)
			if err != nil {
				t.Fatal(err)
			}
			p.DefaultFields = append(p.DefaultFields, constant(t, k, val))
		}
	}
	return p
}

// pythonFormatExpr turns a format string such as "http://{0}{1}" into the
// expression "http://" + row[0] + row[1].
func pythonFormatExpr(format string) string {
	parts := regexp.MustCompile(`\{(\d+)\}`).Split(format, -1)
	idx := regexp.MustCompile(`\{(\d+)\}`).FindAllStringSubmatch(format, -1)
	var terms []string
	for i, part := range parts {
		if part != "" {
			terms = append(terms, strconv.Quote(part))
		}
		if i < len(idx) {
			terms = append(terms, fmt.Sprintf("row[%s]", idx[i][1]))
		}
	}
	return strings.Join(terms, " + ")
}
