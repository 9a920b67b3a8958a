// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// jsonStyle selects how JSON text is re-emitted.
type jsonStyle uint8

const (
	// styleASCII escapes every non-ASCII character, as json.dumps does by
	// default (ensure_ascii=True).
	styleASCII jsonStyle = 1 << iota
	// styleSorted sorts object keys (sort_keys=True).
	styleSorted
	// styleRepr writes Python's repr() of the decoded value instead of JSON.
	styleRepr
)

// wireStyle is json.dumps' default output, the form stored for JSON values.
const wireStyle = styleASCII

// member is one member of a JSON object being re-emitted: its key and the
// span of its value in the source.
type member struct {
	key        string
	start, end int
}

// emitter re-emits JSON text in a given style. It follows Python's json.loads
// then json.dumps (or repr): duplicate object keys keep the first position
// and the last value, floats print as Python's repr.
type emitter struct {
	style   jsonStyle
	members []member // a stack shared by the nested objects being emitted
	depth   int
}

// emit appends the single JSON value src (surrounding whitespace allowed).
func (e *emitter) emit(dst []byte, src string) ([]byte, error) {
	dst, end, err := e.value(dst, src, skipWS(src, 0))
	if err != nil {
		return dst, err
	}
	if end = skipWS(src, end); end != len(src) {
		return dst, syntaxError(end, "extra data after JSON value")
	}
	return dst, nil
}

// value appends the JSON value at pos and returns the position after it.
func (e *emitter) value(dst []byte, src string, pos int) ([]byte, int, error) {
	if pos >= len(src) {
		return dst, 0, syntaxError(pos, "unexpected end of data, expected a value")
	}
	switch c := src[pos]; {
	case c == '"':
		s, end, err := scanString(src, pos)
		if err != nil {
			return dst, 0, err
		}
		return e.str(dst, s), end, nil
	case c == '{':
		return e.object(dst, src, pos)
	case c == '[':
		return e.array(dst, src, pos)
	case c == '-' || isDigit(c):
		end, isInt, err := numberEnd(src, pos)
		if err != nil {
			return dst, 0, err
		}
		return e.number(dst, src[pos:end], isInt), end, nil
	}
	end, ok := literalEnd(src, pos)
	if !ok {
		return dst, 0, syntaxError(pos, "invalid value starting with "+describe(src, pos))
	}
	switch lit := src[pos:end]; lit {
	case "NaN", "Infinity":
		return e.float(dst, parsePyFloat(lit)), end, nil
	case "true", "false", "null":
		if e.style&styleRepr != 0 {
			lit = map3(lit, "True", "False", "None")
		}
		return append(dst, lit...), end, nil
	}
	return dst, end, nil
}

// map3 maps true/false/null to the three alternatives.
func map3(lit, t, f, n string) string {
	switch lit {
	case "true":
		return t
	case "false":
		return f
	}
	return n
}

// number appends a validated JSON number in canonical form.
func (e *emitter) number(dst []byte, text string, isInt bool) []byte {
	if isInt {
		if text == "-0" {
			return append(dst, '0')
		}
		return append(dst, text...)
	}
	return e.float(dst, parsePyFloat(text))
}

// float appends f as json.dumps (Infinity, NaN) or repr (inf, nan) does.
func (e *emitter) float(dst []byte, f float64) []byte {
	if e.style&styleRepr != 0 {
		return appendPyFloat(dst, f)
	}
	return appendJSONFloat(dst, f)
}

// str appends a string in the emitter's style.
func (e *emitter) str(dst []byte, s string) []byte {
	if e.style&styleRepr != 0 {
		return appendPyRepr(dst, s)
	}
	return appendJSONString(dst, s, e.style&styleASCII != 0)
}

