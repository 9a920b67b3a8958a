// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed harmonization.conf
var defaultConf []byte

// MessageType says whether a message is an Event or a Report.
type MessageType uint8

// The two message types of IntelMQ.
const (
	Event MessageType = iota
	Report
)

// String returns "Event" or "Report", the value of the wire key "__type".
func (t MessageType) String() string {
	if t == Report {
		return "Report"
	}
	return "Event"
}

// Field is one entry of the harmonization schema.
type Field struct {
	Key         string
	Description string
	Type        Type
	Length      int            // maximum length of str(value); 0 means none
	Regex       *regexp.Regexp // Python re.search semantics, translated
	IRegex      *regexp.Regexp // case-insensitive
	RegexText   string         // the regex as written in harmonization.conf
	IRegexText  string
	SubItem     bool // an extra.* key below a JSONDict field: any value is valid

	// Byte-loop matchers deciding Regex and IRegex for ASCII text (nil
	// when the pattern has no simple shape); see regexfast.go.
	fastRegex, fastIRegex *fastRegex
	// kind caches IsJSONDict for the fields a Schema builds.
	kind fieldKind
}

// fieldKind is what a schema knows about one of its fields.
type fieldKind uint8

const (
	kindUnknown  fieldKind = iota // not built by a Schema: ask the Type
	kindPlain                     // not a JSONDict field
	kindJSONDict                  // a JSONDict field itself
)

// IsJSONDict reports whether f is a JSONDict field itself (extra), whose
// values IntelMQ stores flattened as sub-items, rather than one of those
// sub-items or a field of another type.
func (f *Field) IsJSONDict() bool {
	switch f.kind {
	case kindPlain:
		return false
	case kindJSONDict:
		return true
	}
	return !f.SubItem && f.Type.Name() == TypeJSONDict
}

// Schema is a loaded harmonization.conf: the allowed keys of events and
// reports with their types and constraints. A Schema is immutable and safe
// for concurrent use.
type Schema struct {
	fields [2]map[string]*Field
	sorted [2][]*Field
	// tables index the fields per message type for LookupField, with the
	// shared sub-item field of every JSONDict field (extra).
	tables [2]fieldTable
}

var (
	defaultOnce   sync.Once
	defaultSchema *Schema
)

// Default returns the schema of the embedded IntelMQ harmonization.conf.
func Default() *Schema {
	defaultOnce.Do(func() {
		s, err := Parse(defaultConf)
		if err != nil {
			panic("embedded harmonization.conf: " + err.Error())
		}
		defaultSchema = s
	})
	return defaultSchema
}

// DefaultConf returns the embedded harmonization.conf text.
func DefaultConf() []byte { return append([]byte(nil), defaultConf...) }

type confField struct {
	Description string `json:"description"`
	Type        string `json:"type"`
	Length      int    `json:"length"`
	Regex       string `json:"regex"`
	IRegex      string `json:"iregex"`
}

// Parse loads a harmonization.conf (JSON with "event" and "report" sections).
func Parse(data []byte) (*Schema, error) {
	var conf map[string]map[string]confField
	if err := json.Unmarshal(data, &conf); err != nil {
		return nil, fmt.Errorf("harmonization: %w", err)
	}
	s := &Schema{}
	for i, section := range [2]string{"event", "report"} {
		sec, ok := conf[section]
		if !ok {
			return nil, fmt.Errorf("harmonization: missing section %q", section)
		}
		s.fields[i] = make(map[string]*Field, len(sec))
		subItems := map[string]*Field{}
		for key, cf := range sec {
			f, err := newField(key, cf)
			if err != nil {
				return nil, fmt.Errorf("harmonization: %s.%s: %w", section, key, err)
			}
			s.fields[i][key] = f
			s.sorted[i] = append(s.sorted[i], f)
			if f.Type.Name() == TypeJSONDict {
				subItems[key] = &Field{Key: key + ".*", Type: subItemType{}, SubItem: true, kind: kindPlain}
			}
		}
		s.tables[i] = newFieldTable(s.fields[i], subItems)
		sort.Slice(s.sorted[i], func(a, b int) bool { return s.sorted[i][a].Key < s.sorted[i][b].Key })
	}
	return s, nil
}

