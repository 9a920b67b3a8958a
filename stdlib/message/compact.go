// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"encoding/binary"
	"math"
	"unicode/utf8"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// The compact form is how this program passes messages between the bots of
// one process on its embedded queue, where nothing else reads them: the
// fields as they are stored, with lengths in front, instead of IntelMQ's
// JSON. It holds the same message as the wire form (AppendWire): decoding
// either gives the same fields. Writing it copies the keys and values;
// reading it needs no scan for quotes and escapes, and it is a sixth
// shorter, which the queue's copies and writes feel.
//
// Layout: the byte compactMagic (never the first byte of JSON text), the
// message type (harmonization.MessageType), then each field: the key's
// length (uvarint) and bytes, a byte with the value's kind in its low four
// bits and the field's plain bits (entry.plain) above them, and the value:
// a string or JSON text as its length (uvarint) and bytes, an integer as a
// varint, a float as its 8 IEEE bytes (little-endian), a boolean as one
// byte, nothing for None.
//
// Every decode accepts it, wherever the bytes come from. A decode that
// does not trust its data checks it as it checks JSON: strings must be
// UTF-8 (or the WTF-8 of lone surrogates, as a JSON decode makes them),
// plain bits are worked out again, JSON values are parsed again, and every
// value is checked against its field.
const compactMagic = 0x00

// compactPlainShift places the plain bits in a field's kind byte.
const compactPlainShift = 4

// IsCompact reports whether data is a message in the compact form.
func IsCompact(data []byte) bool { return len(data) > 0 && data[0] == compactMagic }

// AppendCompact appends m in the compact form and returns the extended
// buffer. A message whose wire form would not give its exact strings back
// (a key or string that is not UTF-8: JSON replaces its bad bytes) is
// appended in the wire form instead, which every decode reads as well.
func (m *Message) AppendCompact(dst []byte) []byte {
	start := len(dst)
	dst = append(dst, compactMagic, byte(m.typ))
	for i := range m.fields {
		f := &m.fields[i]
		plain := f.plain
		if plain&plainKey == 0 {
			if isPlain(f.key) {
				plain |= plainKey
			} else if !wtf8Valid(f.key) {
				return m.AppendWire(dst[:start])
			}
		}
		kind := f.val.Kind()
		if kind == harmonization.KindString && plain&plainVal == 0 {
			if s := f.val.Str(); isPlain(s) {
				plain |= plainVal
			} else if !wtf8Valid(s) {
				return m.AppendWire(dst[:start])
			}
		}
		dst = binary.AppendUvarint(dst, uint64(len(f.key)))
		dst = append(dst, f.key...)
		dst = append(dst, byte(kind)|plain<<compactPlainShift)
		switch kind {
		case harmonization.KindString, harmonization.KindJSON:
			dst = binary.AppendUvarint(dst, uint64(len(f.val.Str())))
			dst = append(dst, f.val.Str()...)
		case harmonization.KindInt:
			dst = binary.AppendVarint(dst, f.val.Int())
		case harmonization.KindFloat:
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(f.val.Float()))
		case harmonization.KindBool:
			b := byte(0)
			if f.val.Bool() {
				b = 1
			}
			dst = append(dst, b)
		}
	}
	return dst
}

// isPlain reports whether s is printable ASCII without '"' and '\\' (the
// plain bits of entry).
func isPlain(s string) bool { return asciiRun(s, 0) == len(s) }

// wtf8Valid reports whether s is UTF-8, allowing the encoded lone
// surrogates that a JSON decode makes of \ud800 escapes: the strings that
// the wire form gives back exactly.
func wtf8Valid(s string) bool {
	if isASCII(s) {
		return true
	}
	for i := 0; i < len(s); {
		r, n := decodeRune(s[i:])
		if r == utf8.RuneError && n == 1 {
			return false
		}
		i += n
	}
	return true
}

