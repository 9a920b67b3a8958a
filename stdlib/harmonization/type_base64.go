// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unsafe"
)

// base64Type is IntelMQ's Base64, the type of raw: base64 text of the
// original data.
type base64Type struct{}

func (base64Type) Name() string { return TypeBase64 }

// Validate accepts a non-empty string that decodes leniently, as Python's
// base64.b64decode does without validate=True: characters outside the
// alphabet are skipped ("a b c d" and "!!!!" are valid). A padding error,
// which makes IntelMQ raise an exception, gives false.
func (base64Type) Validate(v Value) bool {
	if !isText(v) {
		return false
	}
	if isPaddedBase64(v.s) {
		return true
	}
	_, err := decodeBase64(v.s, false)
	return err == nil
}

// b64Values maps every byte to its 6-bit value in the standard base64
// alphabet, or 0xFF.
const b64Values = "" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x3e\xff\xff\xff\x3f" +
	"\x34\x35\x36\x37\x38\x39\x3a\x3b\x3c\x3d\xff\xff\xff\xff\xff\xff" +
	"\xff\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e" +
	"\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\xff\xff\xff\xff\xff" +
	"\xff\x1a\x1b\x1c\x1d\x1e\x1f\x20\x21\x22\x23\x24\x25\x26\x27\x28" +
	"\x29\x2a\x2b\x2c\x2d\x2e\x2f\x30\x31\x32\x33\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"

// isPaddedBase64 reports whether s is standard padded base64 with nothing
// else in it, the form EncodeBase64 writes. Such text always decodes; for
// other text the lenient decoder decides.
func isPaddedBase64(s string) bool {
	n := len(s)
	if n == 0 || n%4 != 0 {
		return false
	}
	if s[n-1] == '=' {
		n--
		if s[n-1] == '=' {
			n--
		}
	}
	var acc byte
	t := s[:n]
	for ; len(t) >= 4; t = t[4:] {
		acc |= b64Values[t[0]] | b64Values[t[1]] | b64Values[t[2]] | b64Values[t[3]]
	}
	for i := 0; i < len(t); i++ {
		acc |= b64Values[t[i]]
	}
	return acc < 64 // 0xFF for any other byte sets the high bits
}

// Sanitize always encodes: the string's bytes are base64-encoded with
// padding. So a value added to raw is the plain text, and an already encoded
// value is encoded a second time, as in IntelMQ. Kinds other than string
// fail. Sanitize is therefore not idempotent.
func (t base64Type) Sanitize(v Value) (Value, error) {
	out, _, err := t.sanitizeValid(v)
	return out, err
}

// sanitizeValid is Sanitize; its result is valid unless it is empty.
func (base64Type) sanitizeValid(v Value) (Value, bool, error) {
	if v.kind != KindString {
		return Value{}, false, failf(TypeBase64, "a %s value cannot be encoded", v.kind)
	}
	return String(EncodeBase64(v.s)), v.s != "", nil
}

// b64Alphabet is the standard base64 alphabet.
const b64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// EncodeBase64 returns the standard padded base64 of data, as Python's
// base64.b64encode writes it. It allocates only the result.
func EncodeBase64[T string | []byte](data T) string {
	dst := make([]byte, (len(data)+2)/3*4)
	switch d := any(data).(type) {
	case string:
		encodeBase64(dst, d, b64Pairs())
	case []byte:
		encodeBase64(dst, str(d), b64Pairs()) // only read
	}
	return str(dst)
}

// b64Pairs holds the two characters of every 12-bit value (the first in
// the low byte), so that three bytes take two look-ups rather than four.
var b64Pairs = sync.OnceValue(func() *[4096]uint16 {
	t := new([4096]uint16)
	for v := range t {
		t[v] = uint16(b64Alphabet[v>>6]) | uint16(b64Alphabet[v&63])<<8
	}
	return t
})

// Arena holds many small texts in shared blocks of memory, so that a
// parser writing the raw (base64) and other texts of every event of a
// report allocates once per block rather than once per text. A string it
// returns is immutable like any other (the arena only ever writes after
// it) and stays valid while referenced, but keeps its whole block
// (arenaBlock bytes) alive. The zero value is ready to use; an arena is
// not safe for concurrent use.
type Arena struct {
	block []byte        // the current block; its length is the part in use
	pairs *[4096]uint16 // b64Pairs, kept at hand
}

// arenaBlock is the size of an Arena's blocks; a text longer than a
// quarter of it gets its own allocation.
const arenaBlock = 16 << 10

// take returns the next n bytes of the current block, or of a new one, or
// false when n is too long to share a block.
func (a *Arena) take(n int) ([]byte, bool) {
	if n > arenaBlock/4 {
		return nil, false
	}
	l := len(a.block)
	if cap(a.block)-l < n {
		// A new block: the strings of the old one keep it.
		a.block, l = make([]byte, 0, arenaBlock), 0
	}
	a.block = a.block[:l+n]
	return a.block[l : l+n : l+n], true
}

