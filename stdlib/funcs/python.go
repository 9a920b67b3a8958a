// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// pythonFuncs returns the functions that write values as IntelMQ's Python
// code writes them into an event's raw: json.dumps, repr and csv.writer.
func pythonFuncs() []Func {
	return []Func{
		{
			Name:      "pyJSON",
			Signature: "pyJSON(value any) string",
			Doc: "Writes value as Python's json.dumps(value, sort_keys=True) does: \", \" and \": \" separators, " +
				"non-ASCII characters escaped, map keys sorted (a map has no order of its own), floats as Python " +
				"writes them (2.0, 1e-05).",
			Types: []any{new(func(any) string)},
			Fn:    pyJSON,
		},
		{
			Name:      "pyJSONText",
			Signature: "pyJSONText(text string) string",
			Doc: "Decodes the JSON text and writes it back as Python's json.dumps(json.loads(text)) does, keeping " +
				"the order of the keys as written: '[' + pyJSONText(line) + ']' is IntelMQ's raw of a JSON list " +
				"element. Invalid JSON is an error.",
			Types: []any{new(func(string) string)},
			Fn:    pyJSONText,
		},
		{
			Name:      "pyRepr",
			Signature: "pyRepr(value any) string",
			Doc: "Writes value as Python's repr (and str) of the decoded JSON value does: {'key': 'value', 'n': 1}, " +
				"True, False, None; map keys sorted.",
			Types: []any{new(func(any) string)},
			Fn:    pyRepr,
		},
		{
			Name:      "pyReprText",
			Signature: "pyReprText(text string) string",
			Doc: "Decodes the JSON text and writes Python's repr of the result, keeping the order of the keys as " +
				"written. Invalid JSON is an error.",
			Types: []any{new(func(string) string)},
			Fn:    pyReprText,
		},
		{
			Name:      "csvLine",
			Signature: "csvLine(cells list[, delimiter string[, line_end string]]) string",
			Doc: "Writes one CSV row as Python's csv.writer does (QUOTE_MINIMAL): a cell is quoted, with quotes " +
				"doubled, when it holds the delimiter (default \",\"), a quote or a character of line_end " +
				"(default \"\\r\\n\"), which ends the row. nil is an empty cell, numbers and bools are written " +
				"as Python writes them.",
			Types: []any{
				new(func([]string) string),
				new(func([]string, string) string),
				new(func([]string, string, string) string),
				new(func([]any) string),
				new(func([]any, string) string),
				new(func([]any, string, string) string),
			},
			Fn: csvLine,
		},
	}
}

// pyJSON implements pyJSON(value).
func pyJSON(params ...any) (any, error) { return pyFormat("pyJSON", false, appendPyJSON, params) }

// pyJSONText implements pyJSONText(text).
func pyJSONText(params ...any) (any, error) {
	return pyFormat("pyJSONText", true, appendPyJSON, params)
}

// pyRepr implements pyRepr(value).
func pyRepr(params ...any) (any, error) { return pyFormat("pyRepr", false, appendPyRepr, params) }

// pyReprText implements pyReprText(text).
func pyReprText(params ...any) (any, error) {
	return pyFormat("pyReprText", true, appendPyRepr, params)
}

// pyFormat is the one body of the four Python-format functions: it formats
// its single argument with format; with text, the argument is JSON text,
// decoded first with the order of object keys kept.
func pyFormat(name string, text bool, format func([]byte, any) ([]byte, error), params []any) (any, error) {
	c := call{name, params}
	if err := c.count(1, 1); err != nil {
		return nil, err
	}
	v := params[0]
	if text {
		s, err := c.str(0)
		if err != nil {
			return nil, err
		}
		if v, err = decodeOrdered(s); err != nil {
			return nil, c.wrap(1, err)
		}
	}
	b, err := format(nil, v)
	if err != nil {
		return nil, c.wrap(1, err)
	}
	return string(b), nil
}

// object is a decoded JSON object that keeps the order of its keys, as
// Python's dict does. A repeated key keeps its first position and takes
// the last value, as json.loads does.
type object struct {
	keys []string
	vals []any
}

