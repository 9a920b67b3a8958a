// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// CompilePythonRegex compiles a regular expression written for Python's
// re.search into a Go regexp that finds the same matches, so that
// MatchString(s) equals bool(re.search(expr, s)) (with re.IGNORECASE when
// ignoreCase is set).
//
// The translation handles these differences of Python's dialect:
//   - "$" (outside MULTILINE) also matches before a final "\n": it becomes
//     `(?:\n?\z)`. This consumes the "\n", which gives the same result as
//     long as nothing after the "$" has to match that "\n" (true for the
//     patterns of harmonization.conf, where "$" ends the pattern).
//   - `\Z` is Go's `\z`.
//   - `\d`, `\w` and `\s` are Unicode-aware in Python: they become `\p{Nd}`,
//     `[\p{L}\p{N}_]` and Python's white space set (unless the (?a) flag is
//     given). `\b` and `\B` keep Go's ASCII word boundary.
//   - `{,n}` means `{0,n}`; a "{" that does not start a repetition is a
//     literal.
//   - `\uXXXX`, `\UXXXXXXXX`, `\xXX` and octal escapes become `\x{...}`.
//   - Inside a character class, "[" is a literal (Go would read "[:alpha:]"
//     as a POSIX class).
//   - (?#...) comments are dropped; the flags a, i, L, m, s, u, x at the start
//     are applied (x and L are rejected).
//
// Constructs RE2 cannot express give an error: backreferences, lookahead and
// lookbehind, conditionals, atomic groups and possessive quantifiers (as Go
// reports them), and `\W` or `\S` inside a character class. Go's syntax that
// Python lacks (`\pL`, `\Q...\E`, `\z`) is rejected as Python rejects it.
func CompilePythonRegex(expr string, ignoreCase bool) (*regexp.Regexp, error) {
	goExpr, err := TranslatePythonRegex(expr, ignoreCase)
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(goExpr)
	if err != nil {
		return nil, fmt.Errorf("python regex %q: %w", expr, err)
	}
	return re, nil
}

// TranslatePythonRegex returns the Go regexp syntax CompilePythonRegex
// compiles for a Python regular expression.
func TranslatePythonRegex(expr string, ignoreCase bool) (string, error) {
	t := pyRegexTranslator{src: []rune(expr)}
	if err := t.flags(); err != nil {
		return "", fmt.Errorf("python regex %q: %w", expr, err)
	}
	if ignoreCase {
		t.ignoreCase = true
	}
	if err := t.run(); err != nil {
		return "", fmt.Errorf("python regex %q: %w", expr, err)
	}
	var prefix string
	if t.ignoreCase {
		prefix += "i"
	}
	if t.multiline {
		prefix += "m"
	}
	if t.dotAll {
		prefix += "s"
	}
	if prefix != "" {
		prefix = "(?" + prefix + ")"
	}
	return prefix + t.out.String(), nil
}

// pySpaceClass is the content of a character class matching what Python's
// \s matches in a str pattern.
const pySpaceClass = `\t-\r\x1c-\x20\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}`

type pyRegexTranslator struct {
	src                                   []rune
	i                                     int
	out                                   strings.Builder
	ignoreCase, multiline, dotAll, asciiM bool
}

// flags reads global inline flags such as (?i) at the start of the pattern.
func (t *pyRegexTranslator) flags() error {
	for t.i+2 < len(t.src) && t.src[t.i] == '(' && t.src[t.i+1] == '?' {
		j := t.i + 2
		for j < len(t.src) && strings.ContainsRune("aiLmsux", t.src[j]) {
			j++
		}
		if j == t.i+2 || j >= len(t.src) || t.src[j] != ')' {
			return nil // a group, not a global flag
		}
		for _, f := range t.src[t.i+2 : j] {
			switch f {
			case 'a':
				t.asciiM = true
			case 'i':
				t.ignoreCase = true
			case 'm':
				t.multiline = true
			case 's':
				t.dotAll = true
			case 'x', 'L':
				return fmt.Errorf("flag %q is not supported", f)
			}
		}
		t.i = j + 1
	}
	return nil
}

