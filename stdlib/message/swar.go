// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import "math/bits"

// Word-at-a-time scanning: the JSON scanner and writer skip runs of plain
// ASCII eight bytes at a time.
//
// The masks below set the high bit of every byte of a word that needs
// attention. They use the borrow (or carry) of a subtraction (addition)
// across bytes, which may flag a byte above one that is truly flagged but
// never one below it, so the lowest flagged byte is always exact.

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// load8 reads the first 8 bytes of s as a little-endian word (one load).
func load8(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// stringMask flags the bytes of x that end a run of JSON string content: a
// control character, '"' or '\\'.
func stringMask(x uint64) uint64 {
	q := x ^ (lsb * '"')
	b := x ^ (lsb * '\\')
	return ((x-lsb*0x20)&^x | (q-lsb)&^q | (b-lsb)&^b) & msb
}

// runMask flags the bytes of x that stringRun (ascii false) or asciiRun
// (ascii true) stop at. For ascii it adds the bytes from 0x7F up, which the
// ASCII-escaping writer must look at.
func runMask(x uint64, ascii bool) uint64 {
	m := stringMask(x)
	if ascii {
		m |= (x + lsb | x) & msb
	}
	return m
}

// scanRun returns the position of the first byte at or after i that
// runMask flags, or len(s).
func scanRun(s string, i int, ascii bool) int {
	j := i
	for ; j+8 <= len(s); j += 8 {
		if m := runMask(load8(s[j:]), ascii); m != 0 {
			return j + bits.TrailingZeros64(m)/8
		}
	}
	if j == len(s) {
		return j
	}
	if len(s)-8 >= i {
		// The last word overlaps bytes scanned above, which hold nothing
		// flagged and so cannot disturb the bytes above them.
		skip := uint(j - (len(s) - 8))
		if m := runMask(load8(s[len(s)-8:]), ascii) >> (8 * skip); m != 0 {
			return j + bits.TrailingZeros64(m)/8
		}
		return len(s)
	}
	// Fewer than 8 bytes from i: those, padded with 'a', which is never
	// flagged.
	var x uint64
	for k := len(s) - 1; k >= j; k-- {
		x = x<<8 | uint64(s[k])
	}
	x |= 0x6161616161616161 << (8 * uint(len(s)-j))
	if m := runMask(x, ascii); m != 0 {
		return j + bits.TrailingZeros64(m)/8
	}
	return len(s)
}

// stringRun returns the position of the first control character, '"' or
// '\\' at or after s[i], or len(s): the end of the string content to copy
// as it is.
func stringRun(s string, i int) int { return scanRun(s, i, false) }

// asciiRun is stringRun that also stops at bytes from 0x7F up.
func asciiRun(s string, i int) int { return scanRun(s, i, true) }
