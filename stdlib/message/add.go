// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"encoding/json"
	"reflect"
	"strings"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// Overwrite is the tri-state overwrite argument of IntelMQ's add.
type Overwrite uint8

const (
	// OverwriteDefault is IntelMQ's overwrite=None: adding an existing key
	// is a *KeyExistsError.
	OverwriteDefault Overwrite = iota
	// OverwriteNo is overwrite=False: an existing key is kept and AddWith
	// returns false.
	OverwriteNo
	// OverwriteYes is overwrite=True: an existing key is replaced, and an
	// ignored value ("", "-", "N/A", None) deletes it.
	OverwriteYes
)

// AddOptions are the optional arguments of IntelMQ's add.
type AddOptions struct {
	Overwrite  Overwrite
	NoSanitize bool                  // sanitize=False: validate the value as given
	Ignore     []harmonization.Value // values to skip, compared with Python's ==
	NoRaise    bool                  // raise_failure=False: an invalid value returns (false, nil)
}

// Add sets key to v with IntelMQ's add defaults: sanitize, then validate;
// an existing key is a *KeyExistsError; the ignored values "", "-", "N/A"
// and the zero Value add nothing.
func (m *Message) Add(key string, v harmonization.Value) error {
	_, err := m.AddWith(key, v, AddOptions{})
	return err
}

// AddString is Add with a string value.
func (m *Message) AddString(key, s string) error {
	return m.Add(key, harmonization.String(s))
}

// Set is Add with overwrite: an existing value is replaced.
func (m *Message) Set(key string, v harmonization.Value) error {
	_, err := m.AddWith(key, v, AddOptions{Overwrite: OverwriteYes})
	return err
}

// Change replaces the value of an existing key (sanitized) and returns a
// *KeyNotExistsError if key is not set.
func (m *Message) Change(key string, v harmonization.Value) error {
	if !m.Has(key) {
		return &KeyNotExistsError{Key: key}
	}
	return m.Set(key, v)
}

// Update merges every field of other into m with overwrite, as IntelMQ's
// update does: each value is first added as it is, and sanitized only if
// that fails.
func (m *Message) Update(other *Message) error {
	for _, f := range other.fields {
		if err := m.addTwice(f.key, f.val, OverwriteYes); err != nil {
			return err
		}
	}
	return nil
}

// addTwice adds v unsanitized without raising, and if that adds nothing,
// again with sanitize, as IntelMQ does when it builds a message from a dict
// (overwrite OverwriteDefault) and in update (OverwriteYes).
func (m *Message) addTwice(key string, v harmonization.Value, o Overwrite) error {
	ok, err := m.AddWith(key, v, AddOptions{Overwrite: o, NoSanitize: true, NoRaise: true})
	if err != nil || ok {
		return err
	}
	_, err = m.AddWith(key, v, AddOptions{Overwrite: o})
	return err
}

// AddWith is IntelMQ's add(key, value, sanitize, overwrite, ignore,
// raise_failure). The steps, in IntelMQ's order:
//
//  1. OverwriteDefault and key set: *KeyExistsError.
//  2. OverwriteNo and key set: (false, nil).
//  3. v is the zero Value or "", "-", "N/A": nothing is added; with
//     OverwriteYes an existing key is deleted. Returns (false, nil).
//  4. The key is checked: *InvalidKeyError (also with NoRaise).
//  5. v equal (Python ==) to a value in o.Ignore: (false, nil).
//  6. Unless NoSanitize, the field type sanitizes v.
//  7. The type, length and regex checks run; text must be valid UTF-8.
//     Steps 6 and 7 fail with *InvalidValueError, or (false, nil) with NoRaise.
//  8. A JSONDict field itself (extra) holds a JSON object: with OverwriteYes
//     all extra.* keys are deleted first, then every top-level member is
//     stored as extra.<member> (one level; members are not key-checked, and
//     for extra empty members are kept). Any other key is stored as is.
//     Returns (true, nil).
//
// "Key set" uses Has, so "extra" counts as set when any extra.* key is.
func (m *Message) AddWith(key string, v harmonization.Value, o AddOptions) (bool, error) {
	// One schema lookup serves the checks below; its error is reported
	// only at step 4, as in IntelMQ.
	f, keyErr := m.schema.LookupField(m.typ, key)
	return m.addWith(key, f, keyErr, v, o)
}

