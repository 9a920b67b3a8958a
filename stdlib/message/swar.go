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
// control character, '"' or '\\'. (The high bits of x^'"', x^'\\' and x
// are the same, so one "&^ x" serves the three tests.)
func stringMask(x uint64) uint64 {
	q := (x ^ (lsb * '"')) - lsb
	b := (x ^ (lsb * '\\')) - lsb
	return ((x - lsb*0x20) | q | b) &^ x & msb
}

// asciiMask is stringMask that also flags the bytes from 0x7F up, which the
// ASCII-escaping writer must look at.
func asciiMask(x uint64) uint64 { return stringMask(x) | ((x+lsb)|x)&msb }

// stringRun returns the position of the first control character, '"' or
// '\\' at or after s[i], or len(s): the end of the string content to copy
// as it is.
func stringRun(s string, i int) int {
	j := i
	for ; j+8 <= len(s); j += 8 {
		if m := stringMask(load8(s[j : j+8])); m != 0 {
			return j + bits.TrailingZeros64(m)/8
		}
	}
	if j == len(s) {
		return j
	}
	if m := stringMask(tailWord(s, j)); m != 0 {
		return j + bits.TrailingZeros64(m)/8
	}
	return len(s)
}

// asciiRun is stringRun that also stops at bytes from 0x7F up.
func asciiRun(s string, i int) int {
	j := i
	for ; j+8 <= len(s); j += 8 {
		if m := asciiMask(load8(s[j : j+8])); m != 0 {
			return j + bits.TrailingZeros64(m)/8
		}
	}
	if j == len(s) {
		return j
	}
	if m := asciiMask(tailWord(s, j)); m != 0 {
		return j + bits.TrailingZeros64(m)/8
	}
	return len(s)
}

// tailWord returns the bytes s[j:] (fewer than 8) as the low bytes of a
// word padded with 'a', which no mask flags.
func tailWord(s string, j int) uint64 {
	if len(s) >= 8 { // one load of the last 8 bytes, shifted down
		return load8(s[len(s)-8:])>>(8*uint(j-(len(s)-8))) | 0x6161616161616161<<(8*uint(len(s)-j))
	}
	var x uint64
	for k := len(s) - 1; k >= j; k-- {
		x = x<<8 | uint64(s[k])
	}
	return x | 0x6161616161616161<<(8*uint(len(s)-j))
}

// isASCII reports whether s holds only ASCII bytes.
func isASCII(s string) bool {
	var acc uint64
	i := 0
	for ; i+8 <= len(s); i += 8 {
		acc |= load8(s[i : i+8])
	}
	switch {
	case i == len(s):
	case len(s) >= 8:
		acc |= load8(s[len(s)-8:])
	default:
		for ; i < len(s); i++ {
			acc |= uint64(s[i])
		}
	}
	return acc&msb == 0
}
