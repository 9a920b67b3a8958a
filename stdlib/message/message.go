// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"iter"
	"slices"
	"sort"
	"strings"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// entry is one field of a message.
type entry struct {
	key string
	val harmonization.Value
	// plain says which of key and val (a string) are known to be printable
	// ASCII without '"' and '\\', which the wire form then copies without
	// looking at them. Every change of val must clear plainVal.
	plain uint8
	// code is the key's code in the compact form (compactKeys) plus one,
	// when known; 0 has the compact form look it up.
	code uint8
}

// The bits of entry.plain.
const (
	plainKey uint8 = 1 << iota
	plainVal
)

// Message is an IntelMQ Event or Report: flat dotted keys with typed values,
// kept in insertion order like the Python dict IntelMQ uses.
//
// A Message is not safe for concurrent use when one goroutine modifies it;
// concurrent reads (Get, Range, AppendWire, AppendJSON, Hash, ...) are safe.
type Message struct {
	schema *harmonization.Schema
	typ    harmonization.MessageType
	fields []entry
	// keys has the bit keyBit(k) set for every key k in fields (and maybe
	// for keys removed since), so that looking up an absent key rarely
	// scans the fields.
	keys uint64

	// Scratch space reused by the mutating methods (decoding, adding JSON
	// values). Read-only methods never touch it.
	scratch []byte
	members []member
}

// New returns an empty message of type t checked against schema s. A nil s
// means harmonization.Default(). Unlike Python's Report(), a new Report gets
// no automatic time.observation; collectors set it themselves.
func New(s *harmonization.Schema, t harmonization.MessageType) *Message {
	if s == nil {
		s = harmonization.Default()
	}
	return newMessage(s, t)
}

// messageBlock is a Message allocated together with room for its first
// initialFields fields, so that a typical event takes one allocation.
type messageBlock struct {
	msg    Message
	fields [initialFields]entry
}

// newMessage returns an empty message with room for initialFields fields.
func newMessage(s *harmonization.Schema, t harmonization.MessageType) *Message {
	b := &messageBlock{}
	b.msg = Message{schema: s, typ: t, fields: b.fields[:0]}
	return &b.msg
}

// NewEvent returns an empty Event checked against schema s (nil: default).
func NewEvent(s *harmonization.Schema) *Message { return New(s, harmonization.Event) }

// NewReport returns an empty Report checked against schema s (nil: default).
func NewReport(s *harmonization.Schema) *Message { return New(s, harmonization.Report) }

// Type returns whether m is an Event or a Report.
func (m *Message) Type() harmonization.MessageType { return m.typ }

// Schema returns the harmonization schema m is checked against.
func (m *Message) Schema() *harmonization.Schema { return m.schema }

// Len returns the number of stored fields; every extra.* key counts once.
func (m *Message) Len() int { return len(m.fields) }

// keyBit returns the bit of key in Message.keys: a hash of its length and
// last two bytes, which differ among the keys of a message more than their
// prefixes do.
func keyBit(key string) uint64 {
	h := uint(len(key))
	if n := len(key); n >= 2 {
		h = h*7 + uint(key[n-1])*5 + uint(key[n-2])
	}
	return 1 << (h & 63)
}

// index returns the position of key among the fields, or -1.
func (m *Message) index(key string) int {
	if m.keys&keyBit(key) == 0 {
		return -1
	}
	return m.scan(key)
}

// scan is index without the look at m.keys.
func (m *Message) scan(key string) int {
	for i := range m.fields {
		if m.fields[i].key == key {
			return i
		}
	}
	return -1
}

// isDictParent reports whether key is itself a JSONDict field (extra), whose
// values are stored flattened as key.* entries.
func (m *Message) isDictParent(key string) bool {
	if strings.IndexByte(key, '.') >= 0 {
		return false
	}
	f, err := m.schema.LookupField(m.typ, key)
	return err == nil && isDictField(f)
}

// hasPrefixDot reports whether k starts with parent followed by a dot.
func hasPrefixDot(k, parent string) bool {
	return len(k) > len(parent) && k[len(parent)] == '.' && k[:len(parent)] == parent
}

