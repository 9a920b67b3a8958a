// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import "testing"

func TestString(t *testing.T) {
	runTypeCases(t, TypeString, []typeCase{
		ok(S("abc"), true, S("abc")),
		ok(S(" x "), true, S("x")), // leading/trailing space is valid despite IntelMQ's docstring
		ok(S("\u00a0x\u3000"), true, S("x")),
		ok(S("\x1cx\x1f"), true, S("x")), // Python's isspace includes 0x1c..0x1f
		ok(S("x\n"), true, S("x")),
		ok(S("  "), true, S("")), // stripped to "", which Validate rejects
		bad(S(""), false),
		ok(Int(5), false, S("5")),
		ok(Int(-1), false, S("-1")),
		bad(Int(0), false), // 0 is false in Python: sanitize returns None
		ok(Float(1.5), false, S("1.5")),
		ok(Float(1e16), false, S("1e+16")),
		bad(Float(0), false),
		ok(Bool(true), false, S("True")),
		bad(Bool(false), false),
		bad(Value{}, false),
		ok(RawJSON(`{"b": 1, "a": [1, 2.5, "x'\"", null, true]}`), false,
			S(`{'b': 1, 'a': [1, 2.5, 'x\'"', None, True]}`)),
		ok(RawJSON(`[1, "a"]`), false, S(`[1, 'a']`)),
		bad(RawJSON(`{}`), false),
		bad(RawJSON(`[]`), false),
		ok(S("ab\xffc"), true, S("abc")), // invalid UTF-8 is dropped, as IntelMQ decodes bytes
	})
}

func TestLowercaseString(t *testing.T) {
	runTypeCases(t, TypeLowercaseString, []typeCase{
		ok(S("abc"), true, S("abc")),
		ok(S("ABC"), false, S("abc")),
		ok(S(" MiXeD "), false, S("mixed")),
		ok(S(" x "), true, S("x")),
		ok(S("straße"), true, S("straße")),
		ok(S("İstanbul"), false, S("i\u0307stanbul")), // full case mapping
		ok(S("ΑΣ ΒΣ"), false, S("ας βς")),             // final sigma at the end of words
		ok(S("ΣΑ"), false, S("σα")),
		ok(S("Σ"), false, S("σ")),
		ok(S("ΑΣ'Α"), false, S("ασ'α")), // the apostrophe is case-ignorable
		ok(S("ǅ"), false, S("ǆ")),
		ok(S("\u212a"), false, S("k")), // Kelvin sign
		ok(S("  "), true, S("")),
		bad(S(""), false),
		bad(Int(5), false), // no lower() on an int
		bad(Bool(true), false),
		bad(RawJSON(`{"a": 1}`), false),
		bad(Value{}, false),
	})
}

func TestUppercaseString(t *testing.T) {
	runTypeCases(t, TypeUppercaseString, []typeCase{
		ok(S("ABC"), true, S("ABC")),
		ok(S("abc"), false, S("ABC")),
		ok(S("straße"), false, S("STRASSE")), // full case mapping
		ok(S("ﬁx"), false, S("FIX")),
		ok(S("ŉ"), false, S("\u02bcN")),
		ok(S("ᾳ"), false, S("ΑΙ")),
		ok(S("ı"), false, S("I")),
		ok(S("ſ"), false, S("S")),
		ok(S("µ"), false, S("Μ")),
		ok(S("1.2"), true, S("1.2")),
		ok(S(" de "), false, S("DE")),
		bad(S(""), false),
		bad(Int(1), false),
		bad(Value{}, false),
	})
}

func TestPyCaseHelpers(t *testing.T) {
	tests := []struct {
		in, lower, upper string
	}{
		{"", "", ""},
		{"Hello World", "hello world", "HELLO WORLD"},
		{"ß", "ß", "SS"},
		{"İ", "i\u0307", "İ"},
		{"ΟΔΟΣ ΟΔΟΣ.", "οδος οδος.", "ΟΔΟΣ ΟΔΟΣ."},
		{"Σ.Α", "σ.α", "Σ.Α"},
		{"ǰ", "ǰ", "J\u030c"},
	}
	for _, tt := range tests {
		if got := pyLower(tt.in); got != tt.lower {
			t.Errorf("pyLower(%q) = %q, want %q", tt.in, got, tt.lower)
		}
		if got := pyUpper(tt.in); got != tt.upper {
			t.Errorf("pyUpper(%q) = %q, want %q", tt.in, got, tt.upper)
		}
		if got, want := pyIsLower(tt.in), tt.in == tt.lower; got != want {
			t.Errorf("pyIsLower(%q) = %v, want %v", tt.in, got, want)
		}
		if got, want := pyIsUpper(tt.in), tt.in == tt.upper; got != want {
			t.Errorf("pyIsUpper(%q) = %v, want %v", tt.in, got, want)
		}
	}
}
