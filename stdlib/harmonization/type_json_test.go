// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestJSON(t *testing.T) {
	runTypeCases(t, TypeJSON, []typeCase{
		ok(S("5"), true, S("5")), // any JSON value
		ok(S(" 5 "), true, S("5")),
		ok(S(`{"b":1,"a":2}`), true, S(`{"b":1,"a":2}`)), // valid text is kept verbatim
		ok(S(`"x"`), true, S(`"x"`)),
		ok(S("NaN"), true, S("NaN")), // Python's json reads NaN and Infinity
		ok(S(`{"a":NaN}`), true, S(`{"a":NaN}`)),
		ok(S("-Infinity"), true, S("-Infinity")),
		ok(S(`"\ud800"`), true, S(`"\ud800"`)),
		ok(S("\t{}\n"), true, S("{}")),
		ok(S("not json"), false, S(`"not json"`)), // a JSON string literal
		ok(S(" not json "), false, S(`" not json "`)),
		ok(S("[1,"), false, S(`"[1,"`)),
		ok(S("01"), false, S(`"01"`)),
		ok(S("\u00e9"), false, S(`"\u00e9"`)),
		ok(S("\x01"), false, S(`"\u0001"`)),
		ok(S(`"`+"\x01"+`"`), false, S(`"\"\u0001\""`)), // a raw control character is not JSON
		ok(S(""), false, S(`""`)),
		ok(S("  "), false, S(`"  "`)),
		ok(Int(5), false, S("5")),
		ok(Int(0), false, S("0")),
		ok(Float(1.5), false, S("1.5")),
		ok(Float(1e16), false, S("1e+16")),
		ok(Float(math.Inf(1)), false, S("Infinity")),
		ok(Bool(true), false, S("true")),
		ok(RawJSON(`{"b": 1, "a": {"d": [1.0, "é"], "c": null}}`), false,
			S(`{"a": {"c": null, "d": [1.0, "\u00e9"]}, "b": 1}`)), // sorted, Python separators
		ok(RawJSON(`[]`), false, S("[]")),
		ok(RawJSON(`{"a":1,"a":2}`), false, S(`{"a": 2}`)),
		bad(RawJSON(`null`), false),
		bad(Value{}, false),
	})
}

func TestJSONDict(t *testing.T) {
	runTypeCases(t, TypeJSONDict, []typeCase{
		ok(S(`{"a":1}`), true, S(`{"a":1}`)),
		ok(S(` {"b":1,"a":2} `), true, S(`{"b":1,"a":2}`)), // kept verbatim, not re-sorted
		ok(S(`{"a":{}}`), true, S(`{"a":{}}`)),
		ok(S(`{"a": NaN}`), true, S(`{"a": NaN}`)),
		ok(S("{}"), false, S(`"{}"`)), // empty: encoded as a JSON string, which Validate rejects
		ok(S("{ }"), false, S(`"{ }"`)),
		ok(S("[1]"), false, S(`"[1]"`)),
		ok(S("abc"), false, S(`"abc"`)),
		ok(S("null"), false, S(`"null"`)),
		ok(RawJSON(`{"z": 1, "é": [true]}`), false, S(`{"z": 1, "\u00e9": [true]}`)),
		ok(RawJSON(`[1]`), false, S("[1]")),
		ok(Int(5), false, S("5")),
		bad(RawJSON(`{}`), false),
		bad(RawJSON(`[]`), false),
		bad(Int(0), false),
		bad(Bool(false), false),
		bad(S(""), false),
		bad(Value{}, false),
	})
}

// TestPyJSONLargeObject checks Python's dict semantics (first position, last
// value) for an object large enough to use the key index.
func TestPyJSONLargeObject(t *testing.T) {
	var in, want strings.Builder
	in.WriteString("{")
	want.WriteString("{")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&in, `"k%02d": %d, `, i, i)
		if i > 0 {
			want.WriteString(", ")
		}
		v := i
		if i == 3 {
			v = 99
		}
		fmt.Fprintf(&want, "'k%02d': %d", i, v)
	}
	in.WriteString(`"k03": 99}`)
	want.WriteString("}")
	if got := PyStr(RawJSON(in.String())); got != want.String() {
		t.Errorf("PyStr = %s\nwant   %s", got, want.String())
	}
}

func TestPyRepr(t *testing.T) {
	tests := []struct {
		in        Value
		repr, str string
	}{
		{S("1.2.3.4"), `'1.2.3.4'`, `1.2.3.4`},
		{S("it's"), `"it's"`, `it's`},
		{S(`it's "x"`), `'it\'s "x"'`, `it's "x"`},
		{S("a\nb\t\\\x00\x7f"), `'a\nb\t\\\x00\x7f'`, "a\nb\t\\\x00\x7f"},
		{S("é\u00a0\u2028😀"), `'é\xa0\u2028😀'`, "é\u00a0\u2028😀"},
		{Int(80), `80`, `80`},
		{Float(100), `100.0`, `100.0`},
		{Float(1e-5), `1e-05`, `1e-05`},
		{Bool(true), `True`, `True`},
		{Value{}, `None`, `None`},
		{RawJSON(`{"a": [1, 2.50, -0, 1E400], "b": {"c": null, "d": false}}`),
			`{'a': [1, 2.5, 0, inf], 'b': {'c': None, 'd': False}}`,
			`{'a': [1, 2.5, 0, inf], 'b': {'c': None, 'd': False}}`},
		{RawJSON(`{"b": 1, "a": 2, "b": 3}`), `{'b': 3, 'a': 2}`, `{'b': 3, 'a': 2}`},
	}
	for _, tt := range tests {
		if got := PyRepr(tt.in); got != tt.repr {
			t.Errorf("PyRepr(%s %s) = %s, want %s", tt.in.Kind(), tt.in.String(), got, tt.repr)
		}
		if got := PyStr(tt.in); got != tt.str {
			t.Errorf("PyStr(%s %s) = %s, want %s", tt.in.Kind(), tt.in.String(), got, tt.str)
		}
	}
}