func (t *pyRegexTranslator) run() error {
	for t.i < len(t.src) {
		c := t.src[t.i]
		t.i++
		switch c {
		case '\\':
			if err := t.escape(false); err != nil {
				return err
			}
		case '[':
			if err := t.class(); err != nil {
				return err
			}
		case '$':
			if t.multiline {
				t.out.WriteByte('$')
			} else {
				t.out.WriteString(`(?:\n?\z)`)
			}
		case '{':
			t.brace()
		case '(':
			if err := t.group(); err != nil {
				return err
			}
		default:
			t.out.WriteRune(c)
		}
	}
	return nil
}

// group translates what follows an opening parenthesis.
func (t *pyRegexTranslator) group() error {
	if t.i >= len(t.src) || t.src[t.i] != '?' {
		t.out.WriteByte('(')
		return nil
	}
	rest := string(t.src[t.i+1:])
	switch {
	case strings.HasPrefix(rest, ":"):
		t.out.WriteString("(?:")
		t.i += 2
	case strings.HasPrefix(rest, "P<"):
		t.out.WriteString("(?P<")
		t.i += 3
	case strings.HasPrefix(rest, "#"):
		end := strings.IndexByte(rest, ')')
		if end < 0 {
			return fmt.Errorf("missing ), unterminated comment")
		}
		t.i += 1 + len([]rune(rest[:end+1]))
	case strings.HasPrefix(rest, "P="):
		return fmt.Errorf("backreferences are not supported")
	case strings.HasPrefix(rest, "="), strings.HasPrefix(rest, "!"),
		strings.HasPrefix(rest, "<="), strings.HasPrefix(rest, "<!"):
		return fmt.Errorf("lookahead and lookbehind are not supported")
	case strings.HasPrefix(rest, "("):
		return fmt.Errorf("conditional groups are not supported")
	case strings.HasPrefix(rest, ">"):
		return fmt.Errorf("atomic groups are not supported")
	default:
		// scoped flags (?i:...) or (?-i:...)
		j := 0
		for j < len(rest) && strings.ContainsRune("aiLmsux-", rune(rest[j])) {
			j++
		}
		if j == 0 || j >= len(rest) || rest[j] != ':' {
			return fmt.Errorf("unknown extension ?%s", firstRune(rest))
		}
		flags := strings.NewReplacer("u", "", "a", "").Replace(rest[:j])
		if strings.ContainsAny(flags, "xL") {
			return fmt.Errorf("flags x and L are not supported")
		}
		t.out.WriteString("(?" + flags + ":")
		t.i += 1 + j + 1
	}
	return nil
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

// brace translates a "{" outside a class: a repetition {m}, {m,}, {,n} or
// {m,n} is copied ({,n} as {0,n}); anything else is a literal brace.
func (t *pyRegexTranslator) brace() {
	j := t.i
	for j < len(t.src) && '0' <= t.src[j] && t.src[j] <= '9' {
		j++
	}
	lo := string(t.src[t.i:j])
	hi, comma := "", false
	if j < len(t.src) && t.src[j] == ',' {
		comma = true
		k := j + 1
		for k < len(t.src) && '0' <= t.src[k] && t.src[k] <= '9' {
			k++
		}
		hi = string(t.src[j+1 : k])
		j = k
	}
	if j >= len(t.src) || t.src[j] != '}' || (lo == "" && !comma) {
		t.out.WriteString(`\{`)
		return
	}
	if lo == "" {
		lo = "0"
	}
	t.out.WriteString("{" + lo)
	if comma {
		t.out.WriteString("," + hi)
	}
	t.out.WriteByte('}')
	t.i = j + 1
}

// class translates a character class; the "[" is consumed.
func (t *pyRegexTranslator) class() error {
	t.out.WriteByte('[')
	if t.i < len(t.src) && t.src[t.i] == '^' {
		t.out.WriteByte('^')
		t.i++
	}
	first := true
	for t.i < len(t.src) {
		c := t.src[t.i]
		t.i++
		switch {
		case c == ']' && !first:
			t.out.WriteByte(']')
			return nil
		case c == ']':
			t.out.WriteString(`\]`)
		case c == '[':
			t.out.WriteString(`\[`)
		case c == '\\':
			if err := t.escape(true); err != nil {
				return err
			}
		default:
			t.out.WriteRune(c)
		}
		first = false
	}
	return fmt.Errorf("unterminated character set")
}

// escape translates the escape after a backslash, inside or outside a
// character class.
func (t *pyRegexTranslator) escape(inClass bool) error {
	if t.i >= len(t.src) {
		return fmt.Errorf("bad escape (end of pattern)")
	}
	c := t.src[t.i]
	t.i++
	switch c {
	case 'd', 'D', 'w', 'W', 's', 'S':
		return t.classEscape(c, inClass)
	case 'A', 'b', 'B':
		if inClass {
			if c == 'b' {
				t.out.WriteString(`\x08`)
				return nil
			}
			return fmt.Errorf(`bad escape \%c in a character class`, c)
		}
		t.out.WriteString(`\` + string(c))
	case 'Z':
		if inClass {
			return fmt.Errorf(`bad escape \Z in a character class`)
		}
		t.out.WriteString(`\z`)
	case 'a', 'f', 'n', 'r', 't', 'v':
		t.out.WriteString(`\` + string(c))
	case 'x':
		return t.hexEscape(2)
	case 'u':
		return t.hexEscape(4)
	case 'U':
		return t.hexEscape(8)
	case '0':
		t.octalEscape(2)
	case '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if t.i+1 < len(t.src) && isOctal(c) && isOctal(t.src[t.i]) && isOctal(t.src[t.i+1]) {
			t.octalEscape(2)
			return nil
		}
		if inClass {
			return fmt.Errorf(`bad escape \%c`, c)
		}
		return fmt.Errorf("backreferences are not supported")
	default:
		switch {
		case c < 0x80 && ('a' <= c|0x20 && c|0x20 <= 'z'):
			return fmt.Errorf(`bad escape \%c`, c)
		case c > ' ' && c < 0x7F:
			t.out.WriteString(`\` + string(c)) // ASCII punctuation
		default:
			t.out.WriteRune(c) // a literal space, control or non-ASCII character
		}
	}
	return nil
}

func isOctal(r rune) bool { return '0' <= r && r <= '7' }

// classEscape translates \d, \D, \w, \W, \s and \S.
func (t *pyRegexTranslator) classEscape(c rune, inClass bool) error {
	var body string
	switch c | 0x20 {
	case 'd':
		body = `\p{Nd}`
		if t.asciiM {
			body = `0-9`
		}
	case 'w':
		body = `\p{L}\p{N}_`
		if t.asciiM {
			body = `0-9A-Za-z_`
		}
	case 's':
		body = pySpaceClass
		if t.asciiM {
			body = `\t-\r\x20`
		}
	}
	negated := c >= 'A' && c <= 'Z'
	switch {
	case inClass && negated && c == 'D' && !t.asciiM:
		t.out.WriteString(`\P{Nd}`)
	case inClass && negated:
		return fmt.Errorf(`\%c inside a character class is not supported`, c)
	case inClass:
		t.out.WriteString(body)
	case negated:
		t.out.WriteString("[^" + body + "]")
	default:
		t.out.WriteString("[" + body + "]")
	}
	return nil
}

// hexEscape reads exactly n hex digits and writes \x{...}.
func (t *pyRegexTranslator) hexEscape(n int) error {
	if t.i+n > len(t.src) {
		return fmt.Errorf("incomplete escape")
	}
	digits := string(t.src[t.i : t.i+n])
	v, err := strconv.ParseUint(digits, 16, 32)
	if err != nil || v > 0x10FFFF {
		return fmt.Errorf(`bad escape \x%s`, digits)
	}
	t.i += n
	t.out.WriteString(`\x{` + strconv.FormatUint(v, 16) + `}`)
	return nil
}

// octalEscape reads up to max further octal digits after the one consumed.
func (t *pyRegexTranslator) octalEscape(max int) {
	start := t.i - 1
	for k := 0; k < max && t.i < len(t.src) && isOctal(t.src[t.i]); k++ {
		t.i++
	}
	v, _ := strconv.ParseUint(string(t.src[start:t.i]), 8, 32)
	t.out.WriteString(`\x{` + strconv.FormatUint(v, 16) + `}`)
}