// parseCompact is parse for the compact form. Without trusted it works out
// the plain bits again and checks the strings and JSON values as a JSON
// decode would find them.
func (m *Message) parseCompact(src string, trusted bool) (harmonization.MessageType, error) {
	if len(src) < 2 || src[0] != compactMagic {
		return 0, syntaxError(0, "not a message in the compact form")
	}
	typ := harmonization.MessageType(src[1])
	if typ != harmonization.Event && typ != harmonization.Report {
		return 0, syntaxError(1, "unknown message type in the compact form")
	}
	pos := 2
	for pos < len(src) {
		key, next, ok := compactString(src, pos)
		if !ok {
			return 0, syntaxError(pos, "truncated key in the compact form")
		}
		pos = next
		if pos >= len(src) {
			return 0, syntaxError(pos, "truncated field in the compact form")
		}
		kb := src[pos]
		pos++
		kind, plain := harmonization.Kind(kb&0x0f), kb>>compactPlainShift
		if plain&^(plainKey|plainVal) != 0 {
			return 0, syntaxError(pos-1, "bad field header in the compact form")
		}
		var v harmonization.Value
		switch kind {
		case harmonization.KindString, harmonization.KindJSON:
			s, next, ok := compactString(src, pos)
			if !ok {
				return 0, syntaxError(pos, "truncated value in the compact form")
			}
			pos = next
			v = harmonization.String(s)
			if kind == harmonization.KindJSON {
				// As the wire form's value reads back, whatever its text.
				r := objReader{src: s, m: m}
				val, end, err := r.value(skipWS(s, 0))
				if err != nil || skipWS(s, end) != len(s) {
					return 0, syntaxError(pos, "bad JSON value in the compact form")
				}
				v, plain = val, plain&plainKey
			}
		case harmonization.KindInt:
			u, next, ok := compactUvarint(src, pos)
			if !ok {
				return 0, syntaxError(pos, "bad integer in the compact form")
			}
			pos = next
			v = harmonization.Int(int64(u>>1) ^ -int64(u&1)) // zigzag, as binary.AppendVarint
		case harmonization.KindFloat:
			if len(src)-pos < 8 {
				return 0, syntaxError(pos, "truncated float in the compact form")
			}
			v = harmonization.Float(math.Float64frombits(load8(src[pos : pos+8])))
			pos += 8
		case harmonization.KindBool:
			if pos >= len(src) || src[pos] > 1 {
				return 0, syntaxError(pos, "bad boolean in the compact form")
			}
			v = harmonization.Bool(src[pos] == 1)
			pos++
		case harmonization.KindNone:
		default:
			return 0, syntaxError(pos-1, "unknown value kind in the compact form")
		}
		if !trusted {
			plain = 0
			if isPlain(key) {
				plain = plainKey
			} else if !wtf8Valid(key) {
				return 0, syntaxError(pos, "invalid UTF-8 in a key")
			}
			if v.Kind() == harmonization.KindString {
				if isPlain(v.Str()) {
					plain |= plainVal
				} else if !wtf8Valid(v.Str()) {
					return 0, syntaxError(pos, "invalid UTF-8 in a string")
				}
			}
		}
		m.putPlain(key, v, plain)
	}
	return typ, nil
}

// compactString reads a length and that many bytes at pos.
func compactString(src string, pos int) (string, int, bool) {
	n, pos, ok := compactUvarint(src, pos)
	if !ok || n > uint64(len(src)-pos) {
		return "", 0, false
	}
	return src[pos : pos+int(n)], pos + int(n), true
}

// compactUvarint reads a uvarint (binary.AppendUvarint) at pos.
func compactUvarint(src string, pos int) (uint64, int, bool) {
	if pos < len(src) && src[pos] < 0x80 {
		return uint64(src[pos]), pos + 1, true
	}
	var n uint64
	for shift := 0; shift < 64; shift += 7 {
		if pos >= len(src) {
			return 0, 0, false
		}
		c := src[pos]
		pos++
		n |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return n, pos, true
		}
	}
	return 0, 0, false
}

// WireForm returns data in IntelMQ's wire form: data itself unless it is
// in the compact form, which is converted as it stands, without checking
// its values (for a dump, which shows the message as it was). Data in the
// compact form that does not parse is returned as it is.
func WireForm(s *harmonization.Schema, data []byte) []byte {
	if !IsCompact(data) {
		return data
	}
	m := New(s, harmonization.Event)
	typ, err := m.parseCompact(string(data), false)
	if err != nil {
		return data
	}
	m.typ = typ
	return m.AppendWire(nil)
}
