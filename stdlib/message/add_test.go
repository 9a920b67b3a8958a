// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// errKind names the typed error a test expects ("" for none).
func errKind(err error) string {
	var (
		ik *InvalidKeyError
		iv *InvalidValueError
		ke *KeyExistsError
		kn *KeyNotExistsError
		de *DecodeError
	)
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ik):
		return "InvalidKey"
	case errors.As(err, &iv):
		return "InvalidValue"
	case errors.As(err, &ke):
		return "KeyExists"
	case errors.As(err, &kn):
		return "KeyNotExists"
	case errors.As(err, &de):
		return "Decode"
	}
	return "other: " + err.Error()
}

// The steps of IntelMQ's add (INTELMQ-SEMANTICS §2.2), one or more cases
// each. Only String fields, extra.* and length/regex constraints are used,
// which behave the same whatever the field types do.
func TestAddWith(t *testing.T) {
	long := strings.Repeat("x", 101)
	tests := []struct {
		name      string
		setup     []kv
		key       string
		val       harmonization.Value
		opts      AddOptions
		wantAdded bool
		wantErr   string
		errHas    []string // substrings of the error text
		want      []kv
	}{
		{name: "new key", key: "feed.name", val: str("Feed"), wantAdded: true,
			want: []kv{{"feed.name", str("Feed")}}},
		// Step 1: overwrite=None on an existing key.
		{name: "1 default overwrite existing", setup: []kv{{"feed.name", str("a")}}, key: "feed.name", val: str("b"),
			wantErr: "KeyExists", errHas: []string{`"feed.name"`}, want: []kv{{"feed.name", str("a")}}},
		{name: "1 KeyExists before the ignore check", setup: []kv{{"feed.name", str("a")}}, key: "feed.name", val: str(""),
			wantErr: "KeyExists", want: []kv{{"feed.name", str("a")}}},
		{name: "1 extra exists through a sub-key", setup: []kv{{"extra.a", num(1)}}, key: "extra", val: str(`{"b": 2}`),
			wantErr: "KeyExists", want: []kv{{"extra.a", num(1)}}},
		// Step 2: overwrite=False.
		{name: "2 overwrite no keeps", setup: []kv{{"feed.name", str("a")}}, key: "feed.name", val: str("b"),
			opts: AddOptions{Overwrite: OverwriteNo}, want: []kv{{"feed.name", str("a")}}},
		{name: "2 overwrite no before ignored", setup: []kv{{"feed.name", str("a")}}, key: "feed.name", val: str("-"),
			opts: AddOptions{Overwrite: OverwriteNo}, want: []kv{{"feed.name", str("a")}}},
		{name: "2 overwrite no on new key adds", key: "feed.name", val: str("b"),
			opts: AddOptions{Overwrite: OverwriteNo}, wantAdded: true, want: []kv{{"feed.name", str("b")}}},
		// Step 3: ignored values.
		{name: "3 empty string ignored", key: "feed.name", val: str("")},
		{name: "3 dash ignored", key: "feed.name", val: str("-")},
		{name: "3 N/A ignored", key: "feed.name", val: str("N/A")},
		{name: "3 None ignored", key: "feed.name", val: harmonization.Value{}},
		{name: "3 JSON null is None", key: "extra.n", val: raw(" null ")},
		{name: "3 zero and false are not ignored", key: "extra.z", val: num(0), wantAdded: true,
			want: []kv{{"extra.z", num(0)}}},
		{name: "3 ignored value deletes with overwrite", setup: []kv{{"feed.name", str("a")}, {"comment", str("c")}},
			key: "feed.name", val: str("N/A"), opts: AddOptions{Overwrite: OverwriteYes}, want: []kv{{"comment", str("c")}}},
		{name: "3 ignored value deletes all extra", setup: []kv{{"extra.a", num(1)}, {"comment", str("c")}, {"extra.b", num(2)}},
			key: "extra", val: str(""), opts: AddOptions{Overwrite: OverwriteYes}, want: []kv{{"comment", str("c")}}},
		{name: "3 ignored before key validation", key: "no.such.key", val: str("")},
		// Step 4: key validation, not suppressed by NoRaise.
		{name: "4 unknown key", key: "source.foo", val: str("x"), opts: AddOptions{NoRaise: true},
			wantErr: "InvalidKey", errHas: []string{`"source.foo"`}},
		{name: "4 uppercase extra key", key: "extra.Foo", val: str("x"), wantErr: "InvalidKey", errHas: []string{`"extra.Foo"`}},
		{name: "4 __type is reserved", key: "__type", val: str("Event"), wantErr: "InvalidKey"},
		{name: "4 empty key", key: "", val: str("x"), wantErr: "InvalidKey"},
		// Step 5: the ignore list, compared with Python ==.
		{name: "5 ignore list", key: "comment", val: str("skip"), opts: AddOptions{Ignore: []harmonization.Value{str("skip")}}},
		{name: "5 ignore 1 matches True", key: "extra.x", val: boo(true), opts: AddOptions{Ignore: []harmonization.Value{num(1)}}},
		{name: "5 ignore 1 matches 1.0", key: "extra.x", val: flt(1), opts: AddOptions{Ignore: []harmonization.Value{num(1)}}},
		{name: "5 ignore '1' does not match 1", key: "extra.x", val: num(1), opts: AddOptions{Ignore: []harmonization.Value{str("1")}},
			wantAdded: true, want: []kv{{"extra.x", num(1)}}},
		{name: "5 ignore JSON by content", key: "extra.x", val: raw(`{"a":1,"b":2}`),
			opts: AddOptions{Ignore: []harmonization.Value{raw(`{"b": 2, "a": 1.0}`)}}},
		{name: "5 ignore after key validation", key: "source.foo", val: str("x"),
			opts: AddOptions{Ignore: []harmonization.Value{str("x")}}, wantErr: "InvalidKey"},
		// Step 6: sanitize.
		{name: "6 sanitize int for a String field", key: "comment", val: num(5), wantAdded: true,
			want: []kv{{"comment", str("5")}}},
		{name: "6 sub-item sanitize is identity", key: "extra.f", val: flt(1.5), wantAdded: true,
			want: []kv{{"extra.f", flt(1.5)}}},
		// Step 7: validation with reasons.
		{name: "7 no sanitize: int for a String field", key: "comment", val: num(5), opts: AddOptions{NoSanitize: true},
			wantErr: "InvalidValue", errHas: []string{`"comment"`, `"5"`, "is_valid returned False"}},
		{name: "7 no raise", key: "comment", val: num(5), opts: AddOptions{NoSanitize: true, NoRaise: true}},
		{name: "7 too long", key: "feed.code", val: str(long), wantErr: "InvalidValue",
			errHas: []string{`"feed.code"`, "too long: 101 > 100"}},
		{name: "7 too long no raise", key: "feed.code", val: str(long), opts: AddOptions{NoRaise: true}},
		{name: "7 regex", key: "malware.hash.md5", val: str("é"), wantErr: "InvalidValue",
			errHas: []string{`"malware.hash.md5"`, "regex did not match"}},
		{name: "7 invalid UTF-8", key: "comment", val: str("a\xffb"), opts: AddOptions{NoSanitize: true},
			wantErr: "InvalidValue", errHas: []string{"UTF-8"}},
		{name: "7 invalid UTF-8 in a sub-item", key: "extra.x", val: str("a\xffb"), wantErr: "InvalidValue"},
		{name: "7 lone surrogates are text", key: "extra.x", val: str("a\xed\xa0\x80"), wantAdded: true,
			want: []kv{{"extra.x", str("a\xed\xa0\x80")}}},
		{name: "7 JSON scalars get their kind", key: "extra", val: str(`{"a": 1}`), wantAdded: true,
			want: []kv{{"extra.a", num(1)}}},
		{name: "7 JSON number", key: "extra.x", val: raw(`1e2`), wantAdded: true, want: []kv{{"extra.x", flt(100)}}},
		{name: "7 JSON string", key: "extra.x", val: raw(` "\u00e9" `), wantAdded: true, want: []kv{{"extra.x", str("é")}}},
		{name: "7 JSON big integer", key: "extra.x", val: raw(`123456789012345678901234567890`), wantAdded: true,
			want: []kv{{"extra.x", raw("123456789012345678901234567890")}}},
		{name: "7 invalid JSON for a sub-item", key: "extra.x", val: raw(`{bad`), wantErr: "InvalidValue"},
		{name: "7 JSON value stored in json.dumps form", key: "extra.x", val: raw(` { "b":1,"a" : [1,2.50,"\u00e9"] } `),
			wantAdded: true, want: []kv{{"extra.x", raw(`{"b": 1, "a": [1, 2.5, "\u00e9"]}`)}}},
		// Step 8: extra as a whole.
		{name: "8 extra is flattened one level", key: "extra",
			val:       str(`{"b": 1, "a": {"x": [1, 2]}, "c": "", "d": "-", "n": null, "f": 1.0, "t": true}`),
			wantAdded: true, want: []kv{{"extra.b", num(1)}, {"extra.a", raw(`{"x": [1, 2]}`)}, {"extra.c", str("")},
				{"extra.d", str("-")}, {"extra.n", raw("null")}, {"extra.f", flt(1)}, {"extra.t", boo(true)}}},
		{name: "8 extra members are not key-checked", key: "extra", val: str(`{"Foo": 1, "a.b": 2}`), wantAdded: true,
			want: []kv{{"extra.Foo", num(1)}, {"extra.a.b", num(2)}}},
		{name: "8 extra duplicate members", key: "extra", val: str(`{"a": 1, "b": 2, "a": 3}`), wantAdded: true,
			want: []kv{{"extra.a", num(3)}, {"extra.b", num(2)}}},
		{name: "8 extra overwrite replaces all extra.*",
			setup: []kv{{"extra.old", num(1)}, {"comment", str("c")}, {"extra.keep", num(2)}},
			key:   "extra", val: str(`{"keep": 3, "new": 4}`), opts: AddOptions{Overwrite: OverwriteYes}, wantAdded: true,
			want: []kv{{"comment", str("c")}, {"extra.keep", num(3)}, {"extra.new", num(4)}}},
		{name: "8 extra that is not an object", key: "extra", val: str(`[1, 2]`), wantErr: "InvalidValue"},
		{name: "overwrite keeps the position", setup: []kv{{"feed.name", str("a")}, {"comment", str("c")}},
			key: "feed.name", val: str("b"), opts: AddOptions{Overwrite: OverwriteYes}, wantAdded: true,
			want: []kv{{"feed.name", str("b")}, {"comment", str("c")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newEvent(t, tt.setup...)
			added, err := m.AddWith(tt.key, tt.val, tt.opts)
			if got := errKind(err); got != tt.wantErr {
				t.Fatalf("error = %v (%s), want %s", err, got, tt.wantErr)
			}
			for _, s := range tt.errHas {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
			if added != tt.wantAdded {
				t.Errorf("added = %v, want %v", added, tt.wantAdded)
			}
			if diff := cmp.Diff(tt.want, fieldsOf(m), valueEq()); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			// AddField with the key's field does the same.
			f2 := newEvent(t, tt.setup...)
			f, lookupErr := f2.Schema().LookupField(f2.Type(), tt.key)
			if lookupErr != nil {
				return
			}
			added2, err2 := f2.AddField(f, tt.key, tt.val, tt.opts)
			if added2 != added || errKind(err2) != errKind(err) || (err != nil && err2.Error() != err.Error()) {
				t.Errorf("AddField = %v, %v; AddWith gave %v, %v", added2, err2, added, err)
			}
			if diff := cmp.Diff(fieldsOf(m), fieldsOf(f2), valueEq()); diff != "" {
				t.Errorf("AddField fields (-AddWith +AddField):\n%s", diff)
			}
		})
	}
}

func TestAddReportSchema(t *testing.T) {
	r := NewReport(nil)
	if err := r.AddString("source.ip", "192.0.2.1"); errKind(err) != "InvalidKey" {
		t.Errorf("source.ip in a Report: error = %v, want InvalidKey", err)
	}
	if err := r.AddString("feed.name", "F"); err != nil {
		t.Errorf("feed.name in a Report: %v", err)
	}
}

func TestSetChangeUpdate(t *testing.T) {
	tests := []struct {
		name    string
		setup   []kv
		op      func(m *Message) error
		wantErr string
		want    []kv
	}{
		{name: "set new", op: func(m *Message) error { return m.Set("comment", str("x")) },
			want: []kv{{"comment", str("x")}}},
		{name: "set existing", setup: []kv{{"comment", str("a")}, {"feed.name", str("f")}},
			op: func(m *Message) error { return m.Set("comment", str("x")) }, want: []kv{{"comment", str("x")}, {"feed.name", str("f")}}},
		{name: "change missing", op: func(m *Message) error { return m.Change("comment", str("x")) }, wantErr: "KeyNotExists"},
		{name: "change existing", setup: []kv{{"comment", str("a")}},
			op: func(m *Message) error { return m.Change("comment", str("x")) }, want: []kv{{"comment", str("x")}}},
		{name: "change to ignored deletes", setup: []kv{{"comment", str("a")}},
			op: func(m *Message) error { return m.Change("comment", str("")) }},
		{name: "change invalid", setup: []kv{{"feed.code", str("a")}},
			op:      func(m *Message) error { return m.Change("feed.code", str(strings.Repeat("y", 101))) },
			wantErr: "InvalidValue", want: []kv{{"feed.code", str("a")}}},
		{name: "change extra", setup: []kv{{"extra.a", num(1)}},
			op: func(m *Message) error { return m.Change("extra", str(`{"b": 2}`)) }, want: []kv{{"extra.b", num(2)}}},
		{name: "update overwrites and appends", setup: []kv{{"comment", str("a")}, {"extra.x", num(1)}},
			op: func(m *Message) error {
				o := newEvent(t, kv{"extra.x", num(2)}, kv{"feed.name", str("f")})
				return m.Update(o)
			},
			want: []kv{{"comment", str("a")}, {"extra.x", num(2)}, {"feed.name", str("f")}}},
		{name: "update with an ignored value deletes", setup: []kv{{"extra.c", num(1)}, {"comment", str("a")}},
			op: func(m *Message) error {
				o := newEvent(t)
				if err := o.Add("extra", str(`{"c": ""}`)); err != nil {
					return err
				}
				return m.Update(o)
			},
			want: []kv{{"comment", str("a")}}},
		{name: "update sanitizes when needed", op: func(m *Message) error {
			o := newEvent(t, kv{"extra.n", num(5)})
			o.fields[0].key = "comment" // an unsanitized int, as a Python dict could hold
			return m.Update(o)
		}, want: []kv{{"comment", str("5")}}},
		{name: "add string", op: func(m *Message) error { return m.AddString("feed.name", "F") },
			want: []kv{{"feed.name", str("F")}}},
		{name: "add default twice", setup: []kv{{"feed.name", str("F")}},
			op: func(m *Message) error { return m.Add("feed.name", str("G")) }, wantErr: "KeyExists", want: []kv{{"feed.name", str("F")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newEvent(t, tt.setup...)
			if got := errKind(tt.op(m)); got != tt.wantErr {
				t.Fatalf("error kind = %q, want %q", got, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, fieldsOf(m), valueEq()); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}
