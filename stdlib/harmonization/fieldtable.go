// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

// fieldTable is an immutable open-addressing hash table from keys to
// fields, built once per schema and message type. It serves
// Schema.LookupField, which runs for every value added to a message, with
// a cheaper hash than Go's map: the length and the first and last eight
// bytes of the key.
type fieldTable struct {
	slots []fieldSlot // a power of two long, at most half full
	shift uint        // 64 - log2(len(slots))
}

// fieldSlot is one entry: a field, and for a JSONDict field the sub-item
// field shared by all keys below it. An empty slot has no field.
type fieldSlot struct {
	key string
	f   *Field
	sub *Field
}

// newFieldTable builds the table of fields with the sub-item fields of the
// JSONDict ones.
func newFieldTable(fields map[string]*Field, subItems map[string]*Field) fieldTable {
	bits := uint(1)
	for 1<<bits < 2*len(fields) {
		bits++
	}
	t := fieldTable{slots: make([]fieldSlot, 1<<bits), shift: 64 - bits}
	for key, f := range fields {
		i := t.home(key)
		for t.slots[i].f != nil {
			i = (i + 1) & (len(t.slots) - 1)
		}
		t.slots[i] = fieldSlot{key: key, f: f, sub: subItems[key]}
	}
	return t
}

// home returns the first slot to probe for key.
func (t *fieldTable) home(key string) int {
	var a, b uint64
	if n := len(key); n >= 8 {
		a, b = le64(key[:8]), le64(key[n-8:])
	} else {
		for i := 0; i < n; i++ {
			a = a<<8 | uint64(key[i])
		}
	}
	h := a*0x9E3779B97F4A7C15 ^ b*0xC2B2AE3D27D4EB4F ^ uint64(len(key))*0x165667B19E3779F9
	return int((h ^ h>>31) * 0x9E3779B97F4A7C15 >> t.shift)
}

// find returns the slot of key, or nil.
func (t *fieldTable) find(key string) *fieldSlot {
	if len(t.slots) == 0 {
		return nil
	}
	for i := t.home(key); ; i = (i + 1) & (len(t.slots) - 1) {
		s := &t.slots[i]
		if s.f == nil {
			return nil
		}
		if s.key == key {
			return s
		}
	}
}

// le64 reads the first 8 bytes of s as a little-endian number.
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}
