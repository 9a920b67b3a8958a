// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

// jsonType is IntelMQ's JSON: a string holding JSON text.
type jsonType struct{}

func (jsonType) Name() string { return TypeJSON }

// Validate accepts a string that Python's json.loads accepts: any JSON
// value ("5" is valid), with white space around it, and the NaN, Infinity
// and -Infinity tokens Python reads.
func (jsonType) Validate(v Value) bool {
	if v.kind != KindString {
		return false
	}
	ok, _ := pyJSONCheck(v.s)
	return ok
}

// Sanitize keeps a string that, stripped, is valid JSON text (verbatim, not
// re-formatted). Anything else is encoded as Python's json.dumps(value,
// sort_keys=True) does: a string that is not JSON becomes a JSON string
// literal ("not json" gives "\"not json\""), a JSON value is re-encoded
// with sorted keys and ", " / ": " separators. None fails.
func (jsonType) Sanitize(v Value) (Value, error) {
	if v.kind == KindNone || (v.kind == KindJSON && isJSONNull(v.s)) {
		return Value{}, failf(TypeJSON, "empty value")
	}
	if v.kind == KindString {
		if s, ok := genericSanitize(v); ok {
			if ok, _ := pyJSONCheck(s); ok {
				return String(s), nil
			}
		}
	}
	return String(pyStrip(pyJSONDumps(v))), nil
}

// jsonDictType is IntelMQ's JSONDict: a string holding a non-empty JSON
// object. It is the type of extra; its keys are stored as extra.* sub-items.
type jsonDictType struct{}

func (jsonDictType) Name() string { return TypeJSONDict }

// Validate accepts a string that Python's json.loads decodes to a non-empty
// object.
func (jsonDictType) Validate(v Value) bool {
	if v.kind != KindString {
		return false
	}
	ok, obj := pyJSONCheck(v.s)
	return ok && obj
}

// Sanitize keeps a string that, stripped, is a non-empty JSON object
// (verbatim, not re-sorted). A JSON value is encoded as Python's
// json.dumps(value, sort_keys=True) does. Any other value is encoded the same
// way and returned for Validate to reject, as in IntelMQ ("[1]" stays
// "[1]", "abc" gives "\"abc\""). A false value (None, "", 0, {}) fails.
func (jsonDictType) Sanitize(v Value) (Value, error) {
	if !pyTruthy(v) {
		return Value{}, failf(TypeJSONDict, "empty value")
	}
	if v.kind == KindString {
		s, _ := genericSanitize(v)
		if ok, obj := pyJSONCheck(s); ok && obj {
			return String(s), nil
		}
	}
	return String(pyStrip(pyJSONDumps(v))), nil
}
