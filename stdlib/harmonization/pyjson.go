// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// This file reads JSON as Python's json.loads does (standard JSON plus the
// tokens NaN, Infinity and -Infinity) and writes it back as Python's
// json.dumps(sort_keys=True) and repr() do.

// jsonKind is the kind of a decoded JSON node.
type jsonKind uint8

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonInt   // text holds the digits as written
	jsonFloat // f holds the value
	jsonString
	jsonArray
	jsonObject
)

// jsonNode is one decoded JSON value. Objects keep Python's dict order:
// first insertion position, last value for a repeated key.
type jsonNode struct {
	kind  jsonKind
	b     bool
	f     float64
	text  string // jsonInt: the digits; jsonString: the decoded text
	keys  []string
	items []jsonNode
	index map[string]int // position of each key, built for large objects
}

// jsonParser is a recursive descent parser over Python's JSON grammar. With
// build false it only checks the syntax and does not allocate.
type jsonParser struct {
	s     string
	i     int
	build bool
	depth int
}

// maxJSONDepth bounds nesting; Python's limit (its recursion limit) is of
// the same order.
const maxJSONDepth = 1000

// pyJSONCheck reports whether s is accepted by Python's json.loads, and
// whether its value is a non-empty object.
func pyJSONCheck(s string) (ok, nonEmptyObject bool) {
	p := jsonParser{s: s}
	p.ws()
	start := p.i
	if _, ok := p.value(); !ok {
		return false, false
	}
	p.ws()
	if p.i != len(p.s) {
		return false, false
	}
	if s[start] == '{' {
		q := jsonParser{s: s, i: start + 1}
		q.ws()
		return true, q.i < len(s) && s[q.i] != '}'
	}
	return true, false
}

// pyJSONParse decodes s as Python's json.loads does.
func pyJSONParse(s string) (jsonNode, bool) {
	p := jsonParser{s: s, build: true}
	p.ws()
	n, ok := p.value()
	if !ok {
		return jsonNode{}, false
	}
	p.ws()
	return n, p.i == len(p.s)
}

func (p *jsonParser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) literal(word string) bool {
	if strings.HasPrefix(p.s[p.i:], word) {
		p.i += len(word)
		return true
	}
	return false
}

func (p *jsonParser) value() (jsonNode, bool) {
	if p.i >= len(p.s) {
		return jsonNode{}, false
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, ok := p.str()
		return jsonNode{kind: jsonString, text: s}, ok
	case p.literal("null"):
		return jsonNode{kind: jsonNull}, true
	case p.literal("true"):
		return jsonNode{kind: jsonBool, b: true}, true
	case p.literal("false"):
		return jsonNode{kind: jsonBool}, true
	case p.literal("NaN"):
		return jsonNode{kind: jsonFloat, f: math.NaN()}, true
	case p.literal("Infinity"):
		return jsonNode{kind: jsonFloat, f: math.Inf(1)}, true
	case p.literal("-Infinity"):
		return jsonNode{kind: jsonFloat, f: math.Inf(-1)}, true
	case c == '-' || ('0' <= c && c <= '9'):
		return p.number()
	}
	return jsonNode{}, false
}

func (p *jsonParser) enter() bool {
	p.depth++
	p.i++
	return p.depth <= maxJSONDepth
}

func (p *jsonParser) object() (jsonNode, bool) {
	n := jsonNode{kind: jsonObject}
	if !p.enter() {
		return n, false
	}
	defer func() { p.depth-- }()
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return n, true
	}
	for {
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			return n, false
		}
		key, ok := p.str()
		if !ok {
			return n, false
		}
		p.ws()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return n, false
		}
		p.i++
		p.ws()
		v, ok := p.value()
		if !ok {
			return n, false
		}
		if p.build {
			n.set(key, v)
		}
		p.ws()
		if p.i >= len(p.s) {
			return n, false
		}
		switch p.s[p.i] {
		case ',':
			p.i++
			p.ws()
		case '}':
			p.i++
			return n, true
		default:
			return n, false
		}
	}
}

// set stores key as a Python dict does: a repeated key keeps its first
// position and takes the new value.
func (n *jsonNode) set(key string, v jsonNode) {
	if n.index == nil && len(n.keys) >= 16 {
		n.index = make(map[string]int, 2*len(n.keys))
		for i, k := range n.keys {
			n.index[k] = i
		}
	}
	if n.index != nil {
		if i, ok := n.index[key]; ok {
			n.items[i] = v
			return
		}
		n.index[key] = len(n.keys)
	} else {
		for i, k := range n.keys {
			if k == key {
				n.items[i] = v
				return
			}
		}
	}
	n.keys = append(n.keys, key)
	n.items = append(n.items, v)
}

