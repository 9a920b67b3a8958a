// SPDX-License-Identifier: AGPL-3.0-or-later

package pyjson

import (
	"errors"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"b": 1, "a": [1.5, 1E2, -0, 10.0, true, null], "c": "\u00e9\ud83d\ude00\f\u001e\u007f"}`,
			`{"b": 1, "a": [1.5, 100.0, 0, 10.0, true, null], "c": "\u00e9\ud83d\ude00\f\u001e\u007f"}`},
		{`{"a":1,"b":2,"a":3}`, `{"a": 3, "b": 2}`},
		{`[]`, `[]`},
		{`"x\"\\/"`, `"x\"\\/"`},
		{`123456789012345678901234567890`, `123456789012345678901234567890`},
		{` [NaN, Infinity, -Infinity, -0.0, 1e400, 2e-3 ] `, `[NaN, Infinity, -Infinity, -0.0, Infinity, 0.002]`},
		{`"\ud800x\udc00\ud83d\ude00\u00E9\/\b\t"`, `"\ufffdx\ufffd\ud83d\ude00\u00e9/\b\t"`},
		{`{"":{}}`, `{"": {}}`},
	}
	for _, tt := range tests {
		v, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%s): %v", tt.in, err)
			continue
		}
		if got := v.Dumps(); got != tt.want {
			t.Errorf("Dumps(Parse(%s)) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	deep := strings.Repeat("[", 1001) + strings.Repeat("]", 1001)
	for _, in := range []string{``, `{`, `[1,]`, `{"a":1} x`, `nul`, `01`, `1.`, `"a` + "\n" + `"`, `"\x"`,
		`"\u12"`, `{"a" 1}`, `{a:1}`, `[1 2]`, `-`, `"abc`, deep} {
		if _, err := Parse(in); !errors.Is(err, ErrSyntax) {
			t.Errorf("Parse(%q) error %v, want ErrSyntax", in, err)
		}
	}
}

func TestDictOrderAndTruth(t *testing.T) {
	v, err := Parse(`{"x": {}, "y": 0, "z": 0.0, "w": "", "v": [0], "u": "0"}`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"x": false, "y": false, "z": false, "w": false, "v": true, "u": true}
	for i, k := range v.Keys {
		if v.Items[i].Truth() != want[k] {
			t.Errorf("bool(%s) = %v", k, v.Items[i].Truth())
		}
	}
	v.Delete("y")
	v.Set("x", Str("new"))
	v.Set("t", Str("last"))
	if got := v.Dumps(); got != `{"x": "new", "z": 0.0, "w": "", "v": [0], "u": "0", "t": "last"}` {
		t.Errorf("after Delete and Set: %s", got)
	}
	if !(Value{Kind: Int, Num: "1"}).Equal(Value{Kind: Float, Num: "1.0"}) || Str("1").Equal(Value{Kind: Int, Num: "1"}) {
		t.Error("Equal does not follow Python's ==")
	}
}
