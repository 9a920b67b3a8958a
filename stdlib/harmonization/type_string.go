// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import "fmt"

// sanitizeError is the error of a Sanitize call for which IntelMQ's
// sanitize returns None.
type sanitizeError struct {
	typ    string
	reason string
	cause  error
}

func (e *sanitizeError) Error() string { return e.typ + ": " + e.reason }

// Unwrap returns the error of the parser the type used, if any.
func (e *sanitizeError) Unwrap() error { return e.cause }

// failf returns a sanitizeError of the type named typ. An error among the
// arguments becomes its cause.
func failf(typ, format string, args ...any) error {
	e := &sanitizeError{typ: typ, reason: fmt.Sprintf(format, args...)}
	for _, a := range args {
		if err, ok := a.(error); ok {
			e.cause = err
		}
	}
	return e
}

// isText reports whether v is a non-empty string, IntelMQ's
// GenericType.is_valid.
func isText(v Value) bool { return v.kind == KindString && v.s != "" }

// stringType is IntelMQ's String: any non-empty string. Leading and trailing
// white space is allowed, despite IntelMQ's docstring.
type stringType struct{}

func (stringType) Name() string { return TypeString }

func (stringType) Validate(v Value) bool { return isText(v) }

// Sanitize strips a string and writes other values as Python's str() does
// (5 becomes "5", true "True"); a false value (None, "", 0, false) fails.
// White space only gives "", which Validate then rejects, as in IntelMQ.
func (stringType) Sanitize(v Value) (Value, error) {
	s, ok := genericSanitize(v)
	if !ok {
		return Value{}, failf(TypeString, "empty value")
	}
	return String(s), nil
}

// lowercaseType is IntelMQ's LowercaseString: a non-empty string equal to
// its Python lower case form.
type lowercaseType struct{}

func (lowercaseType) Name() string { return TypeLowercaseString }

func (lowercaseType) Validate(v Value) bool { return isText(v) && pyIsLower(v.s) }

// Sanitize lower-cases (Python's full mapping) and then strips a string.
// Other kinds fail, as Python has no lower() for them.
func (lowercaseType) Sanitize(v Value) (Value, error) {
	return sanitizeCase(TypeLowercaseString, v, pyLower)
}

// uppercaseType is IntelMQ's UppercaseString: a non-empty string equal to
// its Python upper case form.
type uppercaseType struct{}

func (uppercaseType) Name() string { return TypeUppercaseString }

func (uppercaseType) Validate(v Value) bool { return isText(v) && pyIsUpper(v.s) }

// Sanitize upper-cases (Python's full mapping, "ß" becomes "SS") and then
// strips a string. Other kinds fail.
func (uppercaseType) Sanitize(v Value) (Value, error) {
	return sanitizeCase(TypeUppercaseString, v, pyUpper)
}

// sanitizeCase maps the case of a string value and strips it, as
// LowercaseString and UppercaseString sanitize. The result may be "" for a
// value of white space only; the error is set when IntelMQ returns None.
func sanitizeCase(typ string, v Value, mapCase func(string) string) (Value, error) {
	if v.kind != KindString {
		return Value{}, failf(typ, "not a string")
	}
	if v.s == "" {
		return Value{}, failf(typ, "empty value")
	}
	return String(pyStrip(mapCase(pyText(v.s)))), nil
}
