// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// valueFuncs returns the conversions and the functions that pick values
// out of tables and JSON.
func valueFuncs() []Func {
	return []Func{
		{
			Name:      "toInt",
			Signature: "toInt(value string|int|float) int",
			Doc: "Converts value to an integer: decimal text (surrounding white space allowed), an integer, or a " +
				"float truncated towards zero as IntelMQ's Integer type does; anything else (\"12.5\", \"\", a bool) " +
				"is an error.",
			Types: []any{new(func(string) int), new(func(int) int), new(func(float64) int)},
			Fn:    toInt,
		},
		{
			Name:      "toFloat",
			Signature: "toFloat(value string|int|float) float",
			Doc: "Converts value to a float: decimal or exponent text (\"1e3\") or a number; anything else, and " +
				"NaN or infinities, is an error.",
			Types: []any{new(func(string) float64), new(func(int) float64), new(func(float64) float64)},
			Fn:    toFloat,
		},
		{
			Name:      "toBool",
			Signature: "toBool(value string|bool|int) bool",
			Doc: "Converts value like IntelMQ's convert_bool: \"y\", \"yes\", \"true\", \"enabled\", \"1\" are true " +
				"and \"n\", \"no\", \"false\", \"disabled\", \"0\" false (any case, white space ignored); the " +
				"integers 1 and 0 and bools too. Anything else is an error.",
			Types: []any{new(func(string) bool), new(func(bool) bool), new(func(int) bool)},
			Fn:    toBool,
		},
		{
			Name:      "toString",
			Signature: "toString(value any) string",
			Doc: "Converts value to text: nil gives \"\", numbers are written as Python writes them (2.0 as " +
				"\"2.0\"), bools as \"true\"/\"false\", lists and maps as JSON.",
			Types: []any{new(func(any) string)},
			Fn:    toString,
		},
		{
			Name:      "coalesce",
			Signature: "coalesce(values ...any) any",
			Doc: "Returns the first value that is neither nil nor empty (\"\", an empty list or map); nil when " +
				"there is none. 0 and false count as values.",
			Types: []any{new(func(...any) any)},
			Fn:    coalesce,
		},
		{
			Name:      "lookup",
			Signature: "lookup(table map, key any[, default any]) any",
			Doc: "Returns the entry of a translation table (a map with string keys) for key, converted to text " +
				"with toString; the default, or nil without one, when the table has no such key.",
			Types: []any{
				new(func(map[string]any, any) any),
				new(func(map[string]any, any, any) any),
				new(func(map[string]string, any) any),
				new(func(map[string]string, any, any) any),
			},
			Fn: lookup,
		},
		{
			Name:      "jsonGet",
			Signature: "jsonGet(value any, path string) any",
			Doc: "Follows a dotted path (\"a.b.0.c\") through decoded JSON (maps and lists; list indexes count " +
				"from 0, negative from the end) or through JSON text, which is decoded first; nil when the path " +
				"leads nowhere. Invalid JSON text is an error.",
			Types: []any{new(func(any, string) any)},
			Fn:    jsonGet,
		},
	}
}

// toInt implements toInt(value).
func toInt(params ...any) (any, error) {
	c := call{"toInt", params}
	if err := c.count(1, 1); err != nil {
		return nil, err
	}
	switch v := params[0].(type) {
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) >= 1<<63 {
			return nil, c.errorf(1, "%v cannot be an integer", v)
		}
		return int(v), nil
	case float32:
		return toInt(float64(v))
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 0)
		if err != nil {
			return nil, c.errorf(1, "%q is not an integer", v)
		}
		return int(n), nil
	case bool, nil:
		return nil, c.errorf(1, "want an integer, a float or a string, got %s", describe(v))
	}
	return c.integer(0)
}

// toFloat implements toFloat(value).
func toFloat(params ...any) (any, error) {
	c := call{"toFloat", params}
	if err := c.count(1, 1); err != nil {
		return nil, err
	}
	var f float64
	switch v := params[0].(type) {
	case float64:
		f = v
	case float32:
		f = float64(v)
	case int:
		f = float64(v)
	case string:
		t := strings.TrimSpace(v)
		var err error
		if f, err = strconv.ParseFloat(t, 64); err != nil || strings.ContainsAny(t, "xXpP_") {
			return nil, c.errorf(1, "%q is not a number", v)
		}
	default:
		n, ok := otherInt(v)
		if !ok {
			return nil, c.errorf(1, "want a number or a string, got %s", describe(v))
		}
		f = float64(n)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, c.errorf(1, "%v is not a finite number", params[0])
	}
	return f, nil
}

