// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// Expected values printed by CPython 3.11: repr(s), json.dumps(s) and
// json.dumps(s, ensure_ascii=False), written here as Go literals.
func TestStringEncoders(t *testing.T) {
	tests := []struct{ in, repr, ascii, utf8 string }{
		{"", "''", "\"\"", "\"\""},
		{"plain", "'plain'", "\"plain\"", "\"plain\""},
		{"it's", "\"it's\"", "\"it's\"", "\"it's\""},
		{"say \"hi\"", "'say \"hi\"'", "\"say \\\"hi\\\"\"", "\"say \\\"hi\\\"\""},
		{"both ' and \"", "'both \\' and \"'", "\"both ' and \\\"\"", "\"both ' and \\\"\""},
		{"back\\slash", "'back\\\\slash'", "\"back\\\\slash\"", "\"back\\\\slash\""},
		{"\u0009\u000a\u000d\u0008\u000c\u0000\u001f\u007f", "'\\t\\n\\r\\x08\\x0c\\x00\\x1f\\x7f'", "\"\\t\\n\\r\\b\\f\\u0000\\u001f\\u007f\"", "\"\\t\\n\\r\\b\\f\\u0000\\u001f\u007f\""},
		{"\u00e9 \u00fc \u00df", "'\u00e9 \u00fc \u00df'", "\"\\u00e9 \\u00fc \\u00df\"", "\"\u00e9 \u00fc \u00df\""},
		{"\U0001f600", "'\U0001f600'", "\"\\ud83d\\ude00\"", "\"\U0001f600\""},
		{"\u2028\u2029", "'\\u2028\\u2029'", "\"\\u2028\\u2029\"", "\"\u2028\u2029\""},
		{"\u00a0\u00ad\u200b\ue000\U000e0001\u0085\u0378\u3000 \U0001f9ff", "'\\xa0\\xad\\u200b\\ue000\\U000e0001\\x85\\u0378\\u3000 \U0001f9ff'", "\"\\u00a0\\u00ad\\u200b\\ue000\\udb40\\udc01\\u0085\\u0378\\u3000 \\ud83e\\uddff\"", "\"\u00a0\u00ad\u200b\ue000\U000e0001\u0085\u0378\u3000 \U0001f9ff\""},
		// Not representable in Python: invalid UTF-8 is written as U+FFFD,
		// a WTF-8 lone surrogate as its escape.
		{"a\xffb", "'a\ufffdb'", "\"a\\ufffdb\"", "\"a\ufffdb\""},
		{"a\xed\xa0\x80b", "'a\\ud800b'", "\"a\\ud800b\"", "\"a\\ud800b\""},
	}
	for _, tt := range tests {
		if got := string(appendPyRepr(nil, tt.in)); got != tt.repr {
			t.Errorf("repr(%q) = %s, want %s", tt.in, got, tt.repr)
		}
		if got := string(appendJSONString(nil, tt.in, true)); got != tt.ascii {
			t.Errorf("json.dumps(%q) = %s, want %s", tt.in, got, tt.ascii)
		}
		if got := string(appendJSONString(nil, tt.in, false)); got != tt.utf8 {
			t.Errorf("json.dumps(%q, ensure_ascii=False) = %s, want %s", tt.in, got, tt.utf8)
		}
	}
}

