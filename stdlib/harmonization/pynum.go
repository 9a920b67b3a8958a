// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file parses numbers from text as Python's int() and float() do.

var (
	errNotNumber  = errors.New("not a number")
	errOutOfRange = errors.New("number out of the 64-bit range")
)

// pyNumText prepares s for int() or float() as Python does: every Unicode
// decimal digit becomes its ASCII digit, non-ASCII white space becomes ' ',
// and the surrounding white space is removed. Any other non-ASCII character
// makes the text invalid.
func pyNumText(s string) (string, bool) {
	if isASCII(s) {
		return strings.Trim(s, " \t\n\v\f\r"), true
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b = append(b, byte(r))
		case pyNumSpace(r):
			b = append(b, ' ')
		default:
			d, ok := decimalValue(r)
			if !ok {
				return "", false
			}
			b = append(b, byte('0'+d))
		}
	}
	return strings.Trim(string(b), " \t\n\v\f\r"), true
}

// decimalValue returns the value of a Unicode decimal digit (category Nd).
// Unicode encodes every decimal digit in a contiguous run from 0 to 9, so
// the value is the position in the run of adjacent digits.
func decimalValue(r rune) (int, bool) {
	if !unicode.Is(unicode.Nd, r) {
		return 0, false
	}
	n := 0
	for unicode.Is(unicode.Nd, r-rune(n)-1) {
		n++
	}
	return n % 10, true
}

// dropUnderscores removes the underscores of s, which Python allows only
// between two digits.
func dropUnderscores(s string) (string, bool) {
	if strings.IndexByte(s, '_') < 0 {
		return s, true
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '_' {
			if i == 0 || i == len(s)-1 || !isDigitByte(s[i-1]) || !isDigitByte(s[i+1]) {
				return "", false
			}
			continue
		}
		b = append(b, s[i])
	}
	return string(b), true
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

// pyParseInt parses s as Python's int(s) does, limited to 64 bits.
func pyParseInt(s string) (int64, error) {
	t, ok := pyNumText(s)
	if !ok || t == "" {
		return 0, errNotNumber
	}
	digits := t
	if digits[0] == '+' || digits[0] == '-' {
		digits = digits[1:]
	}
	if digits == "" || !isDigitByte(digits[0]) {
		return 0, errNotNumber
	}
	if t, ok = dropUnderscores(t); !ok {
		return 0, errNotNumber
	}
	for i := 1; i < len(t); i++ {
		if !isDigitByte(t[i]) {
			return 0, errNotNumber
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return 0, errOutOfRange
	}
	return n, nil
}

// pyParseFloat parses s as Python's float(s) does: decimal notation with
// optional underscores between digits, or inf, infinity and nan in any case.
// Hexadecimal notation is not accepted, as in Python.
func pyParseFloat(s string) (float64, error) {
	t, ok := pyNumText(s)
	if !ok || t == "" {
		return 0, errNotNumber
	}
	body := t
	neg := false
	if body[0] == '+' || body[0] == '-' {
		neg = body[0] == '-'
		body = body[1:]
	}
	switch strings.ToLower(body) {
	case "inf", "infinity":
		if neg {
			return math.Inf(-1), nil
		}
		return math.Inf(1), nil
	case "nan":
		return math.NaN(), nil
	}
	if t, ok = dropUnderscores(t); !ok || !isDecimalFloat(t) {
		return 0, errNotNumber
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, errNotNumber
	}
	return f, nil // out of range gives ±Inf or 0, as in Python
}

// isDecimalFloat reports whether s matches [+-]? (d+ (. d*)? | . d+)
// ([eE] [+-]? d+)?, with ASCII digits d.
func isDecimalFloat(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	intDigits := 0
	for i < len(s) && isDigitByte(s[i]) {
		i++
		intDigits++
	}
	fracDigits := 0
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigitByte(s[i]) {
			i++
			fracDigits++
		}
	}
	if intDigits+fracDigits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		expDigits := 0
		for i < len(s) && isDigitByte(s[i]) {
			i++
			expDigits++
		}
		if expDigits == 0 {
			return false
		}
	}
	return i == len(s)
}
