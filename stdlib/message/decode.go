// SPDX-License-Identifier: AGPL-3.0-or-later

package message

import (
	"bytes"
	"unicode/utf8"
	"unsafe"

	"github.com/intelmq-go/intelmq/stdlib/harmonization"
)

// Decode reads one message in IntelMQ's queue (Redis) format. The JSON
// object must carry "__type": "Event" or "Report". Any key order and any
// JSON escaping are accepted; duplicate keys keep the first position and the
// last value, as Python's json.loads does.
//
// Every field is then added as IntelMQ does when it reads a message: kept as
// it is if it validates, otherwise sanitized. Values IntelMQ ignores (null,
// "", "-", "N/A") are dropped. An unknown key is an *InvalidKeyError, a value
// that stays invalid an *InvalidValueError, and data that is not a message
// (bad UTF-8, bad JSON, no or an unknown "__type") a *DecodeError.
func Decode(s *harmonization.Schema, data []byte) (*Message, error) {
	m := New(s, harmonization.Event)
	if err := m.decode(data, harmonization.Event, true); err != nil {
		return nil, err
	}
	return m, nil
}

// DecodeDefault is Decode for data that may lack "__type"; such a message
// gets defaultType, as intelmqctl, the JSON parser and library mode allow.
func DecodeDefault(s *harmonization.Schema, data []byte, defaultType harmonization.MessageType) (*Message, error) {
	m := New(s, defaultType)
	if err := m.decode(data, defaultType, false); err != nil {
		return nil, err
	}
	return m, nil
}

// DecodeInto is Decode into an existing message, for hot loops: m is reset,
// its storage reused, and its type set from "__type". After an error m is
// empty.
func (m *Message) DecodeInto(data []byte) error {
	return m.decode(data, m.typ, true)
}

// DecodeIntoDefault is DecodeInto for data that may lack "__type".
func (m *Message) DecodeIntoDefault(data []byte, defaultType harmonization.MessageType) error {
	return m.decode(data, defaultType, false)
}

// decode parses data into m and then validates every field. After an
// error m is empty.
func (m *Message) decode(data []byte, defType harmonization.MessageType, requireType bool) error {
	return m.decodeWith(nil, data, decodeCopy, defType, requireType)
}

// decodeMode says what a decode may assume about its data.
type decodeMode uint8

const (
	// decodeCopy copies the data's strings: the caller may change it.
	decodeCopy decodeMode = iota
	// decodeShared keeps the strings in the data (Decoder.DecodeShared).
	decodeShared
	// decodeTrusted is decodeShared without the check of the values
	// (Decoder.DecodeTrusted).
	decodeTrusted
)

// decodeWith is decode remembering checked fields in d (nil: none); with
// shared, the strings of m share data's memory (see Decoder.DecodeShared).
func (m *Message) decodeWith(d *Decoder, data []byte, mode decodeMode, defType harmonization.MessageType, requireType bool) error {
	m.Reset()
	err := m.decodeFields(d, data, mode, defType, requireType)
	if err != nil {
		m.Reset()
	}
	return err
}

// A Decoder decodes messages one after another, as DecodeInto does, and
// remembers the fields of the last one: a field whose key and value are
// those at the same position of the message before is not looked up and
// checked again, but given the checked value it had then. The outcome of
// the check depends only on the schema, the message type, the key and the
// value, so the result is the same; a feed's events repeat most of their
// values (feed, classification, observation time), and their keys come in
// the same order. A Decoder is for one goroutine; its zero value is ready.
type Decoder struct {
	schema *harmonization.Schema
	typ    harmonization.MessageType
	memo   []memoEntry
}

// memoEntry is one field a Decoder checked: the key and the value as
// parsed, the value that the check gave, and whether it had to sanitize.
type memoEntry struct {
	key       string
	parsed    harmonization.Value
	checked   harmonization.Value
	sanitized bool
	// keyOnly marks an entry a trusted decode made: its value was not
	// checked, so only its key serves (knowsKey), never its value
	// (recall), lest data wrongly marked trusted let a bad value pass a
	// later checked decode.
	keyOnly bool
}

// DecodeInto is m.DecodeInto(data) (see Decoder).
func (d *Decoder) DecodeInto(m *Message, data []byte) error {
	return m.decodeWith(d, data, decodeCopy, m.typ, true)
}

// DecodeShared is DecodeInto for data that nobody changes afterwards, such
// as the messages of a batch received from a queue, which belong to the
// receiver (queue.Batch.Messages): the strings of m, and those d
// remembers, are parts of data instead of a copy of it. This saves a copy
// and an allocation per message; data is kept in memory as long as one of
// those strings is in use. Changing data afterwards would change the
// decoded values behind the checks' back: never do it.
func (d *Decoder) DecodeShared(m *Message, data []byte) error {
	return m.decodeWith(d, data, decodeShared, m.typ, true)
}

