// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/compiler/plan"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// TestLineEnding checks the line ending against what Python's
// io.StringIO(text, newline="").newlines gives, as IntelMQ saves it.
func TestLineEnding(t *testing.T) {
	for text, want := range map[string]string{
		"a\nb\n":       "\n",
		"a\r\nb\r\n":   "\r\n",
		"a\rb":         "\r",
		"a\nb\r\nc":    "\r\n", // mixed
		"a\rb\n":       "\r\n", // mixed
		"no line end":  "\r\n", // none
		"":             "\r\n",
		"a\r\n\r\nb\r": "\r\n", // mixed
	} {
		if got := lineEnding(terminators(text, 0)); got != want {
			t.Errorf("lineEnding(%q) = %q, want %q", text, got, want)
		}
		var kinds uint8
		c := chunked(t, text, 4)
		for s, ok := c.next(); ok; s, ok = c.next() {
			kinds = terminators(s, kinds)
		}
		if got := lineEnding(kinds); got != want {
			t.Errorf("lineEnding(%q) in pieces = %q, want %q", text, got, want)
		}
	}
}

func TestHeaderText(t *testing.T) {
	for _, tc := range []struct{ prefix, newline, want string }{
		{"", "\n", ""},
		{"a,b\n", "\r\n", "a,b\r\n"},
		{"skipped\r\na,b\n", "\n", "skipped\na,b\n"},
		{"last line without end", "\n", "last line without end\n"},
	} {
		if got := headerText(tc.prefix, tc.newline); got != tc.want {
			t.Errorf("headerText(%q, %q) = %q, want %q", tc.prefix, tc.newline, got, tc.want)
		}
	}
}

// TestReaderComments checks that each line-based reader keeps its comment
// lines, stripped, when asked, and only then.
func TestReaderComments(t *testing.T) {
	text := "# one \n\n  # two\nx=1\n#three\r\ny=2\n"
	readers := map[string]func(keep bool) Reader{
		"csv": func(keep bool) Reader {
			r, _ := NewCSVReader(text, CSVOptions{Comments: []string{"#"}, KeepComments: keep})
			return r
		},
		"lines": func(keep bool) Reader {
			r, _ := NewLinesReader(text, LinesOptions{Comments: []string{"#"}, KeepComments: keep})
			return r
		},
		"kv": func(keep bool) Reader {
			r, _ := NewKVReader(text, KVOptions{Comments: []string{"#"}, KeepComments: keep})
			return r
		},
		"jsonlines": func(keep bool) Reader {
			r, _ := NewJSONLinesReader(text, JSONLinesOptions{Comments: []string{"#"}, KeepComments: keep})
			return r
		},
	}
	for name, newReader := range readers {
		for _, keep := range []bool{true, false} {
			r := newReader(keep)
			var got []string
			for {
				_, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				got = append(got, r.Comments())
			}
			want := []string{"# one\n# two", "# one\n# two\n#three"}
			if !keep {
				want = []string{"", ""}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s (keep %v): comments before each record (-want +got):\n%s", name, keep, diff)
			}
		}
	}
}

// textParser is a lines parser whose raw and extra.* fields show the
// variables of the report's text.
func textParser(t *testing.T, skip int) *plan.Parser {
	vars := append(stringVars("value", "header", "comments", "text", "newline", "line_end", "line"),
		plan.Var{Name: "report", Type: plan.VarMap})
	m := func(field, src string) *plan.Mapping {
		return &plan.Mapping{Fields: []string{field}, Value: compileExpr(t, src, vars, nil), Required: true}
	}
	return &plan.Parser{
		Name:     "text",
		Input:    plan.Input{Format: plan.FormatLines, Lines: &plan.LinesInput{Column: "value", Comment: []string{"#"}, SkipLines: skip}},
		Vars:     vars,
		TextVars: []string{"comments", "header", "line_end", "newline", "text"},
		Set:      []plan.Constant{constant(t, "classification.type", harmonization.String("blacklist"))},
		Map: []*plan.Mapping{
			m("source.fqdn", "value"),
			m("extra.comments", "comments"),
			m("extra.newline", "newline"),
			m("extra.line_end", "line_end"),
			m("extra.length", "len(text)"),
		},
		Raw: compileExpr(t, "header + line", vars, nil),
	}
}

