// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

func TestDecodeErrors(t *testing.T) {
	deep := strings.Repeat("[", 1001) + strings.Repeat("]", 1001)
	tests := []struct {
		name, in string
		offset   int
		reason   string
	}{
		{"empty", ``, 0, "expected a JSON object"},
		{"missing value", `{"comment": }`, 12, "invalid value"},
		{"missing colon", `{"comment" "x"}`, 11, "expected ':'"},
		{"unterminated", `{"comment": "x`, 12, "unterminated string"},
		{"bad literal", `{"extra.a": tru}`, 12, "invalid value"},
		{"bad number", `{"extra.a": -x}`, 12, "invalid value"},
		{"bad number tail", `{"extra.a": 1., "__type": "Event"}`, 13, "expected ',' or '}'"},
		{"nested bad", `{"extra.a": [1, {"b" 2}]}`, 21, "expected ':'"},
		{"bad unicode escape", `{"comment": "\u12g4"}`, 13, `invalid \u escape`},
		{"invalid UTF-8", "{\"comment\": \"a\xc3\"}", 14, "invalid UTF-8"},
		{"type not a string", `{"__type": 1}`, 11, `"__type" must be`},
		{"type Message", `{"__type": "Message"}`, 11, `"__type" must be`},
		{"missing type", `{"comment": "x"}`, 0, `missing "__type"`},
		{"too deep", `{"extra.a": ` + deep + `, "__type": "Event"}`, 1012, "nesting too deep"},
		{"trailing data", `{"__type": "Event"}x`, 19, "extra data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(nil, []byte(tt.in))
			de, ok := err.(*DecodeError)
			if !ok {
				t.Fatalf("error = %v (%T), want *DecodeError", err, err)
			}
			if de.Offset != tt.offset || !strings.Contains(de.Reason, tt.reason) {
				t.Errorf("error = %v; want offset %d and %q", de, tt.offset, tt.reason)
			}
		})
	}
}

func TestDecodeVariants(t *testing.T) {
	s := harmonization.Default()
	if _, err := Decode(s, []byte(`{"feed.name": "x"}`)); errKind(err) != "Decode" {
		t.Errorf("Decode without __type: %v", err)
	}
	r, err := DecodeDefault(s, []byte(`{"feed.name": "x"}`), harmonization.Report)
	if err != nil || r.Type() != harmonization.Report || r.GetString("feed.name") != "x" {
		t.Fatalf("DecodeDefault = %v, %v", r, err)
	}
	// An explicit __type wins over the default.
	if e, err := DecodeDefault(s, []byte(`{"__type": "Event"}`), harmonization.Report); err != nil || e.Type() != harmonization.Event {
		t.Errorf("DecodeDefault with __type = %v, %v", e, err)
	}
	// Escaped keys, escaped values, any order, duplicates (also of __type).
	m, err := Decode(s, []byte(`{"__type":"Foo","feed\u002ename":"a\/b","comment":"x","feed.name":"\u00e9","__type":"Event"}`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]kv{{"feed.name", str("é")}, {"comment", str("x")}}, fieldsOf(m), valueEq()); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

func TestDecodeInto(t *testing.T) {
	m := NewEvent(nil)
	first := []byte(`{"comment": "one", "extra.l": [1,2], "__type": "Event"}`)
	if err := m.DecodeInto(first); err != nil {
		t.Fatal(err)
	}
	kept, _ := m.Get("extra.l")
	copy(first, strings.Repeat("#", len(first))) // the caller reuses its buffer
	if err := m.DecodeInto([]byte(`{"__type": "Report", "feed.name": "two"}`)); err != nil {
		t.Fatal(err)
	}
	if m.Type() != harmonization.Report || m.String() != `{"feed.name": "two", "__type": "Report"}` {
		t.Errorf("second decode: %s", m)
	}
	if !kept.Equal(raw("[1, 2]")) {
		t.Errorf("a value of the first message changed: %v", kept)
	}
	if err := m.DecodeIntoDefault([]byte(`{"comment": "three"}`), harmonization.Event); err != nil || m.Type() != harmonization.Event {
		t.Errorf("DecodeIntoDefault: %v, %v", err, m.Type())
	}
	if err := m.DecodeInto([]byte(`{"source.foo": "x", "__type": "Event"}`)); errKind(err) != "InvalidKey" {
		t.Errorf("unknown key: %v", err)
	}
}

func TestAppendWireBuilt(t *testing.T) {
	m := NewEvent(nil)
	for _, f := range []kv{{"feed.name", str("Feed \"x\" é")}, {"extra.i", num(-7)}, {"extra.f", flt(100)}, {"extra.t", boo(false)},
		{"extra.j", raw(`{"b":[1,{"c":null}],"a":1e2}`)}} {
		if err := m.Add(f.Key, f.Val); err != nil {
			t.Fatal(err)
		}
	}
	// Python: json.dumps({"feed.name": 'Feed "x" é', "extra.i": -7, "extra.f": 100.0, "extra.t": False,
	//   "extra.j": {"b": [1, {"c": None}], "a": 100.0}, "__type": "Event"})
	want := `prefix {"feed.name": "Feed \"x\" \u00e9", "extra.i": -7, "extra.f": 100.0, "extra.t": false, ` +
		`"extra.j": {"b": [1, {"c": null}], "a": 100.0}, "__type": "Event"}`
	if got := string(m.AppendWire([]byte("prefix "))); got != want {
		t.Errorf("AppendWire:\n got %s\nwant %s", got, want)
	}
	if got := NewReport(nil).String(); got != `{"__type": "Report"}` {
		t.Errorf("empty report: %s", got)
	}
}
