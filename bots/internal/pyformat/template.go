// SPDX-License-Identifier: AGPL-3.0-or-later

package pyformat

import (
	"errors"
	"fmt"
	"strings"
)

// ErrSyntax is wrapped by every error Parse returns.
var ErrSyntax = errors.New("invalid format string")

// ErrKey is wrapped by the errors of Execute for a name or key that has no
// value (Python's KeyError).
var ErrKey = errors.New("key not found")

// Mapping is a value that a replacement field indexes with [key], such as
// IntelMQ's event (a message) or the HTTP collector's time object.
type Mapping interface {
	// Lookup returns the value of key, or an error wrapping ErrKey.
	Lookup(key string) (any, error)
}

// Ref is one replacement field of a template: the argument name and the
// [key] indexes applied to it, e.g. {event[time.source]} is
// Ref{Name: "event", Keys: []string{"time.source"}}.
type Ref struct {
	Name string
	Keys []string
}

// Template is a parsed Python format string. It is immutable and safe for
// concurrent use.
type Template struct {
	parts []part
}

type part struct {
	literal string
	field   *field
}

type field struct {
	ref  Ref
	conv byte // 0, 's', 'r' or 'a'
	spec string
}

// Parse parses a Python str.format template. It supports literal text with
// "{{" and "}}" escapes and replacement fields name[key]...[!conv][:spec];
// attribute access (name.attr), positional fields and nested fields inside
// a spec are rejected.
func Parse(s string) (*Template, error) {
	t := &Template{}
	var lit strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '{' && i+1 < len(s) && s[i+1] == '{', c == '}' && i+1 < len(s) && s[i+1] == '}':
			lit.WriteByte(c)
			i++
		case c == '}':
			return nil, fmt.Errorf("%w: single '}' encountered at offset %d", ErrSyntax, i)
		case c == '{':
			end, err := fieldEnd(s, i+1)
			if err != nil {
				return nil, err
			}
			f, err := parseField(s[i+1 : end])
			if err != nil {
				return nil, err
			}
			if lit.Len() > 0 {
				t.parts = append(t.parts, part{literal: lit.String()})
				lit.Reset()
			}
			t.parts = append(t.parts, part{field: f})
			i = end
		default:
			lit.WriteByte(c)
		}
	}
	if lit.Len() > 0 {
		t.parts = append(t.parts, part{literal: lit.String()})
	}
	return t, nil
}

// fieldEnd returns the index of the '}' closing the field that starts at
// start; brackets protect their content, as in Python.
func fieldEnd(s string, start int) (int, error) {
	inSpec := false
	for i := start; i < len(s); i++ {
		switch s[i] {
		case '[':
			if inSpec {
				continue
			}
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				return 0, fmt.Errorf("%w: missing ']' in field at offset %d", ErrSyntax, start-1)
			}
			i += j
		case ':':
			inSpec = true
		case '{':
			return 0, fmt.Errorf("%w: nested '{' in field at offset %d is not supported", ErrSyntax, start-1)
		case '}':
			return i, nil
		}
	}
	return 0, fmt.Errorf("%w: expected '}' before end of string", ErrSyntax)
}

// parseField parses the text between the braces of a replacement field.
func parseField(s string) (*field, error) {
	f := &field{}
	i := 0
	for i < len(s) && s[i] != '[' && s[i] != '.' && s[i] != '!' && s[i] != ':' {
		i++
	}
	f.ref.Name = s[:i]
	if !isIdentifier(f.ref.Name) {
		return nil, fmt.Errorf("%w: field {%s} needs a name such as event[...]", ErrSyntax, s)
	}
	for i < len(s) && (s[i] == '[' || s[i] == '.') {
		if s[i] == '.' {
			return nil, fmt.Errorf("%w: attribute access in field {%s} is not supported", ErrSyntax, s)
		}
		j := strings.IndexByte(s[i:], ']')
		if j < 0 {
			return nil, fmt.Errorf("%w: missing ']' in field {%s}", ErrSyntax, s)
		}
		key := s[i+1 : i+j]
		if key == "" {
			return nil, fmt.Errorf("%w: empty attribute in format string field {%s}", ErrSyntax, s)
		}
		f.ref.Keys = append(f.ref.Keys, key)
		i += j + 1
	}
	if i < len(s) && s[i] == '!' {
		if i+1 >= len(s) || !strings.ContainsRune("sra", rune(s[i+1])) {
			return nil, fmt.Errorf("%w: unknown conversion in field {%s}", ErrSyntax, s)
		}
		f.conv = s[i+1]
		i += 2
	}
	if i < len(s) {
		if s[i] != ':' {
			return nil, fmt.Errorf("%w: expected ':' after the name in field {%s}", ErrSyntax, s)
		}
		f.spec = s[i+1:]
	}
	return f, nil
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		letter := c == '_' || ('a' <= c|0x20 && c|0x20 <= 'z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// Refs returns the replacement fields of the template in order.
func (t *Template) Refs() []Ref {
	var refs []Ref
	for _, p := range t.parts {
		if p.field != nil {
			refs = append(refs, Ref{Name: p.field.ref.Name, Keys: append([]string(nil), p.field.ref.Keys...)})
		}
	}
	return refs
}

// IsLiteral reports whether the template has no replacement field.
func (t *Template) IsLiteral() bool { return len(t.Refs()) == 0 }

// Execute renders the template with args, as Python's
// template.format(**args): each field's name is looked up in args, each
// [key] through a Mapping, and the value is formatted with the field's
// conversion and spec (see FormatValue).
func (t *Template) Execute(args map[string]any) (string, error) {
	var b strings.Builder
	for _, p := range t.parts {
		if p.field == nil {
			b.WriteString(p.literal)
			continue
		}
		s, err := p.field.render(args)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

func (f *field) render(args map[string]any) (string, error) {
	v, ok := args[f.ref.Name]
	if !ok {
		return "", fmt.Errorf("%w: %q", ErrKey, f.ref.Name)
	}
	for _, key := range f.ref.Keys {
		m, ok := v.(Mapping)
		if !ok {
			return "", fmt.Errorf("value of type %T is not subscriptable by [%s]", v, key)
		}
		var err error
		if v, err = m.Lookup(key); err != nil {
			return "", err
		}
	}
	switch f.conv {
	case 's':
		v = Str(v)
	case 'r', 'a':
		v = Repr(v)
	}
	return FormatValue(v, f.spec)
}