// AddField is AddWith for a key whose field the caller looked up before,
// f being what m.Schema().LookupField(m.Type(), key) returned without an
// error: a parser looks its keys up once rather than for every event.
func (m *Message) AddField(f *harmonization.Field, key string, v harmonization.Value, o AddOptions) (bool, error) {
	return m.addWith(key, f, nil, v, o)
}

// addWith is AddWith with the schema's answer for key: its field, or the
// error of the look-up.
func (m *Message) addWith(key string, f *harmonization.Field, keyErr error, v harmonization.Value, o AddOptions) (bool, error) {
	i := m.index(key)
	dictParent := keyErr == nil && isDictField(f) && strings.IndexByte(key, '.') < 0
	exists := i >= 0 || (dictParent && m.hasChildren(key))
	switch {
	case exists && o.Overwrite == OverwriteDefault:
		return false, &KeyExistsError{Key: key}
	case exists && o.Overwrite == OverwriteNo:
		return false, nil
	}
	if isIgnored(v) {
		if exists && o.Overwrite == OverwriteYes {
			m.Delete(key)
		}
		return false, nil
	}
	if key == "__type" {
		return false, &InvalidKeyError{Key: key, Reason: "is reserved for the wire format"}
	}
	if keyErr != nil {
		return false, keyErr
	}
	for _, ig := range o.Ignore {
		if pyEqual(v, ig) {
			return false, nil
		}
	}
	var err error
	if v, err = m.check(key, f, v, !o.NoSanitize); err == nil && !validText(v) {
		err = &InvalidValueError{Key: key, Value: v, Reason: "not valid UTF-8 text"}
	}
	if err != nil {
		if o.NoRaise {
			return false, nil
		}
		return false, err
	}
	if isDictField(f) {
		if err := m.storeDict(key, v, o.Overwrite == OverwriteYes); err != nil {
			if o.NoRaise {
				return false, nil
			}
			return false, err
		}
		return true, nil
	}
	if i >= 0 {
		m.setVal(i, v, 0)
	} else {
		m.appendField(key, v)
	}
	return true, nil
}

// isDictField reports whether f is a JSONDict field itself (extra), whose
// values are stored flattened, rather than one of its sub-items.
func isDictField(f *harmonization.Field) bool { return f.IsJSONDict() }

// check sanitizes (if asked) and validates v for field f of key and brings
// a JSON value to its stored form.
func (m *Message) check(key string, f *harmonization.Field, v harmonization.Value, sanitize bool) (harmonization.Value, error) {
	var err error
	if sanitize {
		v, err = f.SanitizeValidate(v)
	} else {
		err = f.Validate(v)
	}
	if err != nil {
		return v, err
	}
	if v.Kind() == harmonization.KindJSON {
		return m.canonical(key, v)
	}
	return v, nil
}

// validText reports whether the text of a string or JSON value is valid
// UTF-8, allowing the WTF-8 form of lone surrogates (which a Python str can
// hold). Other bytes have no Python str equivalent: IntelMQ would hold them
// as bytes, which it cannot serialize.
func validText(v harmonization.Value) bool { return wtf8Valid(v.Str()) }

// isIgnored reports whether IntelMQ's add ignores v: None (the zero Value
// or JSON null), "", "-", "N/A".
func isIgnored(v harmonization.Value) bool {
	switch v.Kind() {
	case harmonization.KindNone:
		return true
	case harmonization.KindString:
		s := v.Str()
		return s == "" || s == "-" || s == "N/A"
	case harmonization.KindJSON:
		return strings.TrimSpace(v.Str()) == "null"
	}
	return false
}

// pyEqual is Python's == between two values: numbers (including booleans)
// compare by value across kinds, strings by text, JSON values by content.
func pyEqual(a, b harmonization.Value) bool {
	num := func(k harmonization.Kind) bool {
		return k == harmonization.KindInt || k == harmonization.KindFloat || k == harmonization.KindBool
	}
	ka, kb := a.Kind(), b.Kind()
	switch {
	case num(ka) && num(kb):
		if ka != harmonization.KindFloat && kb != harmonization.KindFloat {
			return a.Int() == b.Int()
		}
		return a.Float() == b.Float()
	case ka != kb:
		return false
	case ka == harmonization.KindJSON:
		var x, y any
		if json.Unmarshal([]byte(a.Str()), &x) != nil || json.Unmarshal([]byte(b.Str()), &y) != nil {
			return a.Str() == b.Str()
		}
		return reflect.DeepEqual(x, y)
	}
	return a.Equal(b)
}