func (p *jsonParser) array() (jsonNode, bool) {
	n := jsonNode{kind: jsonArray}
	if !p.enter() {
		return n, false
	}
	defer func() { p.depth-- }()
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return n, true
	}
	for {
		v, ok := p.value()
		if !ok {
			return n, false
		}
		if p.build {
			n.items = append(n.items, v)
		}
		p.ws()
		if p.i >= len(p.s) {
			return n, false
		}
		switch p.s[p.i] {
		case ',':
			p.i++
			p.ws()
		case ']':
			p.i++
			return n, true
		default:
			return n, false
		}
	}
}

// digits consumes ASCII digits and returns how many there were.
func (p *jsonParser) digits() int {
	start := p.i
	for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
		p.i++
	}
	return p.i - start
}

func (p *jsonParser) number() (jsonNode, bool) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	if p.i >= len(p.s) {
		return jsonNode{}, false
	}
	if p.s[p.i] == '0' {
		p.i++
	} else if p.digits() == 0 {
		return jsonNode{}, false
	}
	isFloat := false
	if p.i+1 < len(p.s) && p.s[p.i] == '.' && '0' <= p.s[p.i+1] && p.s[p.i+1] <= '9' {
		p.i++
		p.digits()
		isFloat = true
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		j := p.i + 1
		if j < len(p.s) && (p.s[j] == '+' || p.s[j] == '-') {
			j++
		}
		if j < len(p.s) && '0' <= p.s[j] && p.s[j] <= '9' {
			p.i = j
			p.digits()
			isFloat = true
		}
	}
	text := p.s[start:p.i]
	if !p.build {
		return jsonNode{}, true
	}
	if isFloat {
		f, _ := strconv.ParseFloat(text, 64) // out of range gives ±Inf, as in Python
		return jsonNode{kind: jsonFloat, f: f}, true
	}
	if text == "-0" {
		text = "0"
	}
	return jsonNode{kind: jsonInt, text: text}, true
}

// str consumes a JSON string and returns its decoded text (only when
// building). Lone surrogates, which Go strings cannot hold, become U+FFFD.
func (p *jsonParser) str() (string, bool) {
	p.i++ // opening quote
	var b strings.Builder
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			if p.build {
				b.WriteString(p.s[start:p.i])
			}
			p.i++
			return b.String(), true
		case c < 0x20:
			return "", false
		case c == '\\':
			if p.build {
				b.WriteString(p.s[start:p.i])
			}
			if !p.escape(&b) {
				return "", false
			}
			start = p.i
		default:
			p.i++
		}
	}
	return "", false
}

// escape consumes one backslash escape and writes its character to b.
func (p *jsonParser) escape(b *strings.Builder) bool {
	if p.i+1 >= len(p.s) {
		return false
	}
	c := p.s[p.i+1]
	p.i += 2
	var r rune
	switch c {
	case '"', '\\', '/':
		r = rune(c)
	case 'b':
		r = '\b'
	case 'f':
		r = '\f'
	case 'n':
		r = '\n'
	case 'r':
		r = '\r'
	case 't':
		r = '\t'
	case 'u':
		var ok bool
		if r, ok = p.hex4(); !ok {
			return false
		}
		if 0xD800 <= r && r < 0xDC00 && strings.HasPrefix(p.s[p.i:], `\u`) {
			save := p.i
			p.i += 2
			lo, ok := p.hex4()
			if ok && 0xDC00 <= lo && lo < 0xE000 {
				r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
			} else {
				p.i = save
			}
		}
	default:
		return false
	}
	if p.build {
		b.WriteRune(r) // a lone surrogate is written as U+FFFD
	}
	return true
}

