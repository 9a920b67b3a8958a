// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

func sample(t *testing.T) *Message {
	return newEvent(t, kv{"feed.name", str("F")}, kv{"extra.b", num(1)}, kv{"comment", str("c")},
		kv{"extra.a", raw(`{"x": [1, "\u00e9"]}`)}, kv{"extra.c.d", boo(true)})
}

func TestAccessors(t *testing.T) {
	m := sample(t)
	if m.Type() != harmonization.Event || m.Schema() != harmonization.Default() || m.Len() != 5 {
		t.Fatalf("Type, Schema, Len = %v, %p, %d", m.Type(), m.Schema(), m.Len())
	}
	for key, want := range map[string]bool{"feed.name": true, "extra": true, "extra.b": true, "extra.c": false,
		"extra.c.d": true, "source.ip": false, "feed": false, "no.key": false} {
		if got := m.Has(key); got != want {
			t.Errorf("Has(%q) = %v, want %v", key, got, want)
		}
	}
	if v, ok := m.Get("comment"); !ok || !v.Equal(str("c")) {
		t.Errorf("Get(comment) = %v, %v", v, ok)
	}
	if _, ok := m.Get("source.ip"); ok {
		t.Error("Get(source.ip) found a value")
	}
	// msg["extra"] in IntelMQ: json.dumps of the hierarchical extra object.
	if v, ok := m.Get("extra"); !ok || !v.Equal(str(`{"b": 1, "a": {"x": [1, "\u00e9"]}, "c": {"d": true}}`)) {
		t.Errorf(`Get("extra") = %v, %v`, v, ok)
	}
	if got := m.GetString("feed.name") + m.GetString("extra.b") + m.GetString("nope"); got != "F" {
		t.Errorf("GetString = %q", got)
	}
	if diff := cmp.Diff([]string{"comment", "extra.a", "extra.b", "extra.c.d", "feed.name"}, m.Keys()); diff != "" {
		t.Errorf("Keys (-want +got):\n%s", diff)
	}
	var seen []string
	m.Range(func(k string, _ harmonization.Value) bool {
		seen = append(seen, k)
		return len(seen) < 2
	})
	if diff := cmp.Diff([]string{"feed.name", "extra.b"}, seen); diff != "" {
		t.Errorf("Range stops early (-want +got):\n%s", diff)
	}
}

func TestCloneResetEqual(t *testing.T) {
	m := sample(t)
	c := m.Clone()
	if !c.Equal(m) || c.Type() != m.Type() {
		t.Fatal("clone differs")
	}
	if err := c.Set("comment", str("changed")); err != nil {
		t.Fatal(err)
	}
	if c.Equal(m) || m.GetString("comment") != "c" {
		t.Error("changing the clone changed the original")
	}
	// Equal ignores order, like Python dicts.
	a := newEvent(t, kv{"comment", str("c")}, kv{"feed.name", str("F")})
	b := newEvent(t, kv{"feed.name", str("F")}, kv{"comment", str("c")})
	if !a.Equal(b) {
		t.Error("Equal depends on order")
	}
	if r := NewReport(nil); r.Equal(NewEvent(nil)) {
		t.Error("an empty Report equals an empty Event")
	}
	before := cap(m.fields)
	m.Reset()
	if m.Len() != 0 || m.Has("extra") || cap(m.fields) != before {
		t.Errorf("after Reset: Len %d, cap %d (was %d)", m.Len(), cap(m.fields), before)
	}
	if err := m.AddString("comment", "again"); err != nil || m.String() != `{"comment": "again", "__type": "Event"}` {
		t.Errorf("reuse after Reset: %v, %s", err, m)
	}
}

