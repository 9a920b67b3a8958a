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
}

// Schema is a loaded harmonization.conf: the allowed keys of events and
// reports with their types and constraints. A Schema is immutable and safe
// for concurrent use.
type Schema struct {
	fields [2]map[string]*Field
	sorted [2][]*Field
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
		for key, cf := range sec {
			f, err := newField(key, cf)
			if err != nil {
				return nil, fmt.Errorf("harmonization: %s.%s: %w", section, key, err)
			}
			s.fields[i][key] = f
			s.sorted[i] = append(s.sorted[i], f)
		}
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
		RegexText: cf.Regex, IRegexText: cf.IRegex}
	var err error
	if cf.Regex != "" {
		if f.Regex, err = CompilePythonRegex(cf.Regex, false); err != nil {
			return nil, err
		}
	}
	if cf.IRegex != "" {
		if f.IRegex, err = CompilePythonRegex(cf.IRegex, true); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// Fields returns the fields of a message type sorted by key.
func (s *Schema) Fields(t MessageType) []*Field { return s.sorted[t] }

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

// keyRegexp is KeyPattern compiled with Python's semantics.
var keyRegexp = sync.OnceValue(func() *regexp.Regexp {
	re, err := CompilePythonRegex(KeyPattern, false)
	if err != nil {
		panic("harmonization: key pattern: " + err.Error())
	}
	return re
})

// ValidSubKey reports whether key matches KeyPattern, the rule for keys
// below a JSONDict field such as extra.
func ValidSubKey(key string) bool { return keyRegexp().MatchString(key) }

// Field returns the field definition for key, or an *InvalidKeyError with
// IntelMQ's reason. A key below a JSONDict field (extra.foo) gives a sub-item
// field that accepts any value; it must match KeyPattern (extra.Foo does
// not). Any other key that is not in the schema (source.foo) is not allowed.
func (s *Schema) Field(t MessageType, key string) (*Field, error) {
	if f, ok := s.fields[t][key]; ok {
		return f, nil
	}
	if i := strings.IndexByte(key, '.'); i > 0 {
		if parent, ok := s.fields[t][key[:i]]; ok && parent.Type.Name() == TypeJSONDict {
			if !ValidSubKey(key) {
				return nil, &InvalidKeyError{Key: key, Reason: reasonKeyPattern}
			}
			return &Field{Key: key, Type: subItemType{}, SubItem: true}, nil
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
	if f.Length == 0 && f.Regex == nil && f.IRegex == nil {
		return nil
	}
	str := PyStr(v)
	if f.Length > 0 {
		if n := utf8.RuneCountInString(str); n > f.Length {
			return &InvalidValueError{Key: f.Key, Value: v, Reason: fmt.Sprintf(reasonTooLongFmt, n, f.Length)}
		}
	}
	if f.Regex != nil && !f.Regex.MatchString(str) {
		return &InvalidValueError{Key: f.Key, Value: v, Reason: ReasonRegex}
	}
	if f.IRegex != nil && !f.IRegex.MatchString(str) {
		return &InvalidValueError{Key: f.Key, Value: v, Reason: ReasonRegexNoCase}
	}
	return nil
}

// subItemType is the type of an extra.* key: any value is valid and
// sanitize is the identity.
type subItemType struct{}

func (subItemType) Name() string                    { return "SubItem" }
func (subItemType) Validate(v Value) bool           { return true }
func (subItemType) Sanitize(v Value) (Value, error) { return v, nil }