// Expected values: CPython 3.11 repr(f).
func TestPyFloat(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{
		{0.0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{1.0, "1.0"},
		{100.0, "100.0"},
		{0.1, "0.1"},
		{0.0001, "0.0001"},
		{9.999e-05, "9.999e-05"},
		{1e-05, "1e-05"},
		{1e+16, "1e+16"},
		{9999999999999998.0, "9999999999999998.0"},
		{1.5e+300, "1.5e+300"},
		{5e-324, "5e-324"},
		{123456789.125, "123456789.125"},
		{2.5, "2.5"},
		{1000000000000000.0, "1000000000000000.0"},
		{-1e+22, "-1e+22"},
		{1.7976931348623157e+308, "1.7976931348623157e+308"},
		{0.30000000000000004, "0.30000000000000004"},
		{math.Inf(1), "inf"},
		{math.Inf(-1), "-inf"},
		{math.NaN(), "nan"},
	}
	for _, tt := range tests {
		if got := string(appendPyFloat(nil, tt.f)); got != tt.want {
			t.Errorf("repr(%v) = %s, want %s", tt.f, got, tt.want)
		}
		if got := harmonization.PyFloatRepr(tt.f); got != tt.want {
			t.Errorf("harmonization.PyFloatRepr(%v) = %s, want %s (the two must agree)", tt.f, got, tt.want)
		}
	}
	for f, want := range map[float64]string{math.Inf(1): "Infinity", math.Inf(-1): "-Infinity", 2.5: "2.5"} {
		if got := string(appendJSONFloat(nil, f)); got != want {
			t.Errorf("json.dumps(%v) = %s, want %s", f, got, want)
		}
	}
	if got := string(appendJSONFloat(nil, math.NaN())); got != "NaN" {
		t.Errorf("json.dumps(nan) = %s", got)
	}
}

// TestSortByKey checks the sort of AppendJSON and the hash against a plain
// string sort, on keys that share their first 8 bytes, are shorter than 8
// bytes or equal in part: all orders of them, many times shuffled.
func TestSortByKey(t *testing.T) {
	keys := []string{"source.ip", "source.port", "source.fqdn", "source", "sourc", "extra.a", "extra.ab",
		"extra", "feed.name", "feed.url", "raw", "a", "source.ipa", "source.i", "z", "extra.\u00e9", "extra.e"}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 2000; round++ {
		n := 1 + rng.IntN(len(keys))
		fields := make([]entry, n)
		for i, k := range rng.Perm(len(keys))[:n] {
			fields[i] = entry{key: keys[k]}
		}
		var got []string
		for _, k := range sortByKey(nil, fields) {
			got = append(got, fields[k.i].key)
		}
		want := make([]string, n)
		for i := range fields {
			want[i] = fields[i].key
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("sortByKey gave %q, want %q", got, want)
		}
	}
}

// TestKeyOrder checks that a KeyOrder sorts as sortByKey through a run of
// key lists that repeat the one before, reorder it, change one key, or
// split the same text differently ("ab", "c" after "a", "bc").
func TestKeyOrder(t *testing.T) {
	keys := []string{"source.ip", "source.port", "a", "ab", "b", "bc", "c", "abc", "extra.a", "raw", "z"}
	rng := rand.New(rand.NewPCG(3, 4))
	var o KeyOrder
	var fields []entry
	for round := 0; round < 5000; round++ {
		switch k := rng.IntN(5); {
		case k == 0 || len(fields) == 0:
			fields = nil
			for _, i := range rng.Perm(len(keys))[:1+rng.IntN(len(keys))] {
				fields = append(fields, entry{key: keys[i]})
			}
		case k == 1:
			fields = slices.Clone(fields)
			rng.Shuffle(len(fields), func(i, j int) { fields[i], fields[j] = fields[j], fields[i] })
		case k == 2:
			fields = slices.Clone(fields)
			fields[rng.IntN(len(fields))].key = keys[rng.IntN(len(keys))]
		case k == 3 && len(fields) >= 2:
			fields = []entry{{key: "ab"}, {key: "c"}}
			if rng.IntN(2) == 0 {
				fields = []entry{{key: "a"}, {key: "bc"}}
			}
		default: // the same keys again, in strings of their own
			fields = slices.Clone(fields)
			for i := range fields {
				fields[i].key = strings.Clone(fields[i].key)
			}
		}
		var got, want []string
		for _, k := range o.sorted(fields) {
			got = append(got, fields[k.i].key)
		}
		for _, k := range sortByKey(nil, fields) {
			want = append(want, fields[k.i].key)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: KeyOrder gave %q, want %q", round, got, want)
		}
	}
}

// TestPlainBitsChangeNothing checks that the plain bits only save work:
// every message of the decoder's corpus is written the same with them as
// with them cleared, in the wire form, as IntelMQ's JSON, and hashed.
func TestPlainBitsChangeNothing(t *testing.T) {
	for _, data := range decoderCorpus(t) {
		m := NewEvent(harmonization.Default())
		if m.DecodeInto(data) != nil {
			continue
		}
		wire, js, hash := m.AppendWire(nil), m.AppendJSON(nil), m.Hash(nil, false)
		for i := range m.fields {
			m.fields[i].plain = 0
		}
		if got := m.AppendWire(nil); string(got) != string(wire) {
			t.Errorf("wire form %s, with plain bits %s", got, wire)
		}
		if got := m.AppendJSON(nil); string(got) != string(js) {
			t.Errorf("JSON %s, with plain bits %s", got, js)
		}
		if got := m.Hash(nil, false); got != hash {
			t.Errorf("%s: hash %s, with plain bits %s", data, got, hash)
		}
	}
}