// decodeOrdered decodes one JSON document, objects as *object and numbers
// as json.Number, so that it can be written back in its own order.
func decodeOrdered(s string) (any, error) {
	if !json.Valid([]byte(s)) {
		var raw json.RawMessage
		err := json.Unmarshal([]byte(s), &raw)
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	return orderedValue(dec)
}

// orderedValue reads the next value from dec.
func orderedValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			list := []any{}
			for dec.More() {
				v, err := orderedValue(dec)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			_, err := dec.Token()
			return list, err
		}
		return orderedObject(dec)
	}
	return tok, nil
}

// orderedObject reads the members of an object whose "{" dec has read.
func orderedObject(dec *json.Decoder) (any, error) {
	o := &object{}
	at := map[string]int{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
		key, _ := tok.(string)
		v, err := orderedValue(dec)
		if err != nil {
			return nil, err
		}
		if i, dup := at[key]; dup {
			o.vals[i] = v
			continue
		}
		at[key] = len(o.keys)
		o.keys = append(o.keys, key)
		o.vals = append(o.vals, v)
	}
	_, err := dec.Token()
	return o, err
}

// errUnsupported is returned for a value Python's json and repr would not
// see in decoded JSON.
var errUnsupported = errors.New("not a JSON value")

// appendPyJSON appends v as Python's json.dumps writes it.
func appendPyJSON(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		if v {
			return append(b, "true"...), nil
		}
		return append(b, "false"...), nil
	case string:
		return harmonization.AppendPyJSONString(b, v), nil
	case *object:
		return appendPyPairs(b, v.keys, func(i int) any { return v.vals[i] }, harmonization.AppendPyJSONString, ": ", appendPyJSON)
	case map[string]any:
		keys := sortedKeys(v)
		return appendPyPairs(b, keys, func(i int) any { return v[keys[i]] }, harmonization.AppendPyJSONString, ": ", appendPyJSON)
	case map[string]string:
		keys := sortedKeys(v)
		return appendPyPairs(b, keys, func(i int) any { return v[keys[i]] }, harmonization.AppendPyJSONString, ": ", appendPyJSON)
	}
	if items, ok := listItems(v); ok {
		return appendPyList(b, items, appendPyJSON)
	}
	num, ok := pyNumber(v, true)
	if !ok {
		return b, fmt.Errorf("%w: %s", errUnsupported, describe(v))
	}
	return append(b, num...), nil
}

// appendPyRepr appends v as Python's repr of the decoded JSON value.
func appendPyRepr(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "None"...), nil
	case bool:
		if v {
			return append(b, "True"...), nil
		}
		return append(b, "False"...), nil
	case string:
		return appendPyStr(b, v), nil
	case *object:
		return appendPyPairs(b, v.keys, func(i int) any { return v.vals[i] }, appendPyStr, ": ", appendPyRepr)
	case map[string]any:
		keys := sortedKeys(v)
		return appendPyPairs(b, keys, func(i int) any { return v[keys[i]] }, appendPyStr, ": ", appendPyRepr)
	case map[string]string:
		keys := sortedKeys(v)
		return appendPyPairs(b, keys, func(i int) any { return v[keys[i]] }, appendPyStr, ": ", appendPyRepr)
	}
	if items, ok := listItems(v); ok {
		return appendPyList(b, items, appendPyRepr)
	}
	num, ok := pyNumber(v, false)
	if !ok {
		return b, fmt.Errorf("%w: %s", errUnsupported, describe(v))
	}
	return append(b, num...), nil
}

