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
// reading it needs no scan for quotes and escapes, and it is about half as
// long (IntelMQ's field names are a byte each), which the queue's copies
// and writes feel.
//
// Layout: the byte compactMagic (never the first byte of JSON text), the
// message type (harmonization.MessageType), then each field: the key, as
// a uvarint 2c+1 for the key of code c in compactKeys (IntelMQ's field
// names, a third of a message's bytes otherwise) or 2n followed by the n
// bytes of any other key; a byte with the value's kind in its low four
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
		plain, ok := plainBits(f.key, f.val, f.plain)
		if !ok {
			return m.AppendWire(dst[:start])
		}
		kind := f.val.Kind()
		code := f.code
		if code == 0 {
			code = compactCode(f.key)
		}
		if code != 0 {
			dst = binary.AppendUvarint(dst, uint64(code-1)<<1|1)
		} else {
			dst = binary.AppendUvarint(dst, uint64(len(f.key))<<1)
			dst = append(dst, f.key...)
		}
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

// plainBits returns the plain bits of a field (entry.plain), working out
// those known lacks, and false when its key or string value is not UTF-8
// (see wtf8Valid).
func plainBits(key string, v harmonization.Value, known uint8) (uint8, bool) {
	plain := known
	if plain&plainKey == 0 {
		if isPlain(key) {
			plain |= plainKey
		} else if !wtf8Valid(key) {
			return 0, false
		}
	}
	if v.Kind() == harmonization.KindString && plain&plainVal == 0 {
		if isPlain(v.Str()) {
			plain |= plainVal
		} else if !wtf8Valid(v.Str()) {
			return 0, false
		}
	}
	return plain, true
}

// isPlain reports whether s is printable ASCII without '"' and '\\' (the
// plain bits of entry).
func isPlain(s string) bool { return asciiRun(s, 0) == len(s) }

// wtf8Valid reports whether s is UTF-8, allowing the encoded lone
// surrogates that a JSON decode makes of \ud800 escapes: the strings that
// the wire form gives back exactly.
func wtf8Valid(s string) bool {
	if isASCII(s) || utf8.ValidString(s) {
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
		h, next, ok := compactUvarint(src, pos)
		var key string
		var code uint8
		switch {
		case !ok:
			return 0, syntaxError(pos, "truncated key in the compact form")
		case h&1 != 0:
			if h>>1 >= uint64(len(compactKeys)) {
				return 0, syntaxError(pos, "unknown key code in the compact form")
			}
			key, code = compactKeys[h>>1], uint8(h>>1)+1
		case h>>1 > uint64(len(src)-next):
			return 0, syntaxError(pos, "truncated key in the compact form")
		default:
			key, next = src[next:next+int(h>>1)], next+int(h>>1)
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
			if plain, ok = plainBits(key, v, 0); !ok {
				return 0, syntaxError(pos, "invalid UTF-8 in a key or string")
			}
		}
		m.putCoded(key, v, plain, code)
	}
	return typ, nil
}

// compactKeys are the keys the compact form writes as a code: the field
// names of IntelMQ's harmonization.conf. The list is part of the form:
// entries may be added at its end, never removed or moved, as a queue file
// may hold messages written with it (TestCompactKeysFrozen).
var compactKeys = [...]string{
	"classification.identifier",
	"classification.taxonomy",
	"classification.type",
	"comment",
	"destination.abuse_contact",
	"destination.account",
	"destination.allocated",
	"destination.as_name",
	"destination.asn",
	"destination.domain_suffix",
	"destination.fqdn",
	"destination.geolocation.cc",
	"destination.geolocation.city",
	"destination.geolocation.country",
	"destination.geolocation.latitude",
	"destination.geolocation.longitude",
	"destination.geolocation.region",
	"destination.geolocation.state",
	"destination.ip",
	"destination.local_hostname",
	"destination.local_ip",
	"destination.network",
	"destination.port",
	"destination.registry",
	"destination.reverse_dns",
	"destination.tor_node",
	"destination.url",
	"destination.urlpath",
	"event_description.target",
	"event_description.text",
	"event_description.url",
	"event_hash",
	"extra",
	"feed.accuracy",
	"feed.code",
	"feed.documentation",
	"feed.name",
	"feed.provider",
	"feed.url",
	"malware.hash.md5",
	"malware.hash.sha1",
	"malware.hash.sha256",
	"malware.name",
	"malware.version",
	"misp.attribute_uuid",
	"misp.event_uuid",
	"output",
	"protocol.application",
	"protocol.transport",
	"raw",
	"rtir_id",
	"screenshot_url",
	"source.abuse_contact",
	"source.account",
	"source.allocated",
	"source.as_name",
	"source.asn",
	"source.domain_suffix",
	"source.fqdn",
	"source.geolocation.cc",
	"source.geolocation.city",
	"source.geolocation.country",
	"source.geolocation.cymru_cc",
	"source.geolocation.geoip_cc",
	"source.geolocation.latitude",
	"source.geolocation.longitude",
	"source.geolocation.region",
	"source.geolocation.state",
	"source.ip",
	"source.local_hostname",
	"source.local_ip",
	"source.network",
	"source.port",
	"source.registry",
	"source.reverse_dns",
	"source.tor_node",
	"source.url",
	"source.urlpath",
	"status",
	"time.observation",
	"time.source",
	"tlp",
}

// compactIndex finds a key's code: compactHash of a key of compactKeys is
// the position of its code plus one in compactIndex, 0 for none.
var compactIndex = func() (t [512]uint8) {
	for i, k := range compactKeys {
		h := compactHash(k, compactHashSeed)
		if t[h] != 0 {
			panic("message: two keys of the compact form share a slot; search compactHashSeed again")
		}
		t[h] = uint8(i + 1)
	}
	return t
}()

// compactHashSeed is the first seed for which compactHash gives every key
// of compactKeys a slot of its own (found by trying 1, 2, ...; a key added
// to the table may need the search again, which the package's first use
// reports by panicking).
const compactHashSeed = 622

// compactHash mixes a key's length and three of its bytes: the last two,
// which tell most field names apart, and the fourth from the end
// (geoip_cc, cymru_cc).
func compactHash(key string, seed uint32) uint32 {
	n := len(key)
	if n < 2 {
		return 0
	}
	x := uint32(n) | uint32(key[n-1])<<8 | uint32(key[n-2])<<16 | uint32(key[max(n-4, 0)])<<24
	return (x * (seed*2 + 0x9e3779b1)) >> 23
}

// compactCode returns the code of key plus one, 0 for a key without one.
func compactCode(key string) uint8 {
	c := compactIndex[compactHash(key, compactHashSeed)]
	if c == 0 || compactKeys[c-1] != key {
		return 0
	}
	return c
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
