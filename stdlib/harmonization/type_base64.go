// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"errors"
	"strings"
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

// The standard base64 alphabet as bit sets: b64Low for the bytes 0..63,
// b64High for 64..127.
const (
	b64Low  = 1<<'+' | 1<<'/' | 0x3FF<<'0'
	b64High = 0x3FFFFFF<<('A'-64) | 0x3FFFFFF<<('a'-64)
)

// isB64Char reports whether c is in the standard base64 alphabet.
func isB64Char(c byte) bool {
	if c < 64 {
		return b64Low>>c&1 != 0
	}
	return c < 128 && b64High>>(c-64)&1 != 0
}

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
	for i := 0; i < n; i++ {
		if !isB64Char(s[i]) {
			return false
		}
	}
	return true
}

// Sanitize always encodes: the string's bytes are base64-encoded with
// padding. So a value added to raw is the plain text, and an already encoded
// value is encoded a second time, as in IntelMQ. Kinds other than string
// fail. Sanitize is therefore not idempotent.
func (base64Type) Sanitize(v Value) (Value, error) {
	if v.kind != KindString {
		return Value{}, failf(TypeBase64, "a %s value cannot be encoded", v.kind)
	}
	return String(EncodeBase64(v.s)), nil
}

// b64Alphabet is the standard base64 alphabet.
const b64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// EncodeBase64 returns the standard padded base64 of data, as Python's
// base64.b64encode writes it. It allocates only the result.
func EncodeBase64[T string | []byte](data T) string {
	var b strings.Builder
	b.Grow((len(data) + 2) / 3 * 4)
	var chunk [4 * 64]byte
	for len(data) > 0 {
		n := 0
		for len(data) >= 3 && n < len(chunk) {
			v := uint(data[0])<<16 | uint(data[1])<<8 | uint(data[2])
			chunk[n], chunk[n+1], chunk[n+2], chunk[n+3] =
				b64Alphabet[v>>18&63], b64Alphabet[v>>12&63], b64Alphabet[v>>6&63], b64Alphabet[v&63]
			n += 4
			data = data[3:]
		}
		if len(data) < 3 && n < len(chunk) {
			switch len(data) {
			case 2:
				v := uint(data[0])<<16 | uint(data[1])<<8
				chunk[n], chunk[n+1], chunk[n+2], chunk[n+3] =
					b64Alphabet[v>>18&63], b64Alphabet[v>>12&63], b64Alphabet[v>>6&63], '='
				n += 4
			case 1:
				v := uint(data[0]) << 16
				chunk[n], chunk[n+1], chunk[n+2], chunk[n+3] = b64Alphabet[v>>18&63], b64Alphabet[v>>12&63], '=', '='
				n += 4
			}
			data = data[:0]
		}
		b.Write(chunk[:n])
	}
	return b.String()
}

// ErrBase64Padding is returned by Base64Decode for text whose base64
// characters do not end on a complete group, Python's "Incorrect padding"
// (or "Invalid base64-encoded string") error.
var ErrBase64Padding = errors.New("incorrect base64 padding")

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

// base64Value returns the 6-bit value of an alphabet character, or 0xFF.
func base64Value(c byte) byte {
	switch {
	case 'A' <= c && c <= 'Z':
		return c - 'A'
	case 'a' <= c && c <= 'z':
		return c - 'a' + 26
	case '0' <= c && c <= '9':
		return c - '0' + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	}
	return 0xFF
}

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
		d := base64Value(c)
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
	if quad != 0 {
		return nil, ErrBase64Padding
	}
	return out, nil
}

func appendIf(keep bool, b []byte, c byte) []byte {
	if keep {
		return append(b, c)
	}
	return b
}