// hasChildren reports whether any key starts with parent + ".".
func (m *Message) hasChildren(parent string) bool {
	for i := range m.fields {
		if hasPrefixDot(m.fields[i].key, parent) {
			return true
		}
	}
	return false
}

// Has reports whether key is set. For a JSONDict field such as "extra" it
// reports whether any extra.* key is set, as IntelMQ's `"extra" in msg` does.
func (m *Message) Has(key string) bool {
	if m.index(key) >= 0 {
		return true
	}
	return m.isDictParent(key) && m.hasChildren(key)
}

// HasField is Has for a key whose field the caller looked up before: f is
// what m.Schema().LookupField(m.Type(), key) returned, nil for an error.
func (m *Message) HasField(f *harmonization.Field, key string) bool {
	if m.index(key) >= 0 {
		return true
	}
	return f != nil && isDictField(f) && strings.IndexByte(key, '.') < 0 && m.hasChildren(key)
}

// Get returns the value of key. For a JSONDict field such as "extra" it
// returns, as IntelMQ's msg["extra"] does, a string Value holding the JSON
// text (Python json.dumps style) of the nested object built from all extra.*
// keys, and false if there are none.
func (m *Message) Get(key string) (harmonization.Value, bool) {
	if i := m.index(key); i >= 0 {
		return m.fields[i].val, true
	}
	if !m.isDictParent(key) || !m.hasChildren(key) {
		return harmonization.Value{}, false
	}
	return harmonization.String(string(m.appendDictParent(nil, key))), true
}

// GetString returns the text of a string value of key, and "" when key is
// not set or holds another kind.
func (m *Message) GetString(key string) string {
	if i := m.index(key); i >= 0 {
		return m.fields[i].val.Str()
	}
	return ""
}

// Range calls fn for every field in insertion order until fn returns false.
// fn must not modify m.
func (m *Message) Range(fn func(key string, v harmonization.Value) bool) {
	for _, e := range m.fields {
		if !fn(e.key, e.val) {
			return
		}
	}
}

// All returns an iterator over the fields in insertion order, for use in a
// range loop. The loop body must not modify m.
func (m *Message) All() iter.Seq2[string, harmonization.Value] {
	return func(yield func(string, harmonization.Value) bool) {
		for _, e := range m.fields {
			if !yield(e.key, e.val) {
				return
			}
		}
	}
}

// Keys returns the keys of all fields, sorted.
func (m *Message) Keys() []string {
	keys := make([]string, len(m.fields))
	for i, e := range m.fields {
		keys[i] = e.key
	}
	sort.Strings(keys)
	return keys
}

// Clone returns a copy of m with the same schema, type and fields. Values are
// immutable, so the copy shares no mutable state with m. The copy has room
// for initialFields fields and at least 8 more than m has, so that adding
// the fields of a typical event to a copied template does not grow its
// storage.
func (m *Message) Clone() *Message {
	return m.CloneGrow(max(initialFields-len(m.fields), 8))
}

// CloneGrow is Clone with room for at least n more fields than m has.
func (m *Message) CloneGrow(n int) *Message {
	if len(m.fields)+n <= initialFields {
		c := newMessage(m.schema, m.typ)
		c.fields, c.keys = append(c.fields, m.fields...), m.keys
		return c
	}
	c := &Message{schema: m.schema, typ: m.typ, keys: m.keys}
	c.fields = append(make([]entry, 0, len(m.fields)+max(n, 0)), m.fields...)
	return c
}

// Grow makes room for at least n more fields, so that adding them does not
// reallocate the storage.
func (m *Message) Grow(n int) {
	if n > cap(m.fields)-len(m.fields) {
		m.fields = append(make([]entry, 0, len(m.fields)+n), m.fields...)
	}
}

// Reset removes all fields but keeps the schema, the type and the allocated
// storage, so m can be reused in a loop.
func (m *Message) Reset() {
	clear(m.fields)
	m.fields = m.fields[:0]
	m.keys = 0
}

