// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// This file is a small JSON scanner with the grammar of Python's json.loads:
// strict strings (no raw control characters), NaN / Infinity / -Infinity
// accepted, integers of any size, and lone surrogate escapes kept (as WTF-8
// bytes, since a Go string cannot hold them otherwise).

// maxDepth bounds the nesting of arrays and objects, as Python's recursion
// limit does for json.loads.
const maxDepth = 1000

// syntaxError returns a *DecodeError at pos.
func syntaxError(pos int, reason string) error {
	return &DecodeError{Offset: pos, Reason: reason}
}

// skipWS returns the position of the first non-whitespace byte at or after pos.
func skipWS(src string, pos int) int {
	if pos < len(src) && src[pos] > ' ' {
		return pos
	}
	return skipWSLoop(src, pos)
}

// skipWSLoop is skipWS past any whitespace.
func skipWSLoop(src string, pos int) int {
	for pos < len(src) {
		switch src[pos] {
		case ' ', '\t', '\n', '\r':
			pos++
		default:
			return pos
		}
	}
	return pos
}

// describe names the byte at pos for error messages.
func describe(src string, pos int) string {
	if pos >= len(src) {
		return "end of data"
	}
	return strconv.QuoteRune(rune(src[pos]))
}

// stringEnd validates the JSON string starting at src[pos] == '"' and returns
// the position after its closing quote and whether it contains escapes.
func stringEnd(src string, pos int) (int, bool, error) {
	start := pos
	pos++
	escaped := false
	// Plain text is skipped a word at a time up to the next control
	// character, '"' or '\\'.
	for pos = stringRun(src, pos); pos < len(src); pos = stringRun(src, pos) {
		switch c := src[pos]; {
		case c == '"':
			return pos + 1, escaped, nil
		case c == '\\':
			escaped = true
			if pos+1 >= len(src) {
				return 0, false, syntaxError(pos, "unterminated string")
			}
			switch src[pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				pos += 2
			case 'u':
				if _, ok := hex4(src, pos+2); !ok {
					return 0, false, syntaxError(pos, `invalid \u escape`)
				}
				pos += 6
			default:
				return 0, false, syntaxError(pos, "invalid escape "+strconv.Quote(src[pos:pos+2]))
			}
		default:
			return 0, false, syntaxError(pos, "invalid control character in string")
		}
	}
	return 0, false, syntaxError(start, "unterminated string")
}

