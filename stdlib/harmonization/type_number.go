// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import "math"

// integerType is IntelMQ's Integer: a number without fraction. A boolean is
// not an Integer.
type integerType struct{}

func (integerType) Name() string { return TypeInteger }

func (integerType) Validate(v Value) bool { return v.kind == KindInt }

// Sanitize converts as Python's int() does: "12" and " +12 " give 12, a
// float is truncated (12.7 gives 12), true gives 1; "12.5" and "0x10" fail.
// Numbers beyond 64 bits fail (Python has no limit).
func (integerType) Sanitize(v Value) (Value, error) {
	n, err := toInt(TypeInteger, v)
	if err != nil {
		return Value{}, err
	}
	return Int(n), nil
}

// toInt is Python's int(value) for the value kinds.
func toInt(typ string, v Value) (int64, error) {
	switch v.kind {
	case KindInt, KindBool:
		return v.n, nil
	case KindFloat:
		if math.IsNaN(v.fl()) || math.IsInf(v.fl(), 0) {
			return 0, failf(typ, "%s has no integer value", PyFloatRepr(v.fl()))
		}
		if t := math.Trunc(v.fl()); t >= -(1<<63) && t < 1<<63 {
			return int64(t), nil
		}
		return 0, failf(typ, "%s is out of the 64-bit range", PyFloatRepr(v.fl()))
	case KindString:
		n, err := pyParseInt(v.s)
		if err != nil {
			return 0, failf(typ, "%q: %v", v.s, err)
		}
		return n, nil
	}
	return 0, failf(typ, "a %s value is not a number", v.kind)
}

// maxASN is the largest 32-bit AS number.
const maxASN = 4294967295

// asnType is IntelMQ's ASN: an Integer in 1..4294967295.
type asnType struct{}

func (asnType) Name() string { return TypeASN }

func (asnType) Validate(v Value) bool { return v.kind == KindInt && v.n > 0 && v.n <= maxASN }

// Sanitize removes a leading "AS" (any case) from a string, then converts as
// Integer does ("AS 64496" gives 64496). A result outside 1..4294967295
// fails.
func (asnType) Sanitize(v Value) (Value, error) {
	if v.kind == KindString && len(v.s) >= 2 && (v.s[0]|0x20) == 'a' && (v.s[1]|0x20) == 's' {
		v = String(v.s[2:])
	}
	n, err := toInt(TypeASN, v)
	if err != nil {
		return Value{}, err
	}
	if n <= 0 || n > maxASN {
		return Value{}, failf(TypeASN, "%d is not in 1..%d", n, maxASN)
	}
	return Int(n), nil
}

// floatType is IntelMQ's Float: any number, integers included. A boolean is
// not a Float. Unlike IntelMQ, NaN and infinities are rejected (JSON cannot
// carry them).
type floatType struct{}

func (floatType) Name() string { return TypeFloat }

func (floatType) Validate(v Value) bool {
	return v.kind == KindInt || (v.kind == KindFloat && isFinite(v.fl()))
}

// Sanitize converts as Python's float() does: "1e3" gives 1000.0,
// " 1_000.5 " gives 1000.5, true gives 1.0, an integer gives a float.
func (floatType) Sanitize(v Value) (Value, error) {
	f, err := toFloat(TypeFloat, v)
	if err != nil {
		return Value{}, err
	}
	if !isFinite(f) {
		return Value{}, failf(TypeFloat, "%s is not a finite number", PyFloatRepr(f))
	}
	return Float(f), nil
}

func isFinite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// toFloat is Python's float(value) for the value kinds.
func toFloat(typ string, v Value) (float64, error) {
	switch v.kind {
	case KindFloat:
		return v.fl(), nil
	case KindInt, KindBool:
		return float64(v.n), nil
	case KindString:
		f, err := pyParseFloat(v.s)
		if err != nil {
			return 0, failf(typ, "%q: %v", v.s, err)
		}
		return f, nil
	}
	return 0, failf(typ, "a %s value is not a number", v.kind)
}

// accuracyType is IntelMQ's Accuracy: a number in 0..100. IntelMQ also takes
// a boolean as valid.
type accuracyType struct{}

func (accuracyType) Name() string { return TypeAccuracy }

func (accuracyType) Validate(v Value) bool {
	switch v.kind {
	case KindBool:
		return true
	case KindInt, KindFloat:
		f := v.Float()
		return f >= 0 && f <= 100
	}
	return false
}

// Sanitize gives 100.0 for true and 0.0 for false, and otherwise converts as
// Float does and fails outside 0..100.
func (accuracyType) Sanitize(v Value) (Value, error) {
	if v.kind == KindBool {
		return Float(float64(v.n) * 100), nil
	}
	f, err := toFloat(TypeAccuracy, v)
	if err != nil {
		return Value{}, err
	}
	if !(f >= 0 && f <= 100) {
		return Value{}, failf(TypeAccuracy, "%s is not in 0..100", PyFloatRepr(f))
	}
	return Float(f), nil
}

// booleanType is IntelMQ's Boolean: only a real boolean is valid.
type booleanType struct{}

func (booleanType) Name() string { return TypeBoolean }

func (booleanType) Validate(v Value) bool { return v.kind == KindBool }

// Sanitize accepts "true" and "false" in any case with white space around,
// and the integers 1 and 0. "yes", "1", 2 and floats fail.
func (booleanType) Sanitize(v Value) (Value, error) {
	switch v.kind {
	case KindBool:
		return v, nil
	case KindInt:
		if v.n == 0 || v.n == 1 {
			return Bool(v.n == 1), nil
		}
	case KindString:
		switch s := pyStrip(v.s); {
		case asciiEqualFold(s, "true"):
			return Bool(true), nil
		case asciiEqualFold(s, "false"):
			return Bool(false), nil
		}
	}
	return Value{}, failf(TypeBoolean, "%s is not true or false", PyRepr(v))
}

// asciiEqualFold reports whether s equals the lower case ASCII word when s
// is lower-cased as Python does (no non-ASCII letter lower-cases to ASCII
// except U+0130 and U+212A, which are not in the words compared).
func asciiEqualFold(s, word string) bool {
	if len(s) != len(word) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != word[i] {
			return false
		}
	}
	return true
}