// DecodeTrusted is DecodeShared for data that is the wire form
// (AppendWire) or the compact form (AppendCompact) of a message this
// program built: every value of such a message passed its field's check
// when it was added, and either form reads back as the same values, so
// they are not checked again. The keys, the JSON and the type are checked
// as always. Data from anywhere
// else (another process, a file, a person) must go through DecodeShared,
// which checks and sanitizes the values as IntelMQ does.
func (d *Decoder) DecodeTrusted(m *Message, data []byte) error {
	return m.decodeWith(d, data, decodeTrusted, m.typ, true)
}

// Forget drops what d remembers, and with it the last message's text
// that its values are part of (see DecodeShared); the next message is
// checked in full.
func (d *Decoder) Forget() {
	clear(d.memo)
	d.memo = d.memo[:0]
}

// memoFor returns d's memo for the schema and type of m, emptied when they
// changed; nil for a nil d.
func (d *Decoder) memoFor(m *Message) *Decoder {
	if d == nil {
		return nil
	}
	if d.schema != m.schema || d.typ != m.typ {
		d.schema, d.typ = m.schema, m.typ
		clear(d.memo)
		d.memo = d.memo[:0]
	}
	return d
}

// recall gives the parsed field e at position i its remembered check,
// and reports whether there was one. Like the check, a sanitized value
// clears the plain bit of the value; the key's bit is the parser's.
func (d *Decoder) recall(i int, e *entry) bool {
	if d == nil || i >= len(d.memo) {
		return false
	}
	r := &d.memo[i]
	if r.keyOnly || r.key != e.key || r.parsed != e.val {
		return false
	}
	e.val = r.checked
	if r.sanitized {
		e.plain &^= plainVal
	}
	return true
}

// knowsKey reports whether the field at position i of the message before
// had key, which was then a known field that is not a JSONDict: a trusted
// value under it needs no lookup. (Kept apart from recall so that both
// are inlined.)
func (d *Decoder) knowsKey(i int, key string) bool {
	return d != nil && i < len(d.memo) && d.memo[i].key == key
}

// remember records the check of the field parsed at position i; for a
// trusted value only its key, as the value was not checked.
func (d *Decoder) remember(i int, key string, parsed, checked harmonization.Value, sanitized, trusted bool) {
	if d == nil || i >= maxMemo {
		return
	}
	for len(d.memo) <= i {
		d.memo = append(d.memo, memoEntry{}) // an empty key matches no field
	}
	if trusted {
		d.memo[i] = memoEntry{key: key, keyOnly: true}
	} else {
		d.memo[i] = memoEntry{key: key, parsed: parsed, checked: checked, sanitized: sanitized}
	}
}

// maxMemo bounds the fields a Decoder remembers.
const maxMemo = 64

// maxMemoData is the size of the largest message a Decoder remembers the
// fields of. The values it keeps are parts of the message's text, which
// they keep in memory; a report of megabytes is decoded once anyway.
const maxMemoData = 16 << 10

// decodeFields is decode without the cleanup after an error.
func (m *Message) decodeFields(d *Decoder, data []byte, mode decodeMode, defType harmonization.MessageType, requireType bool) error {
	compact := IsCompact(data) // its strings are checked as it is parsed
	if !compact {
		if !utf8.Valid(data) {
			return syntaxError(invalidUTF8At(data), "invalid UTF-8")
		}
		if cap(m.fields) <= initialFields && len(data) > 64*initialFields {
			// Probably more fields than there is room for. Every member has
			// a colon; values may hold more.
			if n := min(bytes.Count(data, []byte{':'}), 256); n > cap(m.fields) {
				m.fields = make([]entry, 0, n)
			}
		}
	}
	var src string
	if mode != decodeCopy {
		src = unsafe.String(unsafe.SliceData(data), len(data))
	} else {
		src = string(data)
	}
	if compact {
		typ, err := m.parseCompact(src, mode == decodeTrusted)
		if err != nil {
			return err
		}
		m.typ = typ
	} else {
		typ, hasType, err := m.parse(src)
		if err != nil {
			return err
		}
		switch {
		case hasType:
			m.typ = typ
		case requireType:
			return syntaxError(0, `missing "__type"`)
		default:
			m.typ = defType
		}
	}
	if len(data) > maxMemoData {
		d = nil // a report: its values would keep its whole text alive
	}
	return m.validateParsed(d.memoFor(m), mode == decodeTrusted)
}