// ResetTo makes m a copy of src, as Assign does, for a loop that builds one
// message after another from the same template src: when m's first fields
// are still src's (m was made from src, and fields were only added since),
// m is cut back to them, which copies nothing. The storage past the fields
// may keep former values reachable until they are overwritten or m is
// Reset.
func (m *Message) ResetTo(src *Message) {
	n := len(src.fields)
	if m != src && (m.schema != src.schema || m.typ != src.typ || len(m.fields) < n ||
		!slices.Equal(m.fields[:n], src.fields)) {
		m.schema, m.typ = src.schema, src.typ
		m.fields = append(m.fields[:0], src.fields...)
	}
	m.fields, m.keys = m.fields[:n], src.keys
}

// CutBackTo is ResetTo for a caller that knows m's first fields are still
// src's: m was last reset to src, and fields were only added since (no
// field was overwritten or deleted). It does not compare them. A caller
// that cannot be sure calls ResetTo.
func (m *Message) CutBackTo(src *Message) {
	m.fields, m.keys = m.fields[:len(src.fields)], src.keys
}

// Delete removes key and reports whether anything was removed. Deleting a
// JSONDict field such as "extra" removes every extra.* key.
func (m *Message) Delete(key string) bool {
	if i := m.index(key); i >= 0 {
		m.removeAt(i)
		return true
	}
	if !m.isDictParent(key) {
		return false
	}
	w := 0
	for _, e := range m.fields {
		if !hasPrefixDot(e.key, key) {
			m.fields[w] = e
			w++
		}
	}
	removed := w < len(m.fields)
	clear(m.fields[w:])
	m.fields = m.fields[:w]
	return removed
}

// removeAt deletes the field at position i, keeping the order of the rest.
func (m *Message) removeAt(i int) {
	copy(m.fields[i:], m.fields[i+1:])
	m.fields[len(m.fields)-1] = entry{}
	m.fields = m.fields[:len(m.fields)-1]
}

// put stores v under key without any check: in place when key exists (its
// position is kept, as for a Python dict), appended otherwise.
func (m *Message) put(key string, v harmonization.Value) { m.putPlain(key, v, 0) }

// putPlain is put with the plain bits of a new entry; a replaced value keeps
// the plain bit of the key.
func (m *Message) putPlain(key string, v harmonization.Value, plain uint8) {
	m.putCoded(key, v, plain, 0)
}

// putCoded is putPlain with the key's code in the compact form (see
// entry.code) for a new entry.
func (m *Message) putCoded(key string, v harmonization.Value, plain, code uint8) {
	bit := keyBit(key)
	if m.keys&bit != 0 {
		if i := m.scan(key); i >= 0 {
			m.setVal(i, v, plain&plainVal)
			return
		}
	}
	if m.fields == nil {
		m.fields = make([]entry, 0, initialFields)
	}
	m.fields = append(m.fields, entry{key: key, val: v, plain: plain, code: code})
	m.keys |= bit
}

// setVal replaces the value of field i; plain is plainVal when v is known to
// be plain text.
func (m *Message) setVal(i int, v harmonization.Value, plain uint8) {
	e := &m.fields[i]
	e.val, e.plain = v, e.plain&plainKey|plain&plainVal
}

// appendField adds a new field at the end.
func (m *Message) appendField(key string, v harmonization.Value) {
	if m.fields == nil {
		m.fields = make([]entry, 0, initialFields)
	}
	m.fields = append(m.fields, entry{key: key, val: v})
	m.keys |= keyBit(key)
}

// initialFields is the capacity of a new message's field list: enough for a
// typical event without growing.
const initialFields = 16

// Equal reports whether m and o have the same type and the same fields with
// equal values, in any order (Python dict equality).
func (m *Message) Equal(o *Message) bool {
	if m.typ != o.typ || len(m.fields) != len(o.fields) {
		return false
	}
	for _, e := range m.fields {
		i := o.index(e.key)
		if i < 0 || !o.fields[i].val.Equal(e.val) {
			return false
		}
	}
	return true
}

// String returns the wire (Redis) form of m, as IntelMQ's str(msg) does.
func (m *Message) String() string { return string(m.AppendWire(nil)) }
