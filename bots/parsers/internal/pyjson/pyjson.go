// SPDX-License-Identifier: AGPL-3.0-or-later

package pyjson

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// Kind is the Python type of a decoded value.
type Kind uint8

// The kinds of Value; the zero Value is None (JSON null).
const (
	None Kind = iota
	Bool
	Int
	Float
	String
	List
	Dict
)

var kindNames = [...]string{"None", "bool", "int", "float", "str", "list", "dict"}

// String returns the Python type name of k.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// Value is one decoded JSON value.
type Value struct {
	Kind Kind
	// B is a Bool's value.
	B bool
	// Num is an Int's decimal digits (any size, as Python's int) and a
	// Float's value as written.
	Num string
	// S is a String's text.
	S string
	// Items are the elements of a List or the values of a Dict.
	Items []Value
	// Keys are the keys of a Dict, in Python's order.
	Keys []string
}

// Get returns the value of key in a Dict.
func (v Value) Get(key string) (Value, bool) {
	for i, k := range v.Keys {
		if k == key {
			return v.Items[i], true
		}
	}
	return Value{}, false
}

// Set sets key in a Dict: a present key keeps its position, a new key is
// appended, as in a Python dict.
func (v *Value) Set(key string, x Value) {
	for i, k := range v.Keys {
		if k == key {
			v.Items[i] = x
			return
		}
	}
	v.Keys = append(v.Keys, key)
	v.Items = append(v.Items, x)
}

// Delete removes key from a Dict, in place: a copy of v that shares its
// storage sees the change.
func (v *Value) Delete(key string) {
	for i, k := range v.Keys {
		if k == key {
			v.Keys = slices.Delete(v.Keys, i, i+1)
			v.Items = slices.Delete(v.Items, i, i+1)
			return
		}
	}
}

// Truth is Python's bool(v).
func (v Value) Truth() bool {
	switch v.Kind {
	case Bool:
		return v.B
	case Int:
		return strings.Trim(v.Num, "-0") != ""
	case Float:
		return v.Float() != 0
	case String:
		return v.S != ""
	case List, Dict:
		return len(v.Items) > 0
	}
	return false
}

// Float returns the number of an Int or a Float.
func (v Value) Float() float64 {
	f, _ := strconv.ParseFloat(v.Num, 64) // also reads NaN, Infinity, -Infinity
	return f
}

// Equal is Python's == for the values JSON gives (1 == 1.0, True == 1).
func (v Value) Equal(w Value) bool {
	if v.isNumber() && w.isNumber() {
		return v.number() == w.number()
	}
	if v.Kind != w.Kind {
		return false
	}
	switch v.Kind {
	case String:
		return v.S == w.S
	case List, Dict:
		if len(v.Items) != len(w.Items) {
			return false
		}
		for i := range v.Items {
			if v.Kind == Dict {
				x, ok := w.Get(v.Keys[i])
				if !ok || !v.Items[i].Equal(x) {
					return false
				}
			} else if !v.Items[i].Equal(w.Items[i]) {
				return false
			}
		}
	}
	return true
}

func (v Value) isNumber() bool { return v.Kind == Int || v.Kind == Float || v.Kind == Bool }

func (v Value) number() float64 {
	if v.Kind == Bool {
		if v.B {
			return 1
		}
		return 0
	}
	return v.Float()
}

// Str returns the text of a String.
func Str(s string) Value { return Value{Kind: String, S: s} }

// ErrSyntax wraps the errors of Parse.
var ErrSyntax = errors.New("invalid JSON")

// maxDepth bounds nesting, as Python's recursion limit does.
const maxDepth = 1000

// Parse decodes s, which must hold exactly one JSON value, as Python's
// json.loads: standard JSON plus NaN, Infinity and -Infinity.
func Parse(s string) (Value, error) {
	p := parser{s: s}
	p.ws()
	v, err := p.value(0)
	if err == nil {
		if p.ws(); p.i < len(s) {
			err = p.fail("extra data")
		}
	}
	if err != nil {
		return Value{}, err
	}
	return v, nil
}

// parser is a recursive descent parser over s.
type parser struct {
	s string
	i int
}

func (p *parser) fail(what string) error {
	return fmt.Errorf("%w: %s at character %d", ErrSyntax, what, p.i)
}

func (p *parser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (Value, error) {
	if p.i >= len(p.s) {
		return Value{}, p.fail("expecting value")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		s, err := p.str()
		return Str(s), err
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	for _, lit := range [...]struct {
		word string
		v    Value
	}{
		{"null", Value{}}, {"true", Value{Kind: Bool, B: true}}, {"false", Value{Kind: Bool}},
		{"NaN", Value{Kind: Float, Num: "NaN"}}, {"Infinity", Value{Kind: Float, Num: "Infinity"}},
	} {
		if strings.HasPrefix(p.s[p.i:], lit.word) {
			p.i += len(lit.word)
			return lit.v, nil
		}
	}
	return Value{}, p.fail("expecting value")
}

func (p *parser) object(depth int) (Value, error) {
	if depth > maxDepth {
		return Value{}, p.fail("nesting too deep")
	}
	p.i++ // {
	v := Value{Kind: Dict, Keys: []string{}, Items: []Value{}}
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return v, nil
	}
	for {
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return Value{}, p.fail("expecting property name enclosed in double quotes")
		}
		key, err := p.str()
		if err != nil {
			return Value{}, err
		}
		p.ws()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return Value{}, p.fail("expecting ':' delimiter")
		}
		p.i++
		p.ws()
		e, err := p.value(depth)
		if err != nil {
			return Value{}, err
		}
		v.Set(key, e)
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return v, nil
		}
		if p.i >= len(p.s) || p.s[p.i] != ',' {
			return Value{}, p.fail("expecting ',' delimiter")
		}
		p.i++
		p.ws()
	}
}