// array appends the array at pos.
func (e *emitter) array(dst []byte, src string, pos int) ([]byte, int, error) {
	if e.depth++; e.depth > maxDepth {
		return dst, 0, syntaxError(pos, "nesting too deep")
	}
	defer func() { e.depth-- }()
	dst = append(dst, '[')
	pos = skipWS(src, pos+1)
	if pos < len(src) && src[pos] == ']' {
		return append(dst, ']'), pos + 1, nil
	}
	for first := true; ; first = false {
		if !first {
			dst = append(dst, ", "...)
		}
		var err error
		if dst, pos, err = e.value(dst, src, pos); err != nil {
			return dst, 0, err
		}
		pos = skipWS(src, pos)
		if pos < len(src) && src[pos] == ',' {
			pos = skipWS(src, pos+1)
			continue
		}
		if pos < len(src) && src[pos] == ']' {
			return append(dst, ']'), pos + 1, nil
		}
		return dst, 0, syntaxError(pos, "expected ',' or ']', found "+describe(src, pos))
	}
}

// object appends the object at pos: members are collected first so that
// duplicates can be merged and keys sorted.
func (e *emitter) object(dst []byte, src string, pos int) ([]byte, int, error) {
	if e.depth++; e.depth > maxDepth {
		return dst, 0, syntaxError(pos, "nesting too deep")
	}
	defer func() { e.depth-- }()
	base := len(e.members)
	defer func() { e.members = e.members[:base] }()
	end, err := e.collect(src, pos)
	if err != nil {
		return dst, 0, err
	}
	n := mergeDuplicates(e.members[base:])
	e.members = e.members[:base+n]
	if e.style&styleSorted != 0 {
		slices.SortFunc(e.members[base:], func(a, b member) int { return strings.Compare(a.key, b.key) })
	}
	dst = append(dst, '{')
	for i := 0; i < n; i++ {
		m := e.members[base+i] // re-read: nested objects may grow the stack
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = e.str(dst, m.key)
		dst = append(dst, ": "...)
		if dst, _, err = e.value(dst, src[:m.end], m.start); err != nil {
			return dst, 0, err
		}
	}
	return append(dst, '}'), end, nil
}

// collect pushes the members of the object at pos onto e.members and returns
// the position after the object.
func (e *emitter) collect(src string, pos int) (int, error) {
	pos = skipWS(src, pos+1)
	if pos < len(src) && src[pos] == '}' {
		return pos + 1, nil
	}
	for {
		if pos >= len(src) || src[pos] != '"' {
			return 0, syntaxError(pos, "expected a string key, found "+describe(src, pos))
		}
		key, p, err := scanString(src, pos)
		if err != nil {
			return 0, err
		}
		if p, err = colon(src, p); err != nil {
			return 0, err
		}
		end, err := skipValue(src, p, e.depth)
		if err != nil {
			return 0, err
		}
		e.members = append(e.members, member{key: key, start: p, end: end})
		pos = skipWS(src, end)
		if pos < len(src) && src[pos] == ',' {
			pos = skipWS(src, pos+1)
			continue
		}
		if pos < len(src) && src[pos] == '}' {
			return pos + 1, nil
		}
		return 0, syntaxError(pos, "expected ',' or '}', found "+describe(src, pos))
	}
}

// mergeDuplicates merges members with equal keys in place, as a Python dict
// built from the pairs would: the first position, the last value. It
// returns the number of members left.
func mergeDuplicates(ms []member) int {
	n := 0
	for _, m := range ms {
		j := 0
		for j < n && ms[j].key != m.key {
			j++
		}
		if j < n {
			ms[j].start, ms[j].end = m.start, m.end
			continue
		}
		ms[n] = m
		n++
	}
	return n
}

