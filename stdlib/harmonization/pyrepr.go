// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"strconv"
	"strings"
)

// PyStr returns Python's str() of the value IntelMQ would hold for v: the
// text of a string, the digits of an integer, Python's float repr, "True" or
// "False", "None" for the zero Value, and for a JSON value the repr() of the
// decoded dict or list ("{'a': 1}"). It differs from Value.String only for
// JSON values, whose raw text Value.String returns.
//
// IntelMQ's generic sanitize turns non-string values into text this way, so
// String sanitizes the JSON object {"a": 1} to "{'a': 1}".
func PyStr(v Value) string {
	if v.kind == KindJSON {
		return pyReprJSONText(v.s)
	}
	return v.String()
}

// PyRepr returns Python's repr() of the value IntelMQ would hold for v:
// strings are quoted as Python quotes them ('1.2.3.4', "it's", '\n'
// escaped), the other kinds are written as PyStr writes them. IntelMQ's
// message hash is computed over this text.
func PyRepr(v Value) string {
	switch v.kind {
	case KindString:
		var b strings.Builder
		b.Grow(len(v.s) + 2)
		pyQuote(&b, v.s)
		return b.String()
	case KindJSON:
		return pyReprJSONText(v.s)
	}
	return v.String()
}

// pyReprJSONText returns the repr() of the decoded JSON text, or the text
// itself when it does not parse.
func pyReprJSONText(text string) string {
	n, ok := pyJSONParse(text)
	if !ok {
		return text
	}
	var b strings.Builder
	n.pyRepr(&b)
	return b.String()
}

// pyJSONDumps returns Python's json.dumps(v, sort_keys=True) of the value
// IntelMQ would hold for v. The zero Value gives "null".
func pyJSONDumps(v Value) string {
	var b strings.Builder
	switch v.kind {
	case KindString:
		pyJSONQuote(&b, v.s)
	case KindInt:
		return strconv.FormatInt(v.n, 10)
	case KindFloat:
		return pyJSONFloat(v.fl())
	case KindBool:
		if v.n != 0 {
			return "true"
		}
		return "false"
	case KindJSON:
		n, ok := pyJSONParse(v.s)
		if !ok {
			return v.s
		}
		n.pyDumps(&b)
	default:
		return "null"
	}
	return b.String()
}
