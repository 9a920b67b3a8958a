// SPDX-License-Identifier: AGPL-3.0-or-later

package pyformat

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// FormatValue formats v as Python's format(v, spec) does for the Python
// equivalent of v: string, int, int64, float64, bool, nil (None),
// time.Time (a naive datetime: an empty spec gives str(), any other spec is
// a strftime layout), json.RawMessage, map[string]any and []any (formatted
// as their Python repr with an empty spec).
func FormatValue(v any, spec string) (string, error) {
	switch x := v.(type) {
	case time.Time:
		if spec == "" {
			return DatetimeStr(x), nil
		}
		return Strftime(x, spec), nil
	case string:
		return formatString(x, spec)
	case int:
		return formatInt(int64(x), spec)
	case int64:
		return formatInt(x, spec)
	case float64:
		return formatFloat(x, spec)
	case bool:
		if spec == "" {
			return Str(x), nil
		}
		if x {
			return formatInt(1, spec)
		}
		return formatInt(0, spec)
	}
	if spec != "" {
		return "", fmt.Errorf("unsupported format string %q passed to %s", spec, pyTypeName(v))
	}
	return Str(v), nil
}

func pyTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case map[string]any:
		return "dict"
	case []any:
		return "list"
	}
	return fmt.Sprintf("%T", v)
}

// DatetimeStr returns Python's str() of a naive datetime:
// "YYYY-MM-DD HH:MM:SS" with ".ffffff" when there are microseconds.
func DatetimeStr(t time.Time) string {
	if t.Nanosecond()/1000 != 0 {
		return Strftime(t, "%Y-%m-%d %H:%M:%S.%f")
	}
	return Strftime(t, "%Y-%m-%d %H:%M:%S")
}

// Str returns Python's str() of v (see FormatValue for the types).
func Str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case time.Time:
		return DatetimeStr(x)
	}
	return Repr(v)
}

// Repr returns Python's repr() of v: strings quoted and escaped as Python
// does, True/False/None, floats in Python's shortest form, and dicts and
// lists in Python syntax. A json.RawMessage is decoded first, keeping the
// order of object keys.
func Repr(v any) string {
	var b strings.Builder
	writeRepr(&b, v)
	return b.String()
}

func writeRepr(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("None")
	case string:
		b.WriteString(ReprString(x))
	case bool:
		if x {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		b.WriteString(FloatRepr(x))
	case json.Number:
		b.WriteString(x.String())
	case time.Time:
		b.WriteString(x.Format("datetime.datetime(2006, 1, 2, 15, 4, 5)"))
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeRepr(b, e)
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(ReprString(k))
			b.WriteString(": ")
			writeRepr(b, x[k])
		}
		b.WriteByte('}')
	case json.RawMessage:
		writeJSONRepr(b, x)
	default:
		fmt.Fprint(b, x)
	}
}

// writeJSONRepr writes the Python repr of a JSON text as json.loads would
// produce it: objects keep their key order.
func writeJSONRepr(b *strings.Builder, raw json.RawMessage) {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := reprTokens(b, dec); err != nil {
		b.Reset()
		b.WriteString(ReprString(string(raw)))
	}
}

func reprTokens(b *strings.Builder, dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		writeRepr(b, tok)
		return nil
	}
	open, closing := "[", "]"
	if delim == '{' {
		open, closing = "{", "}"
	}
	b.WriteString(open)
	for i := 0; dec.More(); i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		if delim == '{' {
			key, err := dec.Token()
			if err != nil {
				return err
			}
			b.WriteString(ReprString(key.(string)))
			b.WriteString(": ")
		}
		if err := reprTokens(b, dec); err != nil {
			return err
		}
	}
	b.WriteString(closing)
	_, err = dec.Token()
	return err
}

// ReprString returns Python's repr() of a str: single quotes unless the
// text holds a single quote and no double quote, backslash escapes for the
// quote, backslash, \t, \n, \r and non-printable characters.
func ReprString(s string) string {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte(quote)
	for _, r := range s {
		switch {
		case r == rune(quote) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == utf8.RuneError:
			b.WriteString(`\ufffd`)
		case unicode.IsPrint(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// FloatRepr returns Python's repr() of a float: the shortest text that
// reads back as f, with ".0" on integral values and exponent form from
// 1e16 on and below 1e-4.
func FloatRepr(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	if abs := math.Abs(f); abs != 0 && (abs >= 1e16 || abs < 1e-4) {
		// Go, like Python, writes at least two exponent digits: 1e-05.
		return strconv.FormatFloat(f, 'e', -1, 64)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsRune(s, '.') {
		s += ".0"
	}
	return s
}
