// SPDX-License-Identifier: AGPL-3.0-or-later

package message

// Assign makes m a copy of src: the same schema, type and fields, in the
// same order. m's storage is reused and values, which are immutable, are
// shared, so a loop can build one message after another from a template
// without allocating, and no mutable state is shared with src.
func (m *Message) Assign(src *Message) {
	if m == src {
		return
	}
	m.schema, m.typ, m.keys = src.schema, src.typ, src.keys
	clear(m.fields)
	m.fields = append(m.fields[:0], src.fields...)
}
