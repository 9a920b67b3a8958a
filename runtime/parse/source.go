// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"bytes"
	"encoding/binary"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// textSource yields a report's text in pieces. Every piece but the last
// ends just after a "\n", so a line never spans two pieces (a CSV record
// may, inside a quoted field). The line-based readers read a source piece
// by piece, so that a report's decoded text is never held whole.
type textSource interface {
	// next returns the next piece, or false after the last.
	next() (string, bool)
}

// wholeText is a textSource of one piece.
type wholeText struct {
	s    string
	done bool
}

func (w *wholeText) next() (string, bool) {
	if w.done || w.s == "" {
		return "", false
	}
	w.done = true
	return w.s, true
}

// chunkSize is the number of base64 characters a b64Chunks decodes at a
// time: 192 KiB of text.
const chunkSize = 256 << 10

// b64Chunks decodes canonical base64 (as collectors and IntelMQ write raw:
// no white space, padding only at the end) piece by piece. Invalid UTF-8
// bytes are dropped, as IntelMQ's base64_decode does.
type b64Chunks struct {
	b64   string
	carry []byte // decoded bytes after the last "\n" so far
	buf   []byte // scratch space for decoding, reused
	size  int    // base64 characters per step; a multiple of 4
	dec   *b64Tables
}

// b64Tables decode four base64 characters with four look-ups: the value of
// the i-th character of a group, placed in the bits of the three bytes it
// makes, in memory order (little endian).
type b64Tables [4][256]uint32

// newB64Tables returns the tables of the standard alphabet; a character
// outside it decodes as 0.
func newB64Tables() *b64Tables {
	t := new(b64Tables)
	for c := range 256 {
		v := uint32(b64Value(byte(c)))
		if v >= 64 {
			continue
		}
		t[0][c] = v << 2
		t[1][c] = v>>4 | (v&15)<<12
		t[2][c] = (v>>2)<<8 | (v&3)<<22
		t[3][c] = v << 16
	}
	return t
}

// newB64Chunks returns a source over the base64 text s, or false when s is
// not canonical base64 and must be decoded leniently as a whole.
func newB64Chunks(s string) (*b64Chunks, bool) {
	if len(s)%4 != 0 {
		return nil, false
	}
	body := strings.TrimRight(s, "=")
	if len(s)-len(body) > 2 {
		return nil, false
	}
	var acc byte // 0xFF for any byte outside the alphabet sets the high bits
	for len(body) >= 8 {
		acc |= b64Value(body[0]) | b64Value(body[1]) | b64Value(body[2]) | b64Value(body[3]) |
			b64Value(body[4]) | b64Value(body[5]) | b64Value(body[6]) | b64Value(body[7])
		body = body[8:]
	}
	for i := 0; i < len(body); i++ {
		acc |= b64Value(body[i])
	}
	if acc >= 64 {
		return nil, false
	}
	return &b64Chunks{b64: s, size: chunkSize, dec: newB64Tables()}, true
}

func (c *b64Chunks) next() (string, bool) {
	for {
		if c.b64 == "" {
			if len(c.carry) == 0 {
				return "", false
			}
			s := validText(c.carry)
			c.carry = nil
			return s, true
		}
		n := min(len(c.b64), c.size)
		buf := c.dec.appendDecode(append(c.buf[:0], c.carry...), c.b64[:n])
		c.buf = buf
		c.b64 = c.b64[n:]
		i := bytes.LastIndexByte(buf, '\n')
		if c.b64 == "" {
			i = len(buf) - 1
		}
		// The piece is copied out of buf, which the next step reuses.
		c.carry = append(c.carry[:0], buf[i+1:]...) // all of buf if it has no line end
		if i < 0 {
			continue
		}
		return validText(buf[:i+1]), true
	}
}

// validText returns b as a string without its invalid UTF-8 bytes.
func validText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "")
}

// b64Value returns the value of a base64 alphabet character, or 0xFF.
func b64Value(c byte) byte { return harmonization.Base64Value(c) }

// appendB64Decode appends the bytes of canonical base64 text s (a multiple
// of 4 characters, "=" only as final padding) to dst.
func appendB64Decode(dst []byte, s string) []byte {
	// Two groups without padding at a time, written in place.
	dst = slices.Grow(dst, len(s)/4*3)
	out, w := dst[len(dst):len(dst)+len(s)/4*3], 0
	for len(s) >= 8 && s[7] != '=' && w+6 <= len(out) {
		v := uint64(b64Value(s[0]))<<42 | uint64(b64Value(s[1]))<<36 | uint64(b64Value(s[2]))<<30 |
			uint64(b64Value(s[3]))<<24 | uint64(b64Value(s[4]))<<18 | uint64(b64Value(s[5]))<<12 |
			uint64(b64Value(s[6]))<<6 | uint64(b64Value(s[7]))
		o := out[w : w+6 : w+6]
		o[0], o[1], o[2], o[3], o[4], o[5] = byte(v>>40), byte(v>>32), byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
		s = s[8:]
		w += 6
	}
	dst = dst[:len(dst)+w]
	for len(s) >= 4 {
		a, b, c, d := b64Value(s[0]), b64Value(s[1]), b64Value(s[2]), b64Value(s[3])
		switch {
		case s[2] == '=':
			dst = append(dst, a<<2|b>>4)
		case s[3] == '=':
			dst = append(dst, a<<2|b>>4, b<<4|c>>2)
		default:
			dst = append(dst, a<<2|b>>4, b<<4|c>>2, c<<6|d)
		}
		s = s[4:]
	}
	return dst
}

// appendDecode is appendB64Decode with the tables t.
func (t *b64Tables) appendDecode(dst []byte, s string) []byte {
	// Whole groups without padding (which only the last group may have),
	// two at a time, written in place eight bytes at a time: the last two
	// are overwritten by the next step, so there must be room for them.
	n := len(s) / 4
	if n > 0 && s[len(s)-1] == '=' {
		n--
	}
	n &^= 1
	l := len(dst)
	dst = slices.Grow(dst, n*3+2)
	out := dst[l : l+n*3+2]
	t0, t1, t2, t3 := &t[0], &t[1], &t[2], &t[3]
	for i, o := 0, 0; i < n*4; i, o = i+8, o+6 {
		g := s[i : i+8]
		lo := t0[g[0]] | t1[g[1]] | t2[g[2]] | t3[g[3]]
		hi := t0[g[4]] | t1[g[5]] | t2[g[6]] | t3[g[7]]
		binary.LittleEndian.PutUint64(out[o:], uint64(lo)|uint64(hi)<<24)
	}
	return appendB64Decode(dst[:l+n*3], s[n*4:])
}
