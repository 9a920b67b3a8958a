// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
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

var keyPattern = regexp.MustCompile(`^[a-z_][a-z_0-9]+(\.[a-z_0-9]+)*$`)

// Field returns the field definition for key, or an *InvalidKeyError. A key
// below a JSONDict field (extra.foo) gives a sub-item field that accepts any
// value.
func (s *Schema) Field(t MessageType, key string) (*Field, error) {
	if f, ok := s.fields[t][key]; ok {
		return f, nil
	}
	if !keyPattern.MatchString(key) {
		return nil, &InvalidKeyError{Key: key, Reason: "does not match regex " + strconv.Quote(keyPattern.String())}
	}
	if i := strings.IndexByte(key, '.'); i > 0 {
		if parent, ok := s.fields[t][key[:i]]; ok && parent.Type.Name() == TypeJSONDict {
			return &Field{Key: key, Type: subItemType{}, SubItem: true}, nil
		}
	}
	return nil, &InvalidKeyError{Key: key, Reason: "not allowed in " + t.String()}
}

// Sanitize normalises v with the field's type.
func (f *Field) Sanitize(v Value) (Value, error) {
	out, err := f.Type.Sanitize(v)
	if err != nil {
		return Value{}, &InvalidValueError{Key: f.Key, Value: v, Reason: err.Error()}
	}
	return out, nil
}

// Validate checks v against the field's type, length and regexes, as
// IntelMQ's add does after sanitizing.
func (f *Field) Validate(v Value) error {
	if !f.Type.Validate(v) {
		return &InvalidValueError{Key: f.Key, Value: v, Reason: "is_valid returned False"}
	}
	if f.Length == 0 && f.Regex == nil && f.IRegex == nil {
		return nil
	}
	str := v.String()
	if f.Length > 0 {
		if n := len([]rune(str)); n > f.Length {
			return &InvalidValueError{Key: f.Key, Value: v, Reason: fmt.Sprintf("too long: %d > %d", n, f.Length)}
		}
	}
	if f.Regex != nil && !f.Regex.MatchString(str) {
		return &InvalidValueError{Key: f.Key, Value: v, Reason: "regex did not match"}
	}
	if f.IRegex != nil && !f.IRegex.MatchString(str) {
		return &InvalidValueError{Key: f.Key, Value: v, Reason: "regex did not match"}
	}
	return nil
}

// subItemType is the type of an extra.* key: any value is valid and
// sanitize is the identity.
type subItemType struct{}

func (subItemType) Name() string                    { return "SubItem" }
func (subItemType) Validate(v Value) bool           { return true }
func (subItemType) Sanitize(v Value) (Value, error) { return v, nil }