func (p *jsonParser) hex4() (rune, bool) {
	if p.i+4 > len(p.s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(p.s[p.i : p.i+4]) {
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	p.i += 4
	return r, true
}

// pyStyle is how Python writes a decoded JSON value: json.dumps or repr().
type pyStyle struct {
	null, yes, no string
	float         func(float64) string
	quote         func(*strings.Builder, string)
	sortKeys      bool
}

var (
	// dumpsStyle is json.dumps(v, sort_keys=True): ", " and ": "
	// separators, every character outside printable ASCII escaped.
	dumpsStyle = pyStyle{null: "null", yes: "true", no: "false", float: pyJSONFloat, quote: pyJSONQuote, sortKeys: true}
	// reprStyle is repr() of the decoded value, keys in document order.
	reprStyle = pyStyle{null: "None", yes: "True", no: "False", float: PyFloatRepr, quote: pyQuote}
)

// pyDumps writes n as Python's json.dumps(n, sort_keys=True) does.
func (n *jsonNode) pyDumps(b *strings.Builder) { n.pyWrite(b, &dumpsStyle) }

// pyRepr writes n as Python's repr() of the decoded value.
func (n *jsonNode) pyRepr(b *strings.Builder) { n.pyWrite(b, &reprStyle) }

// pyWrite writes n in style st.
func (n *jsonNode) pyWrite(b *strings.Builder, st *pyStyle) {
	switch n.kind {
	case jsonNull:
		b.WriteString(st.null)
	case jsonBool:
		if n.b {
			b.WriteString(st.yes)
		} else {
			b.WriteString(st.no)
		}
	case jsonInt:
		b.WriteString(n.text)
	case jsonFloat:
		b.WriteString(st.float(n.f))
	case jsonString:
		st.quote(b, n.text)
	case jsonArray:
		b.WriteByte('[')
		for i := range n.items {
			if i > 0 {
				b.WriteString(", ")
			}
			n.items[i].pyWrite(b, st)
		}
		b.WriteByte(']')
	case jsonObject:
		order := make([]int, len(n.keys))
		for i := range order {
			order[i] = i
		}
		if st.sortKeys {
			sort.Slice(order, func(a, c int) bool { return n.keys[order[a]] < n.keys[order[c]] })
		}
		b.WriteByte('{')
		for i, k := range order {
			if i > 0 {
				b.WriteString(", ")
			}
			st.quote(b, n.keys[k])
			b.WriteString(": ")
			n.items[k].pyWrite(b, st)
		}
		b.WriteByte('}')
	}
}

// pyJSONFloat formats f as Python's json module does.
func pyJSONFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return PyFloatRepr(f)
}

const lowerHex = "0123456789abcdef"

// pyJSONQuote writes s as a JSON string with Python's ensure_ascii escaping
// (AppendPyJSONString).
func pyJSONQuote(b *strings.Builder, s string) {
	var buf [64]byte
	b.Write(AppendPyJSONString(buf[:0], s))
}

// AppendPyJSONString appends s as Python's json.dumps writes a string with
// ensure_ascii: \" \\ \n \r \t \b \f, \uXXXX for every other character
// outside printable ASCII, surrogate pairs beyond U+FFFF. Invalid UTF-8
// bytes are written as U+FFFD.
func AppendPyJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			dst = append(dst, '\\', byte(r))
		case r == '\n':
			dst = append(dst, '\\', 'n')
		case r == '\r':
			dst = append(dst, '\\', 'r')
		case r == '\t':
			dst = append(dst, '\\', 't')
		case r == '\b':
			dst = append(dst, '\\', 'b')
		case r == '\f':
			dst = append(dst, '\\', 'f')
		case ' ' <= r && r <= '~':
			dst = append(dst, byte(r))
		case r >= 0x10000:
			r -= 0x10000
			dst = appendU4(appendU4(dst, 0xD800+(r>>10)), 0xDC00+(r&0x3FF))
		default:
			dst = appendU4(dst, r)
		}
	}
	return append(dst, '"')
}

func appendU4(dst []byte, r rune) []byte {
	return append(dst, '\\', 'u', lowerHex[r>>12&0xF], lowerHex[r>>8&0xF], lowerHex[r>>4&0xF], lowerHex[r&0xF])
}

func writeU4(b *strings.Builder, r rune) {
	var buf [6]byte
	b.Write(appendU4(buf[:0], r))
}

// pyQuote writes Python's repr() of the string s.
func pyQuote(b *strings.Builder, s string) {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
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
		case r < ' ' || r == 0x7F:
			b.WriteString(`\x`)
			b.WriteByte(lowerHex[r>>4])
			b.WriteByte(lowerHex[r&0xF])
		case r < 0x7F || pyIsPrintable(r):
			b.WriteRune(r)
		case r <= 0xFF:
			b.WriteString(`\x`)
			b.WriteByte(lowerHex[r>>4])
			b.WriteByte(lowerHex[r&0xF])
		case r <= 0xFFFF:
			writeU4(b, r)
		default:
			b.WriteString(`\U`)
			for shift := 28; shift >= 0; shift -= 4 {
				b.WriteByte(lowerHex[(r>>uint(shift))&0xF])
			}
		}
	}
	b.WriteByte(quote)
}

// pyIsPrintable reports Python's str.isprintable for one character: every
// character except the categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs (the
// ASCII space is printable).
func pyIsPrintable(r rune) bool {
	return unicode.IsPrint(r) // letters, marks, numbers, punctuation, symbols, ' '
}