// appendPyPairs appends {k: v, ...} with the given writers.
func appendPyPairs(b []byte, keys []string, val func(int) any, key func([]byte, string) []byte, sep string,
	write func([]byte, any) ([]byte, error)) ([]byte, error) {
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = key(b, k)
		b = append(b, sep...)
		var err error
		if b, err = write(b, val(i)); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// appendPyList appends [a, b, ...].
func appendPyList(b []byte, items []any, write func([]byte, any) ([]byte, error)) ([]byte, error) {
	b = append(b, '[')
	for i, x := range items {
		if i > 0 {
			b = append(b, ", "...)
		}
		var err error
		if b, err = write(b, x); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

// listItems returns the items of a list value.
func listItems(v any) ([]any, bool) {
	switch v := v.(type) {
	case []any:
		return v, true
	case []string:
		out := make([]any, len(v))
		for i, s := range v {
			out[i] = s
		}
		return out, true
	case []map[string]any:
		out := make([]any, len(v))
		for i, m := range v {
			out[i] = m
		}
		return out, true
	}
	return nil, false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// pyNumber writes a number as Python writes it: integers in full, floats
// by repr; json says Infinity and NaN where repr says inf and nan.
func pyNumber(v any, forJSON bool) (string, bool) {
	var f float64
	switch v := v.(type) {
	case int:
		return strconv.Itoa(v), true
	case float64:
		f = v
	case float32:
		f = float64(v)
	case json.Number:
		s := string(v)
		if !strings.ContainsAny(s, ".eE") {
			if strings.Trim(s, "-0") == "" {
				return "0", true // Python's int("-0")
			}
			return s, true
		}
		f, _ = strconv.ParseFloat(s, 64) // out of range: ±Inf, as Python's float
	default:
		n, ok := otherInt(v)
		if !ok {
			return "", false
		}
		return strconv.Itoa(n), true
	}
	if forJSON {
		switch {
		case math.IsNaN(f):
			return "NaN", true
		case math.IsInf(f, 1):
			return "Infinity", true
		case math.IsInf(f, -1):
			return "-Infinity", true
		}
	}
	return pythonFloat(f), true
}

// appendPyStr appends Python's repr of the string s: single quotes unless
// s holds a single quote and no double quote; printable characters as
// they are, others as \xNN, \uNNNN or \UNNNNNNNN.
func appendPyStr(b []byte, s string) []byte {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	b = append(b, q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, `\n`...)
		case r == '\r':
			b = append(b, `\r`...)
		case r == '\t':
			b = append(b, `\t`...)
		case r < ' ' || r == 0x7F:
			b = fmt.Appendf(b, `\x%02x`, r)
		case r < 0x7F || unicode.IsPrint(r):
			b = utf8.AppendRune(b, r)
		case r < 0x100:
			b = fmt.Appendf(b, `\x%02x`, r)
		case r < 0x10000:
			b = fmt.Appendf(b, `\u%04x`, r)
		default:
			b = fmt.Appendf(b, `\U%08x`, r)
		}
	}
	return append(b, q)
}

// csvLine implements csvLine(cells[, delimiter[, line_end]]).
func csvLine(params ...any) (any, error) {
	c := call{"csvLine", params}
	if err := c.count(1, 3); err != nil {
		return nil, err
	}
	cells, ok := listItems(params[0])
	if !ok {
		return nil, c.errorf(1, "want a list, got %s", describe(params[0]))
	}
	delim, end := ",", "\r\n"
	if len(params) > 1 {
		d, err := c.str(1)
		if err != nil {
			return nil, err
		}
		if utf8.RuneCountInString(d) != 1 {
			return nil, c.errorf(2, "the delimiter must be one character, got %q", d)
		}
		delim = d
	}
	if len(params) > 2 {
		e, err := c.str(2)
		if err != nil {
			return nil, err
		}
		end = e
	}
	var b strings.Builder
	for i, cell := range cells {
		s, err := csvCell(cell)
		if err != nil {
			return nil, c.errorf(1, "cell %d: %v", i, err)
		}
		if i > 0 {
			b.WriteString(delim)
		}
		quote := strings.Contains(s, delim) || strings.Contains(s, `"`) || strings.ContainsAny(s, end) ||
			(s == "" && len(cells) == 1)
		if !quote {
			b.WriteString(s)
			continue
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(s, `"`, `""`))
		b.WriteByte('"')
	}
	b.WriteString(end)
	return b.String(), nil
}

// csvCell writes one cell as Python's csv.writer does: str() of the value,
// "" for None.
func csvCell(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case bool:
		if v {
			return "True", nil
		}
		return "False", nil
	}
	if s, ok := pyNumber(v, false); ok {
		return s, nil
	}
	b, err := appendPyRepr(nil, v)
	return string(b), err
}