// hex4 parses the four hex digits at src[pos:].
func hex4(src string, pos int) (rune, bool) {
	if pos+4 > len(src) {
		return 0, false
	}
	var r rune
	for i := pos; i < pos+4; i++ {
		c := src[i]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// scanString parses the JSON string at src[pos] == '"'. It returns its text,
// a substring of src when the string has no escapes, and the position after
// the closing quote.
func scanString(src string, pos int) (string, int, error) {
	if end := stringRun(src, pos+1); end < len(src) && src[end] == '"' {
		return src[pos+1 : end], end + 1, nil // no escapes: the common case
	}
	end, escaped, err := stringEnd(src, pos)
	if err != nil {
		return "", 0, err
	}
	if !escaped {
		return src[pos+1 : end-1], end, nil
	}
	return unescape(src[pos+1 : end-1]), end, nil
}

// unescape decodes the escapes of a validated JSON string body. A surrogate
// pair becomes one character; a lone surrogate becomes its WTF-8 bytes, so
// that it survives a round trip as Python's str does.
func unescape(body string) string {
	var b strings.Builder
	b.Grow(len(body))
	for i := 0; i < len(body); {
		c := body[i]
		if c != '\\' {
			j := i + 1
			for j < len(body) && body[j] != '\\' {
				j++
			}
			b.WriteString(body[i:j])
			i = j
			continue
		}
		switch body[i+1] {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, _ := hex4(body, i+2)
			i += 6
			if r >= 0xD800 && r < 0xDC00 && i+6 <= len(body) && body[i] == '\\' && body[i+1] == 'u' {
				if lo, ok := hex4(body, i+2); ok && lo >= 0xDC00 && lo < 0xE000 {
					r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
					i += 6
				}
			}
			writeWTF8(&b, r)
			continue
		default: // '"', '\\', '/'
			b.WriteByte(body[i+1])
		}
		i += 2
	}
	return b.String()
}

// writeWTF8 writes r as UTF-8, or as the generalized 3-byte form for a
// surrogate code point.
func writeWTF8(b *strings.Builder, r rune) {
	if r >= 0xD800 && r < 0xE000 {
		b.WriteByte(byte(0xE0 | r>>12))
		b.WriteByte(byte(0x80 | (r>>6)&0x3F))
		b.WriteByte(byte(0x80 | r&0x3F))
		return
	}
	b.WriteRune(r)
}

// decodeRune decodes the first character of s like utf8.DecodeRuneInString,
// but also decodes the WTF-8 form of a lone surrogate. An invalid byte gives
// (utf8.RuneError, 1).
func decodeRune(s string) (rune, int) {
	r, n := utf8.DecodeRuneInString(s)
	if n == 1 && r == utf8.RuneError && len(s) >= 3 && s[0] == 0xED && s[1]&0xE0 == 0xA0 && s[2]&0xC0 == 0x80 {
		return 0xD000 | rune(s[1]&0x3F)<<6 | rune(s[2]&0x3F), 3
	}
	return r, n
}

// numberEnd validates the JSON number (Python grammar, plus -Infinity) at
// pos and returns its end and whether it is an integer.
func numberEnd(src string, pos int) (int, bool, error) {
	start := pos
	if pos < len(src) && src[pos] == '-' {
		pos++
		if strings.HasPrefix(src[pos:], "Infinity") {
			return pos + 8, false, nil
		}
	}
	switch {
	case pos < len(src) && src[pos] == '0':
		pos++
	case pos < len(src) && src[pos] >= '1' && src[pos] <= '9':
		pos = digitsEnd(src, pos)
	default:
		return 0, false, syntaxError(start, "invalid value starting with "+describe(src, start))
	}
	isInt := true
	if pos < len(src) && src[pos] == '.' && pos+1 < len(src) && isDigit(src[pos+1]) {
		isInt = false
		pos = digitsEnd(src, pos+1)
	}
	if pos < len(src) && (src[pos] == 'e' || src[pos] == 'E') {
		p := pos + 1
		if p < len(src) && (src[p] == '+' || src[p] == '-') {
			p++
		}
		if p < len(src) && isDigit(src[p]) {
			isInt = false
			pos = digitsEnd(src, p)
		}
	}
	return pos, isInt, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digitsEnd(src string, pos int) int {
	for pos < len(src) && isDigit(src[pos]) {
		pos++
	}
	return pos
}

// literalEnd matches one of the JSON literals (and Python's NaN, Infinity)
// at pos and returns its end.
func literalEnd(src string, pos int) (int, bool) {
	for _, lit := range [...]string{"true", "false", "null", "NaN", "Infinity"} {
		if strings.HasPrefix(src[pos:], lit) {
			return pos + len(lit), true
		}
	}
	return 0, false
}

// numberValue converts a validated number text to a Value: an integer that
// fits int64 becomes KindInt, a larger one stays raw JSON digits (Python ints
// are unbounded), anything else KindFloat with Python's float() rounding
// (overflow gives ±Inf as in Python).
func numberValue(text string, isInt bool) harmonization.Value {
	mant, frac, ok := shortDecimal(text)
	switch {
	case ok && isInt:
		return harmonization.Int(mant)
	case ok:
		// Both numbers are exact in a float64 (mant < 2**53, frac <= 15),
		// so the quotient is correctly rounded, as strconv would give it.
		f := float64(mant) / math.Pow10(frac)
		if mant == 0 && text[0] == '-' {
			f = math.Copysign(0, -1)
		}
		return harmonization.Float(f)
	}
	if isInt {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return harmonization.Int(n)
		}
		return harmonization.RawJSON(text)
	}
	return harmonization.Float(parsePyFloat(text))
}

// shortNumber reads the JSON number at src[pos] in one pass when it has at
// most 15 digits and no exponent, giving the Value numberValue gives, and
// reports false for any other number or text, which numberEnd and
// numberValue then read.
func shortNumber(src string, pos int) (int, harmonization.Value, bool) {
	i, neg := pos, false
	if i < len(src) && src[i] == '-' {
		i, neg = i+1, true
	}
	start := i
	var mant int64
	for ; i < len(src) && isDigit(src[i]); i++ {
		mant = mant*10 + int64(src[i]-'0')
	}
	digits, frac := i-start, -1 // frac < 0: no fraction, an integer
	if digits == 0 || (src[start] == '0' && digits > 1) {
		return 0, harmonization.Value{}, false
	}
	if i < len(src) && src[i] == '.' {
		j := i + 1
		for ; j < len(src) && isDigit(src[j]); j++ {
			mant = mant*10 + int64(src[j]-'0')
		}
		frac = j - i - 1
		digits, i = digits+frac, j
	}
	if frac == 0 || digits > 15 || (i < len(src) && (src[i] == 'e' || src[i] == 'E')) {
		return 0, harmonization.Value{}, false
	}
	if neg {
		mant = -mant
	}
	if frac < 0 {
		return i, harmonization.Int(mant), true
	}
	f := float64(mant) / math.Pow10(frac)
	if mant == 0 && neg {
		f = math.Copysign(0, -1)
	}
	return i, harmonization.Float(f), true
}

// shortDecimal reads a validated number of at most 15 digits without an
// exponent ("-12", "100.0") as mant / 10**frac. ok is false for any other
// number.
func shortDecimal(text string) (mant int64, frac int, ok bool) {
	i, neg := 0, false
	if text[0] == '-' {
		i, neg = 1, true
	}
	digits, dot := 0, -1
	for ; i < len(text); i++ {
		switch c := text[i]; {
		case '0' <= c && c <= '9':
			mant = mant*10 + int64(c-'0')
			digits++
		case c == '.' && dot < 0:
			dot = i
		default:
			return 0, 0, false
		}
	}
	if digits > 15 {
		return 0, 0, false
	}
	if dot >= 0 {
		frac = len(text) - dot - 1
	}
	if neg {
		mant = -mant
	}
	return mant, frac, true
}

// parsePyFloat parses a validated float text, including NaN and ±Infinity.
func parsePyFloat(text string) float64 {
	switch text {
	case "NaN":
		return math.NaN()
	case "Infinity":
		return math.Inf(1)
	case "-Infinity":
		return math.Inf(-1)
	}
	f, _ := strconv.ParseFloat(text, 64) // ErrRange still yields ±Inf or 0, like Python
	return f
}

// skipValue validates the JSON value at pos and returns its end.
func skipValue(src string, pos, depth int) (int, error) {
	if pos >= len(src) {
		return 0, syntaxError(pos, "unexpected end of data, expected a value")
	}
	switch c := src[pos]; {
	case c == '"':
		end, _, err := stringEnd(src, pos)
		return end, err
	case c == '{' || c == '[':
		return skipContainer(src, pos, depth+1)
	case c == '-' || isDigit(c):
		end, _, err := numberEnd(src, pos)
		return end, err
	default:
		if end, ok := literalEnd(src, pos); ok {
			return end, nil
		}
		return 0, syntaxError(pos, "invalid value starting with "+describe(src, pos))
	}
}

// skipContainer validates the object or array at pos and returns its end.
func skipContainer(src string, pos, depth int) (int, error) {
	if depth > maxDepth {
		return 0, syntaxError(pos, "nesting too deep")
	}
	obj := src[pos] == '{'
	closer := byte(']')
	if obj {
		closer = '}'
	}
	pos = skipWS(src, pos+1)
	if pos < len(src) && src[pos] == closer {
		return pos + 1, nil
	}
	for {
		var err error
		if obj {
			if pos, err = skipKey(src, pos); err != nil {
				return 0, err
			}
		}
		if pos, err = skipValue(src, pos, depth); err != nil {
			return 0, err
		}
		pos = skipWS(src, pos)
		if pos < len(src) && src[pos] == ',' {
			pos = skipWS(src, pos+1)
			continue
		}
		if pos < len(src) && src[pos] == closer {
			return pos + 1, nil
		}
		return 0, syntaxError(pos, "expected ',' or "+strconv.QuoteRune(rune(closer))+", found "+describe(src, pos))
	}
}

// skipKey validates an object key and the colon after it and returns the
// position of the value.
func skipKey(src string, pos int) (int, error) {
	if pos >= len(src) || src[pos] != '"' {
		return 0, syntaxError(pos, "expected a string key, found "+describe(src, pos))
	}
	end, _, err := stringEnd(src, pos)
	if err != nil {
		return 0, err
	}
	return colon(src, end)
}

// colon expects optional whitespace, ':' and optional whitespace at pos and
// returns the position after them.
func colon(src string, pos int) (int, error) {
	if pos+2 < len(src) && src[pos] == ':' && src[pos+1] == ' ' && src[pos+2] > ' ' {
		return pos + 2, nil // Python's ": "
	}
	pos = skipWS(src, pos)
	if pos >= len(src) || src[pos] != ':' {
		return 0, syntaxError(pos, "expected ':' after object key, found "+describe(src, pos))
	}
	return skipWS(src, pos+1), nil
}