// str returns b as a string without copying it: b must not change while
// the string is in use (a part of a block the arena never writes again, a
// new result, or a buffer only read meanwhile).
func str(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// Base64 returns EncodeBase64(data), written into the arena.
func (a *Arena) Base64(data string) string {
	dst, ok := a.take((len(data) + 2) / 3 * 4)
	if !ok || len(dst) == 0 {
		return EncodeBase64(data)
	}
	if a.pairs == nil {
		a.pairs = b64Pairs()
	}
	encodeBase64(dst, data, a.pairs)
	return str(dst)
}

// Bytes returns b as a string in the arena.
func (a *Arena) Bytes(b []byte) string {
	dst, ok := a.take(len(b))
	if !ok {
		return string(b)
	}
	copy(dst, b)
	return str(dst)
}

// Concat returns s+t as a string in the arena.
func (a *Arena) Concat(s, t string) string {
	dst, ok := a.take(len(s) + len(t))
	if !ok {
		return s + t
	}
	copy(dst[copy(dst, s):], t)
	return str(dst)
}

// encodeBase64 writes the standard padded base64 of data to dst, which
// has exactly its length, with the table b64Pairs.
func encodeBase64(dst []byte, data string, pairs *[4096]uint16) {
	o := 0
	// Six bytes, eight characters, at a time.
	for len(data) >= 6 && o+8 <= len(dst) {
		_ = data[5]
		v := uint64(data[0])<<40 | uint64(data[1])<<32 | uint64(data[2])<<24 |
			uint64(data[3])<<16 | uint64(data[4])<<8 | uint64(data[5])
		binary.LittleEndian.PutUint64(dst[o:], uint64(pairs[v>>36&0xFFF])|uint64(pairs[v>>24&0xFFF])<<16|
			uint64(pairs[v>>12&0xFFF])<<32|uint64(pairs[v&0xFFF])<<48)
		data, o = data[6:], o+8
	}
	if len(data) >= 3 {
		v := uint32(data[0])<<16 | uint32(data[1])<<8 | uint32(data[2])
		binary.LittleEndian.PutUint32(dst[o:], uint32(pairs[v>>12&0xFFF])|uint32(pairs[v&0xFFF])<<16)
		data, o = data[3:], o+4
	}
	switch len(data) {
	case 2:
		v := uint(data[0])<<16 | uint(data[1])<<8
		dst[o], dst[o+1], dst[o+2], dst[o+3] = b64Alphabet[v>>18&63], b64Alphabet[v>>12&63], b64Alphabet[v>>6&63], '='
	case 1:
		v := uint(data[0]) << 16
		dst[o], dst[o+1], dst[o+2], dst[o+3] = b64Alphabet[v>>18&63], b64Alphabet[v>>12&63], '=', '='
	}
}

// ErrBase64Padding is returned by Base64Decode for text whose base64
// characters do not end on a complete group, Python's "Incorrect padding"
// (or "Invalid base64-encoded string") error. ErrBase64Length, which wraps
// it, is the case of one character more than a multiple of four.
var (
	ErrBase64Padding = errors.New("incorrect base64 padding")
	ErrBase64Length  = fmt.Errorf("%w: the number of data characters is 1 more than a multiple of 4", ErrBase64Padding)
)

// Base64DecodeBytes decodes base64 text as Python's base64.b64decode does
// without validation (CPython's binascii.a2b_base64 in its default mode):
// characters outside the alphabet are skipped and decoding stops at the
// padding that completes a group. Text whose groups are incomplete gives
// ErrBase64Padding (ErrBase64Length for a lone last character).
func Base64DecodeBytes(s string) ([]byte, error) { return decodeBase64(s, true) }

// Base64Decode decodes base64 text as IntelMQ's utils.base64_decode does:
// characters outside the base64 alphabet are skipped, decoding stops at the
// padding that completes a group, and the bytes are read as UTF-8 with
// invalid sequences dropped. Text whose groups are incomplete gives
// ErrBase64Padding.
func Base64Decode(s string) (string, error) {
	b, err := decodeBase64(s, true)
	if err != nil {
		return "", err
	}
	return strings.ToValidUTF8(string(b), ""), nil
}

// Base64Value returns the 6-bit value of a character of the standard
// base64 alphabet, or 0xFF for any other byte.
func Base64Value(c byte) byte { return b64Values[c] }

// decodeBase64 is CPython's binascii.a2b_base64 in non-strict mode. With
// keep false it only checks the input and returns no bytes.
func decodeBase64(s string, keep bool) ([]byte, error) {
	var out []byte
	if keep {
		out = make([]byte, 0, len(s)*3/4)
	}
	var quad, pads int
	var left byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '=' {
			if quad >= 2 {
				pads++
				if quad+pads >= 4 {
					return out, nil // a complete padded group ends the data
				}
			}
			continue
		}
		d := Base64Value(c)
		if d == 0xFF {
			continue
		}
		pads = 0
		switch quad {
		case 0:
			left = d
		case 1:
			out = appendIf(keep, out, left<<2|d>>4)
			left = d & 0x0F
		case 2:
			out = appendIf(keep, out, left<<4|d>>2)
			left = d & 0x03
		case 3:
			out = appendIf(keep, out, left<<6|d)
		}
		quad = (quad + 1) % 4
	}
	switch quad {
	case 0:
		return out, nil
	case 1:
		return nil, ErrBase64Length
	}
	return nil, ErrBase64Padding
}

func appendIf(keep bool, b []byte, c byte) []byte {
	if keep {
		return append(b, c)
	}
	return b
}
