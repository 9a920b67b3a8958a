// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"strconv"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// AppendWire appends m in IntelMQ's queue (Redis) format and returns the
// extended buffer. The bytes are exactly those of Python's json.dumps on the
// message dict with "__type" added last: keys in insertion order, ", " and
// ": " separators, non-ASCII escaped as \uXXXX, integers as integers, floats
// as Python's repr (100.0), booleans as true/false and extra.* values as their
// JSON.
func (m *Message) AppendWire(dst []byte) []byte {
	e := emitter{style: wireStyle}
	dst = append(dst, '{')
	for i := range m.fields {
		dst = append(e.appendMember(dst, &m.fields[i], true), ", "...)
	}
	dst = append(dst, `"__type": "`...)
	dst = append(dst, m.typ.String()...)
	return append(dst, '"', '}')
}

// appendMember appends the member `"key": value` of field f in the
// emitter's style, with the key's non-ASCII escaped when ascii; plain text
// needs no escaping in any style and is copied as it is (see entry.plain).
func (e *emitter) appendMember(dst []byte, f *entry, ascii bool) []byte {
	if f.plain&plainKey != 0 {
		dst = append(append(append(dst, '"'), f.key...), `": `...)
	} else {
		dst = append(appendJSONString(dst, f.key, ascii), ": "...)
	}
	if f.plain&plainVal != 0 && f.val.Kind() == harmonization.KindString {
		return append(append(append(dst, '"'), f.val.Str()...), '"')
	}
	return e.appendValue(dst, f.val)
}

// appendValue appends one field value in the emitter's style. Stored JSON
// values are already in wire form and are copied as they are for the wire.
func (e *emitter) appendValue(dst []byte, v harmonization.Value) []byte {
	repr := e.style&styleRepr != 0
	switch v.Kind() {
	case harmonization.KindString:
		return e.str(dst, v.Str())
	case harmonization.KindInt:
		return strconv.AppendInt(dst, v.Int(), 10)
	case harmonization.KindFloat:
		return e.float(dst, v.Float())
	case harmonization.KindBool:
		switch {
		case repr && v.Bool():
			return append(dst, "True"...)
		case repr:
			return append(dst, "False"...)
		}
		return strconv.AppendBool(dst, v.Bool())
	case harmonization.KindJSON:
		if e.style == wireStyle {
			return append(dst, v.Str()...)
		}
		start := len(dst)
		out, err := e.emit(dst, v.Str())
		if err != nil { // not reachable for stored values, which are canonical
			return append(dst[:start], v.Str()...)
		}
		return out
	}
	if repr {
		return append(dst, "None"...)
	}
	return append(dst, "null"...)
}