// invalidUTF8At returns the offset of the first invalid UTF-8 byte.
func invalidUTF8At(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// parse reads the wire object into m.fields without any check and returns
// the "__type" it names (the last one, as for any duplicate key).
func (m *Message) parse(src string) (harmonization.MessageType, bool, error) {
	r := objReader{src: src, m: m}
	if err := r.open(); err != nil {
		return 0, false, err
	}
	var typeVal harmonization.Value
	typePos := -1
	for {
		key, v, plain, ok := r.nextPlain()
		if !ok {
			var err error
			if key, v, ok, err = r.next(); err != nil {
				return 0, false, err
			}
			if !ok {
				break
			}
		}
		if key == "__type" {
			typeVal, typePos = v, r.valStart
			continue
		}
		m.putPlain(key, v, plain)
	}
	if end := skipWS(src, r.pos); end != len(src) {
		return 0, false, syntaxError(end, "extra data after the message object")
	}
	if typePos < 0 {
		return 0, false, nil
	}
	switch {
	case typeVal.Kind() == harmonization.KindString && typeVal.Str() == "Event":
		return harmonization.Event, true, nil
	case typeVal.Kind() == harmonization.KindString && typeVal.Str() == "Report":
		return harmonization.Report, true, nil
	}
	return 0, false, syntaxError(typePos, `"__type" must be "Event" or "Report", not `+typeVal.String())
}

// validateParsed turns the raw parsed fields into checked ones, in place.
// A JSONDict field set as a whole (extra) switches to replaying the rest
// through AddWith, whose order of checks then matters. With trusted the
// values are taken as valid (see Decoder.DecodeTrusted); the keys are
// still looked up.
func (m *Message) validateParsed(d *Decoder, trusted bool) error {
	w := 0
	for i := 0; i < len(m.fields); i++ {
		e := &m.fields[i]
		// A field the message before had at this position needs no check:
		// recall finds it by key and value, or, for a trusted value that
		// is not one to drop, by key.
		if trusted && !isIgnored(e.val) && d.knowsKey(i, e.key) || !trusted && d.recall(i, e) {
			if w != i {
				m.fields[w] = *e
			}
			w++
			continue
		}
		if isIgnored(e.val) {
			continue
		}
		parsed := e.val
		f, err := m.schema.LookupField(m.typ, e.key)
		if err != nil {
			return err
		}
		if isDictField(f) {
			return m.replayFrom(w, i)
		}
		// Accepted as it is if valid (nested JSON is already in stored
		// form), otherwise sanitized: IntelMQ's two add attempts.
		sanitized := !trusted && f.Validate(e.val) != nil
		if sanitized {
			if e.val, err = m.check(e.key, f, e.val, true); err != nil {
				return err
			}
			e.plain &^= plainVal
		}
		d.remember(i, e.key, parsed, e.val, sanitized, trusted)
		if w != i {
			m.fields[w] = *e
		}
		w++
	}
	clear(m.fields[w:])
	m.fields = m.fields[:w]
	return nil
}

// replayFrom keeps the w fields already checked and adds the parsed fields
// from position i on one by one like IntelMQ's message constructor: as
// they are, and sanitized if that fails. (Replaying the checked ones would
// store the same values, so they are kept as they are.)
func (m *Message) replayFrom(w, i int) error {
	rest := append([]entry(nil), m.fields[i:]...)
	clear(m.fields[w:])
	m.fields = m.fields[:w]
	for _, e := range rest {
		if err := m.addTwice(e.key, e.val, OverwriteDefault); err != nil {
			return err
		}
	}
	return nil
}

// objReader iterates over the members of a flat JSON object, turning each
// value into a Value: strings, int64 integers (larger ones as raw JSON
// digits), floats, booleans, the zero Value for null, and objects and arrays
// as raw JSON in stored (json.dumps) form.
type objReader struct {
	src      string
	pos      int
	valStart int
	started  bool
	m        *Message // owner of the scratch space
}

// open expects the opening brace.
func (r *objReader) open() error {
	r.pos = skipWS(r.src, 0)
	if r.pos >= len(r.src) || r.src[r.pos] != '{' {
		return syntaxError(r.pos, "expected a JSON object, found "+describe(r.src, r.pos))
	}
	r.pos++
	return nil
}

// nextPlain reads the next member if it has the form Python writes,
// `"key": ` with a key of printable ASCII after `, ` (or first) and a
// number or a string without escapes, and otherwise reports false,
// consuming nothing, for next to read the member. plain tells which of key
// and value are printable ASCII.
func (r *objReader) nextPlain() (key string, v harmonization.Value, plain uint8, ok bool) {
	src, pos := r.src, r.pos
	if r.started {
		if pos+2 >= len(src) || src[pos] != ',' || src[pos+1] != ' ' {
			return "", v, 0, false
		}
		pos += 2
	}
	if pos >= len(src) || src[pos] != '"' {
		return "", v, 0, false
	}
	end := asciiRun(src, pos+1)
	if end+3 >= len(src) || src[end] != '"' || src[end+1] != ':' || src[end+2] != ' ' {
		return "", v, 0, false
	}
	key, pos = src[pos+1:end], end+3
	switch c := src[pos]; {
	case c == '"':
		plain = plainKey | plainVal
		if end = asciiRun(src, pos+1); end >= len(src) || src[end] != '"' {
			plain, end = plainKey, stringRun(src, end)
			if end >= len(src) || src[end] != '"' {
				return "", v, 0, false
			}
		}
		v, end = harmonization.String(src[pos+1:end]), end+1
	case c == '-' || isDigit(c):
		if end, v, ok = shortNumber(src, pos); !ok {
			return "", v, 0, false
		}
		plain = plainKey
	default:
		return "", v, 0, false
	}
	r.pos, r.valStart, r.started = end, pos, true
	return key, v, plain, true
}

// next returns the next member, or ok false after the closing brace.
func (r *objReader) next() (key string, v harmonization.Value, ok bool, err error) {
	src := r.src
	pos := r.pos
	if pos+2 < len(src) && src[pos] == ',' && src[pos+1] == ' ' && src[pos+2] == '"' && r.started {
		pos += 2 // Python's ", " between members
	} else if pos = skipWS(src, pos); r.started {
		switch {
		case pos < len(src) && src[pos] == '}':
			r.pos = pos + 1
			return "", v, false, nil
		case pos < len(src) && src[pos] == ',':
			pos = skipWS(src, pos+1)
		default:
			return "", v, false, syntaxError(pos, "expected ',' or '}', found "+describe(src, pos))
		}
	} else if r.started = true; pos < len(src) && src[pos] == '}' {
		r.pos = pos + 1
		return "", v, false, nil
	}
	if pos >= len(src) || src[pos] != '"' {
		return "", v, false, syntaxError(pos, "expected a string key, found "+describe(src, pos))
	}
	if key, pos, err = scanString(src, pos); err != nil {
		return "", v, false, err
	}
	if pos, err = colon(src, pos); err != nil {
		return "", v, false, err
	}
	r.valStart = pos
	if v, r.pos, err = r.value(pos); err != nil {
		return "", v, false, err
	}
	return key, v, true, nil
}

// value reads the member value at pos.
func (r *objReader) value(pos int) (harmonization.Value, int, error) {
	src := r.src
	if pos >= len(src) {
		return harmonization.Value{}, 0, syntaxError(pos, "unexpected end of data, expected a value")
	}
	switch c := src[pos]; {
	case c == '"':
		s, end, err := scanString(src, pos)
		return harmonization.String(s), end, err
	case c == '{' || c == '[':
		return r.nested(pos)
	case c == '-' || isDigit(c):
		end, isInt, err := numberEnd(src, pos)
		if err != nil {
			return harmonization.Value{}, 0, err
		}
		return numberValue(src[pos:end], isInt), end, nil
	}
	end, ok := literalEnd(src, pos)
	if !ok {
		return harmonization.Value{}, 0, syntaxError(pos, "invalid value starting with "+describe(src, pos))
	}
	switch src[pos:end] {
	case "true":
		return harmonization.Bool(true), end, nil
	case "false":
		return harmonization.Bool(false), end, nil
	case "null":
		return harmonization.Value{}, end, nil
	}
	return harmonization.Float(parsePyFloat(src[pos:end])), end, nil
}

// nested reads an object or array value in stored form. When the source text
// is already in that form (as everything Python writes is) it is kept as a
// substring, without copying.
func (r *objReader) nested(pos int) (harmonization.Value, int, error) {
	m := r.m
	e := emitter{style: wireStyle, members: m.members[:0]}
	var (
		out []byte
		end int
		err error
	)
	if r.src[pos] == '{' {
		out, end, err = e.object(m.scratch[:0], r.src, pos)
	} else {
		out, end, err = e.array(m.scratch[:0], r.src, pos)
	}
	m.scratch, m.members = out[:0], e.members[:0]
	if err != nil {
		return harmonization.Value{}, 0, err
	}
	if text := r.src[pos:end]; string(out) == text {
		return harmonization.RawJSON(text), end, nil
	}
	return harmonization.RawJSON(string(out)), end, nil
}
