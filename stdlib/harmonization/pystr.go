// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the Python string operations the types are defined with:
// str.isspace, str.strip, str.lower and str.upper with Python's full case
// mappings, and the truth value of a value.

// pyIsSpace reports whether Python's str.isspace is true for r.
func pyIsSpace(r rune) bool {
	switch {
	case r == ' ' || ('\t' <= r && r <= '\r') || (0x1c <= r && r <= 0x1f):
		return true
	case r < 0x85:
		return false
	}
	// U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F,
	// U+205F and U+3000: exactly Go's White_Space set above Latin-1.
	return unicode.IsSpace(r)
}

// pyNumSpace reports whether int() and float() skip r around a number:
// Python maps every non-ASCII white space to ' ' but keeps ASCII 0x1c..0x1f,
// which its C-level isspace does not skip.
func pyNumSpace(r rune) bool {
	return pyIsSpace(r) && (r < 0x1c || r > 0x1f)
}

// pyStrip is Python's str.strip() without arguments.
func pyStrip(s string) string {
	if s == "" {
		return s
	}
	if c := s[0]; c > ' ' && c < utf8.RuneSelf {
		if c = s[len(s)-1]; c > ' ' && c < utf8.RuneSelf {
			return s // fast path: no white space at either end
		}
	}
	return strings.TrimFunc(s, pyIsSpace)
}

// isASCII reports whether s holds only ASCII bytes. It reads s eight bytes
// at a time.
func isASCII(s string) bool {
	const msb = 0x8080808080808080
	var acc uint64
	for len(s) >= 8 {
		acc |= uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		s = s[8:]
	}
	for i := 0; i < len(s); i++ {
		acc |= uint64(s[i])
	}
	return acc&msb == 0
}

// pyIsLower reports whether s == s.lower() in Python.
func pyIsLower(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			for _, r := range s[i:] {
				if r == 0x130 || unicode.ToLower(r) != r {
					return false
				}
			}
			return true
		}
		if 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return true
}

// pyIsUpper reports whether s == s.upper() in Python.
func pyIsUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			for _, r := range s[i:] {
				if unicode.ToUpper(r) != r {
					return false
				}
				if _, ok := specialUpper(r); ok {
					return false
				}
			}
			return true
		}
		if 'a' <= c && c <= 'z' {
			return false
		}
	}
	return true
}

// pyLower is Python's str.lower(): full case mapping, so U+0130 becomes
// "i\u0307", and a capital sigma at the end of a word becomes the final
// sigma U+03C2.
func pyLower(s string) string {
	if pyIsLower(s) {
		return s
	}
	if isASCII(s) {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	for i, r := range s {
		switch r {
		case 0x130:
			b.WriteString("i\u0307")
		case 0x3A3:
			if finalSigma(s, i) {
				b.WriteRune(0x3C2)
			} else {
				b.WriteRune(0x3C3)
			}
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// pyUpper is Python's str.upper(): full case mapping, so "ß" becomes "SS".
func pyUpper(s string) string {
	if pyIsUpper(s) {
		return s
	}
	if isASCII(s) {
		return strings.ToUpper(s)
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	for _, r := range s {
		if m, ok := specialUpper(r); ok {
			b.WriteString(m)
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// finalSigma reports whether the capital sigma at byte offset i of s is in
// Unicode's Final_Sigma context: preceded by a cased letter and not followed
// by one, ignoring case-ignorable characters in between.
func finalSigma(s string, i int) bool {
	before := s[:i]
	for before != "" {
		r, n := utf8.DecodeLastRuneInString(before)
		before = before[:len(before)-n]
		if !isCaseIgnorable(r) {
			if !isCased(r) {
				return false
			}
			for _, r := range s[i+utf8.RuneLen(0x3A3):] {
				if !isCaseIgnorable(r) {
					return !isCased(r)
				}
			}
			return true
		}
	}
	return false
}

// isCased reports Unicode's Cased property.
func isCased(r rune) bool {
	return unicode.In(r, unicode.Lu, unicode.Ll, unicode.Lt, unicode.Other_Lowercase, unicode.Other_Uppercase)
}

// isCaseIgnorable reports Unicode's Case_Ignorable property: marks, format
// characters, modifiers and the word-internal punctuation of Word_Break
// MidLetter, MidNumLet and Single_Quote.
func isCaseIgnorable(r rune) bool {
	switch r {
	case '\'', '.', ':', 0xB7, 0x387, 0x55F, 0x5F4, 0x2018, 0x2019, 0x2024, 0x2027,
		0xFE13, 0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A:
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk)
}

// pyTruthy reports Python's truth value of the value IntelMQ would hold:
// None, "", 0, 0.0, False, {} and [] are false.
func pyTruthy(v Value) bool {
	switch v.kind {
	case KindString:
		return v.s != ""
	case KindInt, KindBool:
		return v.n != 0
	case KindFloat:
		return v.fl() != 0
	case KindJSON:
		return !isEmptyJSON(v.s)
	}
	return false
}

// isEmptyJSON reports whether the JSON text is null, {} or [].
func isEmptyJSON(text string) bool {
	t := strings.TrimLeft(text, " \t\r\n")
	switch {
	case strings.HasPrefix(t, "null"):
		return true
	case strings.HasPrefix(t, "{"), strings.HasPrefix(t, "["):
		rest := strings.TrimLeft(t[1:], " \t\r\n")
		return strings.HasPrefix(rest, "}") || strings.HasPrefix(rest, "]")
	}
	return false
}

// isJSONNull reports whether the JSON text is null, which stands for Python's
// None.
func isJSONNull(text string) bool {
	return strings.Trim(text, " \t\r\n") == "null"
}

// genericSanitize is IntelMQ's GenericType.sanitize: a false value gives
// None (ok false), a string is stripped, anything else becomes Python's
// str() of it.
func genericSanitize(v Value) (string, bool) {
	if !pyTruthy(v) {
		return "", false
	}
	if v.kind == KindString {
		return pyStrip(pyText(v.s)), true
	}
	return PyStr(v), true
}

// pyText returns s with invalid UTF-8 bytes dropped, as IntelMQ decodes
// bytes ("utf-8" with errors ignored) before it sanitizes them. Go strings
// may hold any bytes; Python text cannot.
func pyText(s string) string {
	if isASCII(s) || utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "")
}
