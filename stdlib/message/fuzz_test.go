// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"testing"
	"unicode/utf8"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// roundTrip checks that the wire form of m decodes to an equal message whose
// wire form is the same, and that the other encoders produce valid JSON.
// Reading drops what IntelMQ drops (ignored values from a flattened extra)
// and rejects keys the schema does not allow (uppercase extra members),
// exactly as Python IntelMQ would.
func roundTrip(t *testing.T, m *Message) {
	t.Helper()
	wire := m.AppendWire(nil)
	for _, out := range [][]byte{wire, m.AppendJSON(nil), m.AppendJSONWith(nil, JSONOptions{Hierarchical: true, WithType: true}),
		m.AppendJSONWith(nil, JSONOptions{JSONDictAsString: true})} {
		if !pyJSONValid(out) {
			t.Fatalf("invalid JSON output: %q", out)
		}
	}
	if len(m.Hash(nil, false)) != 64 {
		t.Fatal("bad hash")
	}
	if v, ok := m.Get("extra"); ok && !pyJSONValid([]byte(v.Str())) {
		t.Fatalf(`Get("extra") is not JSON: %q`, v.Str())
	}
	lossy, invalid := false, false
	m.Range(func(k string, v harmonization.Value) bool {
		if _, err := m.Schema().Field(m.Type(), k); err != nil {
			invalid = true
		}
		lossy = lossy || isIgnored(v) || (v.Kind() == harmonization.KindJSON && v.Str() == "null")
		return true
	})
	m2, err := Decode(m.Schema(), wire)
	if err != nil {
		if !invalid {
			t.Fatalf("re-decoding %s: %v", wire, err)
		}
		return
	}
	if !lossy && !m2.Equal(m) {
		t.Fatalf("round trip changed the message:\n%s\n%s", wire, m2.AppendWire(nil))
	}
	wire2 := m2.AppendWire(nil)
	m3, err := Decode(m.Schema(), wire2)
	if err != nil || !m3.Equal(m2) || string(m3.AppendWire(nil)) != string(wire2) {
		t.Fatalf("no fixpoint after one round trip: %s: %v", wire2, err)
	}
}

// pyJSONValid reports whether b is one JSON value as Python's json.loads
// reads it (NaN and Infinity included).
func pyJSONValid(b []byte) bool {
	s := string(b)
	end, err := skipValue(s, skipWS(s, 0), 0)
	return err == nil && skipWS(s, end) == len(s) && utf8.ValidString(s)
}

func FuzzDecode(f *testing.F) {
	for _, gc := range loadGolden(f) {
		f.Add([]byte(gc.Wire))
	}
	for _, s := range []string{
		`{"__type": "Event"}`, `{"extra": "{\"a\": null, \"B\": 1}", "__type": "Event"}`,
		`{"extra.a": [1, {"b": 1, "b": 2.0}], "extra.n": -0, "extra.f": 1E400, "__type": "Report"}`,
		`{"comment": "\ud800\udc00\ud800", "__type": "Event", "comment": "x"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(harmonization.Default(), data)
		if err != nil {
			if m != nil {
				t.Fatal("a message and an error")
			}
			return
		}
		roundTrip(t, m)
	})
}

func FuzzAdd(f *testing.F) {
	f.Add("comment", uint8(1), "x", int64(0), 0.0, false, uint8(0), false)
	f.Add("extra", uint8(1), `{"a": 1, "b": ""}`, int64(0), 0.0, false, uint8(2), false)
	f.Add("extra.x", uint8(5), `[1, {"a": "\u00e9"}]`, int64(0), 0.0, false, uint8(0), true)
	f.Add("source.port", uint8(2), "", int64(443), 0.0, false, uint8(1), false)
	f.Add("feed.accuracy", uint8(3), "", int64(0), 99.5, false, uint8(0), false)
	f.Add("source.tor_node", uint8(4), "", int64(0), 0.0, true, uint8(0), true)
	f.Add("classification.type", uint8(1), " C&C ", int64(0), 0.0, false, uint8(2), false)
	f.Fuzz(func(t *testing.T, key string, kind uint8, s string, n int64, fl float64, b bool, ow uint8, noSanitize bool) {
		var v harmonization.Value
		switch kind % 6 {
		case 1:
			v = harmonization.String(s)
		case 2:
			v = harmonization.Int(n)
		case 3:
			v = harmonization.Float(fl)
		case 4:
			v = harmonization.Bool(b)
		case 5:
			v = harmonization.RawJSON(s)
		}
		m := NewEvent(nil)
		for _, f := range []kv{{"comment", str("c")}, {"extra.a", num(1)}} {
			if err := m.Add(f.Key, f.Val); err != nil {
				t.Fatal(err)
			}
		}
		before := m.Clone()
		opts := AddOptions{Overwrite: Overwrite(ow % 3), NoSanitize: noSanitize}
		added, err := m.AddWith(key, v, opts)
		switch {
		case err != nil && added:
			t.Fatal("added and an error")
		case err != nil && !m.Equal(before):
			t.Fatalf("a failed add changed the message: %s", m)
		case added && !m.Has(key) && !m.isDictParent(key):
			t.Fatalf("added %q but it is not set", key)
		}
		roundTrip(t, m)
	})
}