// canonical returns the stored form of a JSON value: the text Python's
// json.dumps writes for it, or for a JSON string, number or boolean the
// Value of that kind. Text already in stored form is kept without copying.
func (m *Message) canonical(key string, v harmonization.Value) (harmonization.Value, error) {
	text := v.Str()
	e := emitter{style: wireStyle, members: m.members[:0]}
	out, err := e.emit(m.scratch[:0], text)
	m.scratch, m.members = out[:0], e.members[:0]
	if err != nil {
		return v, &InvalidValueError{Key: key, Value: v, Reason: "not valid JSON: " + err.Error()}
	}
	if len(out) > 0 && out[0] != '{' && out[0] != '[' && string(out) != "null" {
		// A scalar gets the kind decoding would give it.
		r := objReader{src: string(out), m: m}
		if sv, _, err := r.value(0); err == nil {
			return sv, nil
		}
	}
	if string(out) == text {
		return v, nil
	}
	return harmonization.RawJSON(string(out)), nil
}

// storeDict stores the members of the JSON object v as key.<member>.
func (m *Message) storeDict(key string, v harmonization.Value, overwrite bool) error {
	var items []entry
	r := objReader{src: v.Str(), m: m}
	if err := r.open(); err != nil {
		return &InvalidValueError{Key: key, Value: v, Reason: "not a JSON object"}
	}
	for {
		k, val, ok, err := r.next()
		if err != nil {
			return &InvalidValueError{Key: key, Value: v, Reason: "not a JSON object: " + err.Error()}
		}
		if !ok {
			break
		}
		if val.IsNone() {
			val = harmonization.RawJSON("null")
		}
		items = putEntry(items, k, val)
	}
	if skipWS(r.src, r.pos) != len(r.src) {
		return &InvalidValueError{Key: key, Value: v, Reason: "not a JSON object: extra data after it"}
	}
	if overwrite {
		m.Delete(key)
	}
	for _, it := range items {
		if key != "extra" && (isIgnored(it.val) || isEmptyJSON(it.val)) {
			continue
		}
		m.put(key+"."+it.key, it.val)
	}
	return nil
}

// putEntry sets key in a list of entries, keeping the position of an
// existing key (Python dict semantics).
func putEntry(items []entry, key string, v harmonization.Value) []entry {
	for i := range items {
		if items[i].key == key {
			items[i].val = v
			return items
		}
	}
	return append(items, entry{key: key, val: v})
}

// isEmptyJSON reports whether v is an empty JSON object or array, which
// IntelMQ drops when flattening JSONDict fields other than extra.
func isEmptyJSON(v harmonization.Value) bool {
	return v.Kind() == harmonization.KindJSON && (v.Str() == "{}" || v.Str() == "[]")
}

// Checked is the check AddField runs on a value before storing it, for a
// caller that adds the same values many times (a parser mapping a column
// of few distinct values): it returns what AddField would store for v
// under a key of field f, and ok when that result may be stored with
// AddChecked. ok is false when AddField would not simply store a checked
// value: v is ignored, f is a JSONDict field, sanitizing or validating
// fails, or the result is a JSON value or not valid text. sanitize false
// is AddOptions.NoSanitize.
func Checked(f *harmonization.Field, v harmonization.Value, sanitize bool) (_ harmonization.Value, ok bool) {
	if f == nil || isIgnored(v) || isDictField(f) {
		return v, false
	}
	var err error
	if sanitize {
		v, err = f.SanitizeValidate(v)
	} else {
		err = f.Validate(v)
	}
	if err != nil || v.Kind() == harmonization.KindJSON || !validText(v) {
		return v, false
	}
	return v, true
}

// AddChecked is AddField(f, key, in, AddOptions{Overwrite: o,
// NoSanitize: !sanitize}) for a value in whose checked form v
// Checked(f, in, sanitize) returned with ok: it stores v without checking
// it again.
func (m *Message) AddChecked(f *harmonization.Field, key string, v harmonization.Value, o Overwrite) (bool, error) {
	i := m.index(key)
	if i >= 0 {
		switch o {
		case OverwriteDefault:
			return false, &KeyExistsError{Key: key}
		case OverwriteNo:
			return false, nil
		}
		m.setVal(i, v, 0)
		return true, nil
	}
	m.appendField(key, v)
	return true, nil
}