func newField(key string, cf confField) (*Field, error) {
	t, ok := TypeByName(cf.Type)
	if !ok {
		return nil, fmt.Errorf("unknown type %q", cf.Type)
	}
	f := &Field{Key: key, Description: cf.Description, Type: t, Length: cf.Length,
		RegexText: cf.Regex, IRegexText: cf.IRegex, kind: kindPlain}
	if t.Name() == TypeJSONDict {
		f.kind = kindJSONDict
	}
	var err error
	if cf.Regex != "" {
		if f.Regex, err = CompilePythonRegex(cf.Regex, false); err != nil {
			return nil, err
		}
		f.fastRegex = newFastRegex(f.Regex)
	}
	if cf.IRegex != "" {
		if f.IRegex, err = CompilePythonRegex(cf.IRegex, true); err != nil {
			return nil, err
		}
		f.fastIRegex = newFastRegex(f.IRegex)
	}
	return f, nil
}

// Fields returns the fields of a message type sorted by key.
func (s *Schema) Fields(t MessageType) []*Field { return s.sorted[t] }

// Keys returns the keys of the fields of a message type, sorted: the
// candidates of a "did you mean" for a misspelt one.
func (s *Schema) Keys(t MessageType) []string {
	keys := make([]string, len(s.sorted[t]))
	for i, f := range s.sorted[t] {
		keys[i] = f.Key
	}
	return keys
}

// Has reports whether key is a field of the message type itself (not an
// extra.* sub-key).
func (s *Schema) Has(t MessageType, key string) bool {
	_, ok := s.fields[t][key]
	return ok
}

// KeyPattern is the regular expression every key below a JSONDict field
// (extra.*) must match, as IntelMQ's HARMONIZATION_KEY_FORMAT. IntelMQ
// applies it with Python's re.match, so a final "\n" is tolerated.
const KeyPattern = `^[a-z_][a-z_0-9]+(\.[a-z_0-9]+)*$`

// The reasons of InvalidKeyError, as IntelMQ words them.
const (
	reasonKeyNotAllowed = "This key is not allowed by the harmonization configuration"
	reasonKeyPattern    = "Does not match regular expression " + KeyPattern
)

// ValidSubKey reports whether key matches KeyPattern, the rule for keys
// below a JSONDict field such as extra. As with Python's re.match, a final
// "\n" is tolerated.
func ValidSubKey(key string) bool {
	if n := len(key); n > 0 && key[n-1] == '\n' {
		key = key[:n-1]
	}
	// [a-z_][a-z_0-9]+ and then segments .[a-z_0-9]+
	if len(key) < 2 || !isKeyStart(key[0]) || !isKeyChar(key[1]) {
		return false
	}
	for i := 2; i < len(key); i++ {
		switch c := key[i]; {
		case isKeyChar(c):
		case c == '.' && i+1 < len(key) && isKeyChar(key[i+1]):
			i++
		default:
			return false
		}
	}
	return true
}

func isKeyStart(c byte) bool { return 'a' <= c && c <= 'z' || c == '_' }

func isKeyChar(c byte) bool { return isKeyStart(c) || '0' <= c && c <= '9' }

// Field returns the field definition for key, or an *InvalidKeyError with
// IntelMQ's reason. A key below a JSONDict field (extra.foo) gives a sub-item
// field that accepts any value; it must match KeyPattern (extra.Foo does
// not). Any other key that is not in the schema (source.foo) is not allowed.
func (s *Schema) Field(t MessageType, key string) (*Field, error) {
	f, err := s.LookupField(t, key)
	if err != nil || !f.SubItem {
		return f, err
	}
	return &Field{Key: key, Type: f.Type, SubItem: true}, nil
}

// LookupField is Field for the hot path of adding and checking values: it
// allocates nothing. It differs from Field only for a key below a JSONDict
// field (extra.foo): all such keys share one read-only sub-item Field per
// JSONDict field, whose Key is the pattern "extra.*" rather than the key
// itself. Its Sanitize and Validate never fail, so no error names that
// Key. Callers must not modify the returned Field.
func (s *Schema) LookupField(t MessageType, key string) (*Field, error) {
	table := &s.tables[t]
	if slot := table.find(key); slot != nil {
		return slot.f, nil
	}
	if i := strings.IndexByte(key, '.'); i > 0 {
		if slot := table.find(key[:i]); slot != nil && slot.sub != nil {
			if !ValidSubKey(key) {
				return nil, &InvalidKeyError{Key: key, Reason: reasonKeyPattern}
			}
			return slot.sub, nil
		}
	}
	return nil, &InvalidKeyError{Key: key, Reason: reasonKeyNotAllowed}
}

// Sanitize normalises v with the field's type.
func (f *Field) Sanitize(v Value) (Value, error) {
	out, err := f.Type.Sanitize(v)
	if err != nil {
		return Value{}, &InvalidValueError{Key: f.Key, Value: v, Reason: err.Error()}
	}
	return out, nil
}