// toBool implements toBool(value).
func toBool(params ...any) (any, error) {
	c := call{"toBool", params}
	if err := c.count(1, 1); err != nil {
		return nil, err
	}
	switch v := params[0].(type) {
	case bool:
		return v, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "y", "yes", "true", "enabled", "1":
			return true, nil
		case "n", "no", "false", "disabled", "0":
			return false, nil
		}
		return nil, c.errorf(1, "%q is not a boolean (yes/no, true/false, enabled/disabled, y/n, 1/0)", v)
	}
	if n, err := c.integer(0); err == nil && (n == 0 || n == 1) {
		return n == 1, nil
	}
	return nil, c.errorf(1, "want a boolean text, a bool, 0 or 1, got %s %v", describe(params[0]), params[0])
}

// toString implements toString(value).
func toString(params ...any) (any, error) {
	c := call{"toString", params}
	if err := c.count(1, 1); err != nil {
		return nil, err
	}
	s, err := text(params[0])
	if err != nil {
		return nil, c.wrap(1, err)
	}
	return s, nil
}

// text writes a value as toString does.
func text(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case bool:
		return strconv.FormatBool(v), nil
	case int:
		return strconv.Itoa(v), nil
	case float64:
		return pythonFloat(v), nil
	case float32:
		return pythonFloat(float64(v)), nil
	}
	if n, ok := otherInt(v); ok {
		return strconv.Itoa(n), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// pythonFloat writes f as Python's repr does: the shortest text that reads
// back as f, with ".0" for integral values and an exponent outside
// 1e-4 <= |f| < 1e16.
func pythonFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	if a := math.Abs(f); a != 0 && (a < 1e-4 || a >= 1e16) {
		return strconv.FormatFloat(f, 'e', -1, 64) // "1e+16", "1.5e-05", as Python writes them
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}

// isEmpty reports whether v is nil, "", an empty list or an empty map.
func isEmpty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case []string:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	case map[string]string:
		return len(v) == 0
	}
	return false
}

// coalesce implements coalesce(values...).
func coalesce(params ...any) (any, error) {
	for _, p := range params {
		if !isEmpty(p) {
			return p, nil
		}
	}
	return nil, nil
}

// lookup implements lookup(table, key[, default]).
func lookup(params ...any) (any, error) {
	c := call{"lookup", params}
	if err := c.count(2, 3); err != nil {
		return nil, err
	}
	key, err := text(params[1])
	if err != nil {
		return nil, c.wrap(2, err)
	}
	var def any
	if len(params) == 3 {
		def = params[2]
	}
	switch table := params[0].(type) {
	case map[string]any:
		if v, ok := table[key]; ok {
			return v, nil
		}
	case map[string]string:
		if v, ok := table[key]; ok {
			return v, nil
		}
	default:
		return nil, c.errorf(1, "want a map with string keys, got %s", describe(params[0]))
	}
	return def, nil
}

// jsonGet implements jsonGet(value, path).
func jsonGet(params ...any) (any, error) {
	c := call{"jsonGet", params}
	if err := c.count(2, 2); err != nil {
		return nil, err
	}
	path, err := c.str(1)
	if err != nil {
		return nil, err
	}
	v := params[0]
	if s, ok := v.(string); ok {
		if v, err = decodeJSON(s); err != nil {
			return nil, c.wrap(1, err)
		}
	}
	if path == "" {
		return v, nil
	}
	for _, seg := range strings.Split(path, ".") {
		if v = step(v, seg); v == nil {
			return nil, nil
		}
	}
	return v, nil
}

// decodeJSON decodes JSON text; integral numbers become int, others float64.
func decodeJSON(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("unexpected data after the JSON value at offset %d", dec.InputOffset())
	}
	return numbers(v), nil
}

// numbers replaces json.Number values by int (when integral and in range)
// or float64, recursively.
func numbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		if n, err := strconv.ParseInt(string(v), 10, 0); err == nil {
			return int(n)
		}
		f, _ := strconv.ParseFloat(string(v), 64)
		return f
	case map[string]any:
		for k, x := range v {
			v[k] = numbers(x)
		}
	case []any:
		for i, x := range v {
			v[i] = numbers(x)
		}
	}
	return v
}

// step follows one path segment: a key of a map or an index of a list.
func step(v any, seg string) any {
	switch v := v.(type) {
	case map[string]any:
		return v[seg]
	case map[string]string:
		if s, ok := v[seg]; ok {
			return s
		}
	case []any:
		if i, ok := index(seg, len(v)); ok {
			return v[i]
		}
	case []string:
		if i, ok := index(seg, len(v)); ok {
			return v[i]
		}
	}
	return nil
}

// index reads a list index, negative counting from the end.
func index(seg string, n int) (int, bool) {
	i, err := strconv.Atoi(seg)
	if err != nil {
		return 0, false
	}
	if i < 0 {
		i += n
	}
	return i, i >= 0 && i < n
}
