// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPythonFuncs(t *testing.T) {
	runCases(t, []exprCase{
		{src: `pyJSON({"b": 1, "a": ["x", nil, true]})`, want: `{"a": ["x", null, true], "b": 1}`},
		{src: `pyJSON(rec.list)`, want: `["a", "b"]`},
		{src: `pyJSON(strings)`, want: `{"bot": "infected-system"}`},
		{src: `pyJSON(rec.num)`, want: `3.0`},
		{src: `pyJSON(nil)`, want: `null`},
		{src: `pyJSONText(rec.json)`, want: `{"a": {"b": [1, {"c": "deep"}]}, "n": 12, "f": 1.5}`},
		{src: `pyJSONText('{"z": 1, "a": {"y": -0, "x": 1E2}, "z": 2, "s": "\u00fc"}')`, want: `{"z": 2, "a": {"y": 0, "x": 100.0}, "s": "\u00fc"}`},
		{src: `pyJSONText('{"a": 1')`, err: "argument 1: invalid JSON"},
		{src: `pyJSONText('1 2')`, err: "argument 1: invalid JSON: invalid character"},
		{src: `pyJSONText(rec.num)`, err: "argument 1: want a string, got a float"},
		{src: `'[' + pyJSONText('{"ip": "192.0.2.1", "port": 80}') + ']'`, want: `[{"ip": "192.0.2.1", "port": 80}]`},

		{src: `pyRepr({"k": "v", "n": nil, "l": [true, 1.5, 2]})`, want: `{'k': 'v', 'l': [True, 1.5, 2], 'n': None}`},
		{src: `pyReprText('{"Indicator": "10.0.0.1", "Description": "IP C2"}')`, want: `{'Indicator': '10.0.0.1', 'Description': 'IP C2'}`},
		{src: `pyReprText('{"k": "v", "a": {"b": [1, 2.0]}}')`, want: `{'k': 'v', 'a': {'b': [1, 2.0]}}`},
		{src: `pyReprText('[')`, err: "argument 1: invalid JSON"},

		{src: `csvLine(["a", "b,c", "d\"e"])`, want: "a,\"b,c\",\"d\"\"e\"\r\n"},
		{src: `csvLine(["a b", "x"], " ", "\n")`, want: "\"a b\" x\n"},
		{src: `csvLine(["a\rb", "c\nd"], ",", "\n")`, want: "a\rb,\"c\nd\"\n"},
		{src: `csvLine([""])`, want: "\"\"\r\n"},
		{src: `csvLine(["", ""], ",", "")`, want: ","},
		{src: `csvLine([nil, 1, 1.5, true])`, want: ",1,1.5,True\r\n"},
		{src: `csvLine(rec.list, "\t", "\n")`, want: "a\tb\n"},
		{src: `csvLine(["a"], "::")`, err: `argument 2: the delimiter must be one character, got "::"`},
		{src: `csvLine(rec.str)`, err: "argument 1: want a list, got a string"},
	})
}

// TestPythonFormats checks the writers against what Python 3.11 prints
// for the same values.
func TestPythonFormats(t *testing.T) {
	value := map[string]any{"b": 1, "a": []any{1.5, nil, true, "é\u2028\U0001F600\x7f\"\\\n"},
		"c": 1e-5, "d": 1e16, "e": 2.0}
	got, err := pyJSON(value)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"a": [1.5, null, true, "\u00e9\u2028\ud83d\ude00\u007f\"\\\n"], "b": 1, "c": 1e-05, "d": 1e+16, "e": 2.0}`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pyJSON (-python +got):\n%s", diff)
	}
	text := `{"Indicator": "it's", "D": "a\"b", "E": "both'\"", "n": null, "l": [true, 1.5, 2], ` +
		`"u": "é\u200b\u0085\ud83d\ude00\t"}`
	got, err = pyReprText(text)
	if err != nil {
		t.Fatal(err)
	}
	want = `{'Indicator': "it's", 'D': 'a"b', 'E': 'both\'"', 'n': None, 'l': [True, 1.5, 2], 'u': 'é\u200b\x85😀\t'}`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pyReprText (-python +got):\n%s", diff)
	}
	if _, err := pyJSON(struct{}{}); err == nil {
		t.Error("pyJSON accepted a struct")
	}
}

func TestMapFuncs(t *testing.T) {
	runCases(t, []exprCase{
		{src: `renameKeys({"feed.name": "x", "source.ip": "192.0.2.1"}, {"feed.name": "extra.feed_name"})`,
			want: map[string]any{"extra.feed_name": "x", "source.ip": "192.0.2.1"}},
		{src: `renameKeys(strings, {"bot": "b"})`, want: map[string]any{"b": "infected-system"}},
		{src: `renameKeys(rec.missing, {})`, want: nil},
		{src: `renameKeys({"a": 1, "b": 2}, {"a": "b"})`, err: `argument 2: the keys "a" and "b" both become "b"`},
		{src: `renameKeys({"a": 1}, {"a": 2})`, err: `argument 2: the new name of "a" is an integer, not a string`},
		{src: `renameKeys(rec.list, {})`, err: "argument 1: want a map with string keys, got a list"},
	})
}