func (p *parser) array(depth int) (Value, error) {
	if depth > maxDepth {
		return Value{}, p.fail("nesting too deep")
	}
	p.i++ // [
	v := Value{Kind: List, Items: []Value{}}
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return v, nil
	}
	for {
		e, err := p.value(depth)
		if err != nil {
			return Value{}, err
		}
		v.Items = append(v.Items, e)
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			return v, nil
		}
		if p.i >= len(p.s) || p.s[p.i] != ',' {
			return Value{}, p.fail("expecting ',' delimiter")
		}
		p.i++
		p.ws()
	}
}

func (p *parser) digits() int {
	start := p.i
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	return p.i - start
}

// number reads a number; "-Infinity" is one too.
func (p *parser) number() (Value, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
		if strings.HasPrefix(p.s[p.i:], "Infinity") {
			p.i += len("Infinity")
			return Value{Kind: Float, Num: "-Infinity"}, nil
		}
	}
	if p.i < len(p.s) && p.s[p.i] == '0' {
		p.i++
	} else if p.digits() == 0 {
		return Value{}, p.fail("expecting value")
	}
	isFloat := false
	if p.i+1 < len(p.s) && p.s[p.i] == '.' && p.s[p.i+1] >= '0' && p.s[p.i+1] <= '9' {
		p.i++
		p.digits()
		isFloat = true
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		save := p.i
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			p.i = save // Python's number stops before a bare "e"
		} else {
			isFloat = true
		}
	}
	text := p.s[start:p.i]
	if isFloat {
		return Value{Kind: Float, Num: text}, nil
	}
	if strings.Trim(text, "-0") == "" {
		text = "0"
	}
	return Value{Kind: Int, Num: text}, nil
}

// str reads a string literal; a lone surrogate escape becomes U+FFFD.
func (p *parser) str() (string, error) {
	p.i++ // "
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '"' {
			s := p.s[start:p.i]
			p.i++
			return s, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.i++
	}
	var b strings.Builder
	b.WriteString(p.s[start:p.i])
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return b.String(), nil
		case c < 0x20:
			return "", p.fail("invalid control character")
		case c != '\\':
			b.WriteByte(c)
			p.i++
			continue
		}
		p.i++
		if p.i >= len(p.s) {
			break
		}
		e := p.s[p.i]
		p.i++
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.fail("invalid \\uXXXX escape")
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if strings.HasPrefix(p.s[p.i:], "\\u") {
					save := p.i
					p.i += 2
					if r2, ok = p.hex4(); !ok {
						return "", p.fail("invalid \\uXXXX escape")
					}
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
					} else {
						p.i, r = save, utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			b.WriteRune(r)
		default:
			return "", p.fail("invalid escape")
		}
	}
	return "", p.fail("unterminated string")
}

func (p *parser) hex4() (rune, bool) {
	if p.i+4 > len(p.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 32)
	if err != nil || strings.ContainsAny(p.s[p.i:p.i+4], "+-") {
		return 0, false
	}
	p.i += 4
	return rune(n), true
}

// Dumps returns v as Python's json.dumps(v) writes it.
func (v Value) Dumps() string {
	var b bytes.Buffer
	v.dump(&b)
	return b.String()
}

func (v Value) dump(b *bytes.Buffer) {
	switch v.Kind {
	case None:
		b.WriteString("null")
	case Bool:
		if v.B {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case Int:
		b.WriteString(v.Num)
	case Float:
		f := v.Float()
		switch {
		case math.IsNaN(f):
			b.WriteString("NaN")
		case math.IsInf(f, 1):
			b.WriteString("Infinity")
		case math.IsInf(f, -1):
			b.WriteString("-Infinity")
		default:
			b.WriteString(harmonization.PyFloatRepr(f))
		}
	case String:
		quote(b, v.S)
	case List:
		b.WriteByte('[')
		for i, e := range v.Items {
			if i > 0 {
				b.WriteString(", ")
			}
			e.dump(b)
		}
		b.WriteByte(']')
	case Dict:
		b.WriteByte('{')
		for i, e := range v.Items {
			if i > 0 {
				b.WriteString(", ")
			}
			quote(b, v.Keys[i])
			b.WriteString(": ")
			e.dump(b)
		}
		b.WriteByte('}')
	}
}

// quote writes s as a JSON string with ensure_ascii
// (harmonization.AppendPyJSONString).
func quote(b *bytes.Buffer, s string) {
	b.Write(harmonization.AppendPyJSONString(b.AvailableBuffer(), s))
}

// HValue converts v to a message value as IntelMQ's add receives the
// Python object: None is the zero Value (nothing is added), a str a
// string, an int an integer (a float beyond the int64 range), a float a
// float, a bool a boolean, a list or dict its JSON text.
func (v Value) HValue() harmonization.Value {
	switch v.Kind {
	case Bool:
		return harmonization.Bool(v.B)
	case Int:
		if n, err := strconv.ParseInt(v.Num, 10, 64); err == nil {
			return harmonization.Int(n)
		}
		return harmonization.Float(v.Float())
	case Float:
		return harmonization.Float(v.Float())
	case String:
		return harmonization.String(v.S)
	case List, Dict:
		return harmonization.RawJSON(v.Dumps())
	}
	return harmonization.Value{}
}