func TestResetTo(t *testing.T) {
	tmpl := newEvent(t, kv{"feed.name", str("F")}, kv{"comment", str("c")})
	m := NewReport(nil)
	steps := []struct {
		name   string
		change func(m *Message) error
	}{
		{"fields added", func(m *Message) error { return m.AddString("source.ip", "192.0.2.1") }},
		{"a template field replaced", func(m *Message) error { return m.Set("comment", str("other")) }},
		{"a template field deleted and added again", func(m *Message) error {
			m.Delete("feed.name")
			return m.AddString("feed.name", "F")
		}},
		{"extra added", func(m *Message) error { return m.Add("extra", str(`{"a": 1, "b": 2}`)) }},
		{"nothing", func(*Message) error { return nil }},
	}
	for _, s := range steps {
		m.ResetTo(tmpl)
		if m.Type() != tmpl.Type() || m.String() != tmpl.String() || m.Has("source.ip") || m.Has("extra") {
			t.Fatalf("before %s: copy = %s, want %s", s.name, m, tmpl)
		}
		if err := s.change(m); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if tmpl.Len() != 2 || tmpl.GetString("comment") != "c" || tmpl.Has("source.ip") {
			t.Fatalf("%s changed the template: %s", s.name, tmpl)
		}
	}
	m.ResetTo(tmpl)
	if m.String() != tmpl.String() {
		t.Errorf("last copy = %s, want %s", m, tmpl)
	}
	tmpl.ResetTo(tmpl)
	if tmpl.Len() != 2 {
		t.Errorf("ResetTo itself changed the message: %s", tmpl)
	}
}

func TestDelete(t *testing.T) {
	tests := []struct {
		key  string
		ok   bool
		want []string
	}{
		{"comment", true, []string{"feed.name", "extra.b", "extra.a", "extra.c.d"}},
		{"extra", true, []string{"feed.name", "comment"}},
		{"extra.b", true, []string{"feed.name", "comment", "extra.a", "extra.c.d"}},
		{"extra.c", false, []string{"feed.name", "extra.b", "comment", "extra.a", "extra.c.d"}},
		{"source.ip", false, []string{"feed.name", "extra.b", "comment", "extra.a", "extra.c.d"}},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			m := sample(t)
			if got := m.Delete(tt.key); got != tt.ok {
				t.Errorf("Delete = %v, want %v", got, tt.ok)
			}
			var keys []string
			for _, f := range fieldsOf(m) {
				keys = append(keys, f.Key)
			}
			if diff := cmp.Diff(tt.want, keys); diff != "" {
				t.Errorf("keys (-want +got):\n%s", diff)
			}
		})
	}
	if m := newEvent(t); m.Delete("extra") {
		t.Error(`Delete("extra") on an empty message reported a removal`)
	}
}

func TestEventFromReport(t *testing.T) {
	report := []kv{{"raw", str("Cg==")}, {"extra.file_name", str("a.csv")}, {"feed.url", str("https://example.com/x")},
		{"extra.other", num(1)}, {"feed.name", str("Feed")}, {"time.observation", str("2020-01-01T00:00:00+00:00")},
		{"feed.accuracy", flt(90)}, {"rtir_id", num(7)}, {"feed.provider", str("P")}, {"feed.code", str("code")}}
	inherited := []kv{{"feed.accuracy", flt(90)}, {"feed.code", str("code")}, {"feed.name", str("Feed")},
		{"feed.provider", str("P")}, {"feed.url", str("https://example.com/x")}, {"rtir_id", num(7)},
		{"time.observation", str("2020-01-01T00:00:00+00:00")}}
	tests := []struct {
		name  string
		extra []kv // more report fields
		copy  []string
		want  []kv // after the inherited ones
	}{
		{name: "the eight keys in IntelMQ's order"},
		{name: "copy_collector_provided_fields", copy: []string{"extra.file_name", "extra.missing", "feed.name", "raw"},
			want: []kv{{"extra.file_name", str("a.csv")}, {"raw", str("Cg==")}}},
		{name: "all of extra", copy: []string{"extra"},
			want: []kv{{"extra.file_name", str("a.csv")}, {"extra.other", num(1)}}},
		{name: "nested extra arrives one level deep", extra: []kv{{"extra.n.x", num(2)}}, copy: []string{"extra"},
			want: []kv{{"extra.file_name", str("a.csv")}, {"extra.other", num(1)}, {"extra.n", raw(`{"x": 2}`)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReport(nil)
			for _, f := range append(append([]kv(nil), report...), tt.extra...) {
				if err := r.addTwice(f.Key, f.Val, OverwriteDefault); err != nil {
					t.Fatal(err)
				}
			}
			ev := EventFromReport(r, tt.copy)
			if ev.Type() != harmonization.Event || ev.Schema() != r.Schema() {
				t.Fatalf("type %v", ev.Type())
			}
			want := append(append([]kv(nil), inherited...), tt.want...)
			if diff := cmp.Diff(want, fieldsOf(ev), valueEq()); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}
