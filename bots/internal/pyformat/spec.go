// SPDX-License-Identifier: AGPL-3.0-or-later

package pyformat

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// spec is a parsed format spec of Python's mini-language:
// [[fill]align][sign][#][0][width][grouping][.precision][type].
type spec struct {
	fill      rune
	align     byte // 0, '<', '>', '=', '^'
	sign      byte // 0, '+', '-', ' '
	alt       bool
	zero      bool
	width     int
	grouping  byte // 0, ',', '_'
	precision int  // -1 when absent
	typ       byte // 0 or the type letter
}

func parseSpec(s string) (spec, error) {
	sp := spec{fill: ' ', precision: -1}
	rest := s
	if r, n := utf8.DecodeRuneInString(rest); n > 0 && len(rest) > n && isAlign(rest[n]) {
		sp.fill, sp.align, rest = r, rest[n], rest[n+1:]
	} else if len(rest) > 0 && isAlign(rest[0]) {
		sp.align, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 && strings.IndexByte("+- ", rest[0]) >= 0 {
		sp.sign, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 && rest[0] == '#' {
		sp.alt, rest = true, rest[1:]
	}
	if len(rest) > 0 && rest[0] == '0' {
		sp.zero, rest = true, rest[1:]
	}
	sp.width, rest = leadingInt(rest)
	if len(rest) > 0 && (rest[0] == ',' || rest[0] == '_') {
		sp.grouping, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 && rest[0] == '.' {
		var digits string
		sp.precision, digits = leadingInt(rest[1:])
		if len(digits) == len(rest)-1 {
			return sp, fmt.Errorf("format specifier %q is missing the precision", s)
		}
		rest = digits
	}
	if len(rest) > 1 {
		return sp, fmt.Errorf("invalid format specifier %q", s)
	}
	if sp.width > maxWidth || sp.precision > maxWidth {
		return sp, fmt.Errorf("format specifier %q: width and precision are limited to %d", s, maxWidth)
	}
	if len(rest) == 1 {
		sp.typ = rest[0]
	}
	return sp, nil
}

// maxWidth bounds widths and precisions, so a format string cannot make
// the bot allocate without limit.
const maxWidth = 4096

func isAlign(c byte) bool { return c == '<' || c == '>' || c == '=' || c == '^' }

func leadingInt(s string) (int, string) {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return -1, s
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil {
		n = maxWidth + 1 // too many digits: rejected by parseSpec
	}
	return n, s[i:]
}

// pad aligns body (which may start with a sign or prefix of length
// prefixLen) in the spec's width.
func (sp spec) pad(body string, prefixLen int, defaultAlign byte) string {
	n := utf8.RuneCountInString(body)
	if sp.width <= n {
		return body
	}
	align, fill := sp.align, sp.fill
	if align == 0 && sp.zero {
		align, fill = '=', '0'
		if defaultAlign == '<' { // strings: zero padding on the right
			align = '<'
		}
	}
	if align == 0 {
		align = defaultAlign
	}
	padding := sp.width - n
	fills := func(k int) string { return strings.Repeat(string(fill), k) }
	switch align {
	case '<':
		return body + fills(padding)
	case '^':
		return fills(padding/2) + body + fills(padding-padding/2)
	case '=':
		return body[:prefixLen] + fills(padding) + body[prefixLen:]
	}
	return fills(padding) + body
}

func formatString(s, specText string) (string, error) {
	if specText == "" {
		return s, nil
	}
	sp, err := parseSpec(specText)
	if err != nil {
		return "", err
	}
	switch {
	case sp.typ != 0 && sp.typ != 's':
		return "", fmt.Errorf("unknown format code '%c' for object of type 'str'", sp.typ)
	case sp.sign != 0:
		return "", fmt.Errorf("sign not allowed in string format specifier")
	case sp.align == '=':
		return "", fmt.Errorf("'=' alignment not allowed in string format specifier")
	case sp.grouping != 0:
		return "", fmt.Errorf("cannot specify '%c' with 's'", sp.grouping)
	}
	if sp.precision >= 0 && utf8.RuneCountInString(s) > sp.precision {
		s = string([]rune(s)[:sp.precision])
	}
	return sp.pad(s, 0, '<'), nil
}

func formatInt(n int64, specText string) (string, error) {
	if specText == "" {
		return strconv.FormatInt(n, 10), nil
	}
	sp, err := parseSpec(specText)
	if err != nil {
		return "", err
	}
	base, prefix, every := 10, "", 3
	switch sp.typ {
	case 0, 'd', 'n':
	case 'b':
		base, prefix, every = 2, "0b", 4
	case 'o':
		base, prefix, every = 8, "0o", 4
	case 'x', 'X':
		base, prefix, every = 16, "0x", 4
	case 'c':
		return formatString(string(rune(n)), strings.TrimSuffix(specText, "c"))
	case 'e', 'E', 'f', 'F', 'g', 'G', '%':
		return formatFloat(float64(n), specText)
	default:
		return "", fmt.Errorf("unknown format code '%c' for object of type 'int'", sp.typ)
	}
	if sp.precision >= 0 {
		return "", fmt.Errorf("precision not allowed in integer format specifier")
	}
	digits := strconv.FormatUint(absInt(n), base)
	if sp.typ == 'X' {
		digits, prefix = strings.ToUpper(digits), "0X"
	}
	digits = group(digits, sp.grouping, every)
	head := signOf(n < 0, sp.sign)
	if sp.alt {
		head += prefix
	}
	return sp.pad(head+digits, len(head), '>'), nil
}

func absInt(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1
	}
	return uint64(n)
}

func signOf(negative bool, sign byte) string {
	switch {
	case negative:
		return "-"
	case sign == '+':
		return "+"
	case sign == ' ':
		return " "
	}
	return ""
}

// group inserts sep every `every` digits from the right of an integer
// digit string.
func group(digits string, sep byte, every int) string {
	if sep == 0 || len(digits) <= every {
		return digits
	}
	var b strings.Builder
	first := len(digits) % every
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += every {
		if b.Len() > 0 {
			b.WriteByte(sep)
		}
		b.WriteString(digits[i : i+every])
	}
	return b.String()
}

func formatFloat(f float64, specText string) (string, error) {
	if specText == "" {
		return FloatRepr(f), nil
	}
	sp, err := parseSpec(specText)
	if err != nil {
		return "", err
	}
	body, err := floatBody(math.Abs(f), sp)
	if err != nil {
		return "", err
	}
	if intPart, frac, ok := strings.Cut(body, "."); ok && sp.grouping != 0 {
		body = group(intPart, sp.grouping, 3) + "." + frac
	} else if !strings.ContainsAny(body, "eEna") {
		body = group(body, sp.grouping, 3)
	}
	head := signOf(math.Signbit(f) && !math.IsNaN(f), sp.sign)
	return sp.pad(head+body, len(head), '>'), nil
}

// floatBody formats the magnitude of a float for the spec's type.
func floatBody(f float64, sp spec) (string, error) {
	prec := sp.precision
	if math.IsInf(f, 0) || math.IsNaN(f) {
		s := "inf"
		if math.IsNaN(f) {
			s = "nan"
		}
		if sp.typ == 'E' || sp.typ == 'F' || sp.typ == 'G' {
			s = strings.ToUpper(s)
		}
		return s, nil
	}
	switch sp.typ {
	case 0:
		if prec < 0 {
			return FloatRepr(f), nil
		}
		s := strconv.FormatFloat(f, 'g', max(prec, 1), 64)
		if !strings.ContainsAny(s, ".e") {
			s += ".0"
		}
		return s, nil
	case 'e', 'E', 'f', 'F', '%':
		if prec < 0 {
			prec = 6
		}
		verb := byte(sp.typ | 0x20)
		if sp.typ == '%' {
			f, verb = f*100, 'f'
		}
		s := strconv.FormatFloat(f, verb, prec, 64)
		if sp.typ == 'E' {
			s = strings.ToUpper(s)
		}
		if sp.typ == '%' {
			s += "%"
		}
		return s, nil
	case 'g', 'G', 'n':
		if prec < 0 {
			prec = 6
		}
		s := strconv.FormatFloat(f, 'g', max(prec, 1), 64)
		if sp.typ == 'G' {
			s = strings.ToUpper(s)
		}
		return s, nil
	}
	return "", fmt.Errorf("unknown format code '%c' for object of type 'float'", sp.typ)
}