// appendJSONString appends s as a JSON string the way Python's json.dumps
// writes it: \" \\ \n \r \t \b \f, \u00XX for other control characters, and
// with ascii (ensure_ascii=True) \uXXXX for everything outside ' '..'~',
// using surrogate pairs above U+FFFF. Invalid UTF-8 bytes become U+FFFD.
func appendJSONString(dst []byte, s string, ascii bool) []byte {
	dst = append(dst, '"')
	start := 0
	// Plain ASCII is skipped a word at a time up to the next byte that
	// needs a look: a control character, '"', '\\' or a byte from 0x7F up.
	for i := asciiRun(s, 0); i < len(s); i = asciiRun(s, i) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == 0x7F && !ascii {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = appendASCIIEscape(dst, c)
			i++
			start = i
			continue
		}
		r, n := decodeRune(s[i:])
		invalid := r == utf8.RuneError && n == 1
		surrogate := r >= 0xD800 && r < 0xE000
		if !ascii && !invalid && !surrogate {
			i += n
			continue
		}
		dst = append(dst, s[start:i]...)
		switch {
		case invalid && !ascii:
			dst = utf8.AppendRune(dst, utf8.RuneError)
		case invalid:
			dst = appendU4(dst, utf8.RuneError)
		case r >= 0x10000:
			r -= 0x10000
			dst = appendU4(appendU4(dst, 0xD800+(r>>10)), 0xDC00+(r&0x3FF))
		default:
			dst = appendU4(dst, r)
		}
		i += n
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendASCIIEscape appends the JSON escape of an ASCII byte.
func appendASCIIEscape(dst []byte, c byte) []byte {
	switch c {
	case '"':
		return append(dst, '\\', '"')
	case '\\':
		return append(dst, '\\', '\\')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	}
	return appendU4(dst, rune(c))
}

const hexDigits = "0123456789abcdef"

// appendU4 appends \uXXXX with lowercase hex digits, as Python does.
func appendU4(dst []byte, r rune) []byte {
	return append(dst, '\\', 'u', hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
}

// appendPyFloat appends Python's repr() of f: the shortest text that reads
// back as f, ".0" on integral values, exponent form below 1e-4 and from 1e16.
func appendPyFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "nan"...)
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	}
	abs := math.Abs(f)
	if abs != 0 && (abs >= 1e16 || abs < 1e-4) {
		return strconv.AppendFloat(dst, f, 'e', -1, 64)
	}
	if t := math.Trunc(f); t == f && abs < 1e15 && (f != 0 || !math.Signbit(f)) {
		dst = strconv.AppendInt(dst, int64(f), 10) // an integral value: digits and ".0"
		return append(dst, '.', '0')
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, 'f', -1, 64)
	for _, c := range dst[start:] {
		if c == '.' {
			return dst
		}
	}
	return append(dst, '.', '0')
}

// appendJSONFloat appends f as Python's json.dumps writes a float.
func appendJSONFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	return appendPyFloat(dst, f)
}

// appendPyRepr appends Python's repr() of the string s: single quotes unless
// s contains ' and no ", backslash escapes for the quote, \\, \t, \n, \r,
// \xNN for other ASCII control characters and DEL, and \xNN, \uNNNN or
// \UNNNNNNNN for non-printable non-ASCII characters (Go's unicode.IsPrint
// matches Python's str.isprintable up to the Unicode version). Invalid UTF-8
// bytes, which a Python str cannot hold, are written as U+FFFD.
func appendPyRepr(dst []byte, s string) []byte {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	dst = append(dst, quote)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == quote || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c < ' ' || c == 0x7F:
				dst = append(dst, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xF])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, n := decodeRune(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			dst = utf8.AppendRune(dst, utf8.RuneError)
		case r >= 0xD800 && r < 0xE000, !unicode.IsPrint(r):
			dst = appendPyEscape(dst, r)
		default:
			dst = append(dst, s[i:i+n]...)
		}
		i += n
	}
	return append(dst, quote)
}

// appendPyEscape appends the repr escape of a non-printable character.
func appendPyEscape(dst []byte, r rune) []byte {
	switch {
	case r <= 0xFF:
		return append(dst, '\\', 'x', hexDigits[r>>4], hexDigits[r&0xF])
	case r <= 0xFFFF:
		return appendU4(dst, r)
	}
	dst = append(dst, '\\', 'U')
	for shift := 28; shift >= 0; shift -= 4 {
		dst = append(dst, hexDigits[r>>uint(shift)&0xF])
	}
	return dst
}