func TestRunTextVariables(t *testing.T) {
	raw := "title\r\n# updated 2024\r\na.example\r\n# more\r\nb.example\r\n\r\n"
	res := run(t, textParser(t, 1), newReport(t, raw, nil))
	if res.Err != "" {
		t.Fatal(res.Err)
	}
	want := []map[string]any{
		{"classification.type": "blacklist", "source.fqdn": "a.example", "raw": b64("title\r\na.example"),
			"extra.comments": "# updated 2024", "extra.newline": "\r\n", "extra.line_end": "\r\n", "extra.length": float64(len(raw))},
		{"classification.type": "blacklist", "source.fqdn": "b.example", "raw": b64("title\r\nb.example"),
			"extra.comments": "# updated 2024\n# more", "extra.newline": "\r\n", "extra.length": float64(len(raw))},
	}
	if diff := cmp.Diff(want, res.Events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

// TestRunRawOverwriteReject checks a raw expression, an overwrite mapping
// and a reject condition.
func TestRunRawOverwriteReject(t *testing.T) {
	vars := append(stringVars("value", "line"), plan.Var{Name: "report", Type: plan.VarMap})
	p := &plan.Parser{
		Name:  "p",
		Input: plan.Input{Format: plan.FormatLines, Lines: &plan.LinesInput{Column: "value"}},
		Vars:  vars,
		Reject: []*plan.Reject{{When: compileExpr(t, "!(report['feed.url'] contains 'example')", vars, nil),
			Message: "Unknown feed", Origin: plan.Origin{File: "p.hcl", Line: 3, Column: 3}}},
		Set: []plan.Constant{constant(t, "classification.type", harmonization.String("blacklist"))},
		Map: []*plan.Mapping{
			{Fields: []string{"source.ip"}, Value: compileExpr(t, "value", vars, nil), Required: true},
			{Fields: []string{"feed.url"}, Value: compileExpr(t, "split(report['feed.url'], '?')[0]", vars, nil),
				Required: true, Overwrite: true},
		},
		Raw: compileExpr(t, "value == '192.0.2.2' ? 2 : upper(line)", vars, nil),
	}
	res := run(t, p, newReport(t, "192.0.2.1\n192.0.2.2\n", map[string]string{"feed.url": "https://example.com/l?key=secret"}))
	want := []map[string]any{{"classification.type": "blacklist", "source.ip": "192.0.2.1", "raw": b64("192.0.2.1"),
		"feed.url": "https://example.com/l"}}
	if diff := cmp.Diff(want, res.Events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if len(res.Bad) != 1 || !strings.Contains(res.Bad[0].Err, "the raw expression gave int, not a string") {
		t.Errorf("bad records = %+v, want the second with a raw that is no string", res.Bad)
	}

	res = run(t, p, newReport(t, "192.0.2.1\n", map[string]string{"feed.url": "https://other.org/"}))
	if res.Err != "report rejected: Unknown feed (reject at p.hcl:3:3)" || len(res.Events) != 0 {
		t.Errorf("a report of another feed gave %d events and the error %q", len(res.Events), res.Err)
	}
	x, _ := New(p)
	_, err := x.Run(t.Context(), newReport(t, "x\n", nil), nil, nil)
	var rej *RejectError
	if !errors.Is(err, ErrRejected) || !errors.As(err, &rej) || rej.Message != "Unknown feed" {
		t.Errorf("a report without feed.url: %v, want a *RejectError", err)
	}
}

// TestRunSpread checks that a spread map adds its entries, replacing the
// report's, ignoring __type, and that maps from fromPairs are accepted.
func TestRunSpread(t *testing.T) {
	for _, src := range []string{
		`{"source.ip": value, "feed.name": "from the record", "__type": "Event", "extra.n": 1}`,
		`fromPairs([["source.ip", value], ["feed.name", "from the record"], ["extra.n", 1]])`,
	} {
		vars := stringVars("value")
		p := &plan.Parser{
			Name:   "p",
			Input:  plan.Input{Format: plan.FormatLines, Lines: &plan.LinesInput{Column: "value"}},
			Vars:   vars,
			Spread: compileExpr(t, src, vars, nil),
			Set:    []plan.Constant{constant(t, "classification.type", harmonization.String("blacklist"))},
		}
		res := run(t, p, newReport(t, "192.0.2.1\nbad\n", map[string]string{"feed.name": "Feed"}))
		want := []map[string]any{{"classification.type": "blacklist", "source.ip": "192.0.2.1", "raw": b64("192.0.2.1"),
			"feed.name": "from the record", "extra.n": float64(1)}}
		if diff := cmp.Diff(want, res.Events); diff != "" {
			t.Errorf("%s: events (-want +got):\n%s", src, diff)
		}
		if len(res.Bad) != 1 || !strings.Contains(res.Bad[0].Err, `spread at`) {
			t.Errorf("%s: bad records = %+v, want the invalid address", src, res.Bad)
		}
	}
}

// TestValueOfAnyKeys checks that maps with keys of type any (expr's
// fromPairs) are added as JSON objects.
func TestValueOfAnyKeys(t *testing.T) {
	v, err := valueOf(map[any]any{"a": []any{map[any]any{"b": 1}}, 2: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := v.String(), `{"2":"x","a":[{"b":1}]}`; got != want {
		t.Errorf("valueOf = %s, want %s", got, want)
	}
}
