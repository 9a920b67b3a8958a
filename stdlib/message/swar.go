// SPDX-License-Identifier: AGPL-3.0-or-later

package message

// Word-at-a-time scanning: the JSON scanner and writer skip runs of plain
// ASCII eight bytes at a time.

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

// hasZeroByte reports whether any byte of x is zero.
func hasZeroByte(x uint64) bool { return (x-lsb)&^x&msb != 0 }

// hasByte reports whether any byte of x equals b.
func hasByte(x uint64, b byte) bool { return hasZeroByte(x ^ (lsb * uint64(b))) }

// hasLess reports whether any byte of x is below n (n <= 128).
func hasLess(x uint64, n byte) bool { return (x-lsb*uint64(n))&^x&msb != 0 }

// stringRun returns the length of the prefix of s[i:] (in whole words) that
// holds no '"', '\\' or control character: string content to copy as is.
func stringRun(s string, i int) int {
	j := i
	for j+8 <= len(s) {
		x := load8(s[j : j+8])
		if hasLess(x, 0x20) || hasByte(x, '"') || hasByte(x, '\\') {
			break
		}
		j += 8
	}
	return j - i
}

// asciiRun is stringRun that also stops at bytes from 0x7F up, which the
// ASCII-escaping writer must look at.
func asciiRun(s string, i int) int {
	j := i
	for j+8 <= len(s) {
		x := load8(s[j : j+8])
		if x&msb != 0 || hasLess(x, 0x20) || hasByte(x, '"') || hasByte(x, '\\') || hasByte(x, 0x7F) {
			break
		}
		j += 8
	}
	return j - i
}
