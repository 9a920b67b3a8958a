// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Kind is the JSON type a Value holds.
type Kind uint8

// The kinds of Value. The zero Value has KindNone, IntelMQ's None.
const (
	KindNone   Kind = iota // absent, Python None
	KindString             // a JSON string
	KindInt                // a JSON number without fraction or exponent
	KindFloat              // a JSON number with a fraction or exponent
	KindBool               // true or false
	KindJSON               // raw JSON text of an object, an array or null
)

var kindNames = [...]string{"none", "string", "int", "float", "bool", "json"}

// String returns the kind's lowercase name.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one field value of a message. It is a small immutable struct, not
// an interface, so messages hold their fields without boxing allocations.
type Value struct {
	kind Kind
	s    string // KindString: the text; KindJSON: the raw JSON text
	n    int64  // KindInt: the number; KindBool: 0 or 1; KindFloat: the bits
}

// String returns a string Value.
func String(s string) Value { return Value{kind: KindString, s: s} }

// Int returns an integer Value.
func Int(n int64) Value { return Value{kind: KindInt, n: n} }

// Float returns a float Value.
func Float(f float64) Value { return Value{kind: KindFloat, n: int64(math.Float64bits(f))} }

// fl returns the number of a float Value.
func (v Value) fl() float64 { return math.Float64frombits(uint64(v.n)) }

// Bool returns a boolean Value.
func Bool(b bool) Value {
	if b {
		return Value{kind: KindBool, n: 1}
	}
	return Value{kind: KindBool}
}

// RawJSON returns a Value holding the JSON text of an object, an array or
// null. The caller guarantees that text is valid JSON.
func RawJSON(text string) Value { return Value{kind: KindJSON, s: text} }

// Kind returns the JSON type of v.
func (v Value) Kind() Kind { return v.kind }

// IsNone reports whether v is the zero Value (Python None).
func (v Value) IsNone() bool { return v.kind == KindNone }

// Str returns the text of a string Value or the raw text of a JSON Value,
// and "" for the other kinds.
func (v Value) Str() string { return v.s }

// Int returns the number of an integer Value, the truncated number of a
// float Value, 1 or 0 for a boolean, and 0 otherwise.
func (v Value) Int() int64 {
	switch v.kind {
	case KindInt, KindBool:
		return v.n
	case KindFloat:
		return int64(v.fl())
	}
	return 0
}

// Float returns the number of a numeric Value as a float64.
func (v Value) Float() float64 {
	switch v.kind {
	case KindFloat:
		return v.fl()
	case KindInt, KindBool:
		return float64(v.n)
	}
	return 0
}

// Bool returns the truth of a boolean Value.
func (v Value) Bool() bool { return v.kind == KindBool && v.n != 0 }

// Equal reports whether v and w have the same kind and the same value.
func (v Value) Equal(w Value) bool {
	if v.kind != w.kind {
		return false
	}
	switch v.kind {
	case KindString, KindJSON:
		return v.s == w.s
	case KindInt, KindBool:
		return v.n == w.n
	case KindFloat:
		return v.fl() == w.fl() || (math.IsNaN(v.fl()) && math.IsNaN(w.fl()))
	}
	return true
}

// String returns Python's str() of the value, which IntelMQ uses for the
// length and regex checks of a field: the text of a string, "True" or "False"
// for a boolean, Python's float repr ("100.0", "1e+16") for a float, and the
// raw text of a JSON value.
func (v Value) String() string {
	switch v.kind {
	case KindString, KindJSON:
		return v.s
	case KindInt:
		return strconv.FormatInt(v.n, 10)
	case KindFloat:
		return PyFloatRepr(v.fl())
	case KindBool:
		if v.n != 0 {
			return "True"
		}
		return "False"
	}
	return "None"
}

// PyFloatRepr formats f as Python's repr(float) does: the shortest text that
// reads back as f, with ".0" on integral values and an exponent from 1e16 on.
func PyFloatRepr(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	abs := math.Abs(f)
	if abs != 0 && (abs >= 1e16 || abs < 1e-4) {
		s := strconv.FormatFloat(f, 'e', -1, 64)
		// Go writes e+16 / e-05, Python writes e+16 / e-05 too.
		return s
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			return s
		}
	}
	return s + ".0"
}

// Any returns v as a plain Go value for expression environments and
// encoding/json: string, int64, float64, bool, nil, or the decoded form of a
// JSON value (map[string]any, []any).
func (v Value) Any() any {
	switch v.kind {
	case KindString:
		return v.s
	case KindInt:
		return v.n
	case KindFloat:
		return v.fl()
	case KindBool:
		return v.n != 0
	case KindJSON:
		var x any
		if err := json.Unmarshal([]byte(v.s), &x); err != nil {
			return v.s
		}
		return x
	}
	return nil
}

// FromAny converts a plain Go value (as produced by encoding/json or by an
// expression) to a Value. Integral Go numbers become KindInt, other numbers
// KindFloat, maps and slices KindJSON with sorted keys. nil gives the zero
// Value.
func FromAny(x any) (Value, error) {
	switch t := x.(type) {
	case nil:
		return Value{}, nil
	case Value:
		return t, nil
	case string:
		return String(t), nil
	case []byte:
		return String(string(t)), nil
	case bool:
		return Bool(t), nil
	case int:
		return Int(int64(t)), nil
	case int8:
		return Int(int64(t)), nil
	case int16:
		return Int(int64(t)), nil
	case int32:
		return Int(int64(t)), nil
	case int64:
		return Int(t), nil
	case uint:
		return Int(int64(t)), nil
	case uint8:
		return Int(int64(t)), nil
	case uint16:
		return Int(int64(t)), nil
	case uint32:
		return Int(int64(t)), nil
	case uint64:
		if t > math.MaxInt64 {
			return Float(float64(t)), nil
		}
		return Int(int64(t)), nil
	case float32:
		return Float(float64(t)), nil
	case float64:
		return Float(t), nil
	case json.Number:
		if n, err := t.Int64(); err == nil {
			return Int(n), nil
		}
		f, err := t.Float64()
		if err != nil {
			return Value{}, fmt.Errorf("invalid number %q", t)
		}
		return Float(f), nil
	case map[string]any, []any:
		b, err := marshalSorted(t)
		if err != nil {
			return Value{}, err
		}
		return RawJSON(string(b)), nil
	}
	b, err := json.Marshal(x)
	if err != nil {
		return Value{}, fmt.Errorf("unsupported value of Go type %T", x)
	}
	return RawJSON(string(b)), nil
}

// marshalSorted encodes x as compact JSON with sorted object keys and
// without HTML escaping.
func marshalSorted(x any) ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(x); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(b.String(), "\n")), nil
}