// The reasons of InvalidValueError from Validate, as IntelMQ words them.
const (
	ReasonInvalid     = "is_valid returned False."
	ReasonRegex       = "regex did not match."
	ReasonRegexNoCase = "regex (case insensitive) did not match."
	reasonTooLongFmt  = "too long: %d > %d."
)

// Validate checks v against the field's type, then the length of Python's
// str(v) in characters, then the regex and the case-insensitive regex, as
// IntelMQ's add does after sanitizing. The error is an *InvalidValueError
// whose Reason is IntelMQ's: ReasonInvalid, "too long: 120 > 100.",
// ReasonRegex or ReasonRegexNoCase.
func (f *Field) Validate(v Value) error {
	if !f.Type.Validate(v) {
		return &InvalidValueError{Key: f.Key, Value: v, Reason: ReasonInvalid}
	}
	return f.checkConstraints(v)
}

// sanitizeValidator is implemented by types whose Sanitize knows, without
// more work, whether Validate accepts its result.
type sanitizeValidator interface {
	// sanitizeValid is Sanitize, and reports whether Validate accepts the
	// result.
	sanitizeValid(v Value) (out Value, valid bool, err error)
}

// SanitizeValidate is Sanitize followed by Validate of the result, as
// IntelMQ's add does: it returns the same value and error as the two calls,
// but shares their work where the field's type allows (a date and time or
// an address sanitized into canonical form is not parsed again).
func (f *Field) SanitizeValidate(v Value) (Value, error) {
	sv, ok := f.Type.(sanitizeValidator)
	if !ok {
		out, err := f.Sanitize(v)
		if err != nil {
			return out, err
		}
		return out, f.Validate(out)
	}
	out, valid, err := sv.sanitizeValid(v)
	switch {
	case err != nil:
		return Value{}, &InvalidValueError{Key: f.Key, Value: v, Reason: err.Error()}
	case !valid:
		return out, &InvalidValueError{Key: f.Key, Value: out, Reason: ReasonInvalid}
	}
	return out, f.checkConstraints(out)
}

// checkConstraints is Validate after the type check: the length and the
// regular expressions.
func (f *Field) checkConstraints(v Value) error {
	if f.Length == 0 && f.Regex == nil && f.IRegex == nil {
		return nil
	}
	if f.Length > 0 {
		if n, over := pyStrLenOver(v, f.Length); over {
			return &InvalidValueError{Key: f.Key, Value: v, Reason: fmt.Sprintf(reasonTooLongFmt, n, f.Length)}
		}
	}
	if f.Regex == nil && f.IRegex == nil {
		return nil
	}
	str := v.s
	if v.kind != KindString {
		str = PyStr(v)
	}
	if f.Regex != nil && !regexMatch(f.Regex, f.fastRegex, str) {
		return &InvalidValueError{Key: f.Key, Value: v, Reason: ReasonRegex}
	}
	if f.IRegex != nil && !regexMatch(f.IRegex, f.fastIRegex, str) {
		return &InvalidValueError{Key: f.Key, Value: v, Reason: ReasonRegexNoCase}
	}
	return nil
}

// regexMatch runs the byte-loop matcher fast when it was built for re and
// decides s, else re itself.
func regexMatch(re *regexp.Regexp, fast *fastRegex, s string) bool {
	if fast != nil && fast.re == re {
		if m, ok := fast.match(s); ok {
			return m
		}
	}
	return re.MatchString(s)
}

// pyStrLenOver returns the length in characters of Python's str(v) and
// whether it exceeds limit. Strings and integers are measured without
// building any text; the count is exact whenever over is true.
func pyStrLenOver(v Value, limit int) (int, bool) {
	switch v.kind {
	case KindString:
		if len(v.s) <= limit { // never more characters than bytes
			return len(v.s), false
		}
		n := utf8.RuneCountInString(v.s)
		return n, n > limit
	case KindInt:
		n := decimalLen(v.n)
		return n, n > limit
	}
	n := utf8.RuneCountInString(PyStr(v))
	return n, n > limit
}

// decimalLen returns len(strconv.FormatInt(n, 10)).
func decimalLen(n int64) int {
	l, u := 1, uint64(n)
	if n < 0 {
		l, u = 2, -u
	}
	for ; u >= 10; u /= 10 {
		l++
	}
	return l
}

// subItemType is the type of an extra.* key: any value is valid and
// sanitize is the identity.
type subItemType struct{}

func (subItemType) Name() string                    { return "SubItem" }
func (subItemType) Validate(v Value) bool           { return true }
func (subItemType) Sanitize(v Value) (Value, error) { return v, nil }
