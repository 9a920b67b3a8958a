// SPDX-License-Identifier: AGPL-3.0-or-later

package pytext

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// IsSpace reports whether r is whitespace for Python's str.isspace: Go's
// unicode.IsSpace plus the separators U+001C to U+001F.
func IsSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// isLineBreak reports whether r ends a line for Python's str.splitlines.
func isLineBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

// Line is one line of SplitLines: its text without the line break and its
// 1-based number.
type Line struct {
	Text string
	No   int
}

// SplitLines splits s as Python's str.splitlines() does: at \n, \r, \r\n,
// \v, \f, U+001C to U+001E, U+0085, U+2028 and U+2029, dropping the
// breaks; a final break does not start an empty line.
func SplitLines(s string) []Line {
	var out []Line
	start := 0
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= 0x80 {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if !isLineBreak(r) {
			i += size
			continue
		}
		out = append(out, Line{Text: s[start:i], No: len(out) + 1})
		i += size
		if r == '\r' && i < len(s) && s[i] == '\n' {
			i++
		}
		start = i
	}
	if start < len(s) {
		out = append(out, Line{Text: s[start:], No: len(out) + 1})
	}
	return out
}

// Strip removes leading and trailing whitespace as Python's str.strip().
func Strip(s string) string {
	return strings.TrimFunc(s, IsSpace)
}

// Fields splits s at runs of whitespace as Python's str.split() without
// arguments.
func Fields(s string) []string {
	return strings.FieldsFunc(s, IsSpace)
}

// ErrNotInt is returned by Int for text that is not a base-10 integer.
var ErrNotInt = errors.New("invalid literal for int() with base 10")

// Int converts s as Python's int(s) does for ASCII input: surrounding
// whitespace, a sign, and underscores between digits are allowed.
func Int(s string) (int64, error) {
	t := Strip(s)
	body := strings.TrimLeft(t, "+-")
	if len(t)-len(body) > 1 || body == "" || body[0] == '_' || body[len(body)-1] == '_' ||
		strings.Contains(body, "__") {
		return 0, &strconv.NumError{Func: "int", Num: s, Err: ErrNotInt}
	}
	n, err := strconv.ParseInt(t[:len(t)-len(body)]+strings.ReplaceAll(body, "_", ""), 10, 64)
	if err != nil {
		return 0, &strconv.NumError{Func: "int", Num: s, Err: ErrNotInt}
	}
	return n, nil
}
