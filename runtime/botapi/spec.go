// SPDX-License-Identifier: AGPL-3.0-or-later

package botapi

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"
)

// Kind is the role a bot plays in a pipeline.
type Kind uint8

// The bot kinds, as in IntelMQ.
const (
	KindCollector Kind = iota + 1
	KindParser
	KindExpert
	KindOutput
)

var kindNames = [...]string{"", "collector", "parser", "expert", "output"}

// String returns the kind's lowercase name, which is also the first segment
// of the IDs of bots of that kind.
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// ParseKind returns the kind named s ("collector", "parser", "expert",
// "output").
func ParseKind(s string) (Kind, bool) {
	for i, n := range kindNames {
		if i > 0 && n == s {
			return Kind(i), true
		}
	}
	return 0, false
}

// ParamType is the type of a bot parameter.
type ParamType uint8

// The parameter types. Their Go values (in plan.Params) are string, int64,
// float64, bool, time.Duration, []string and map[string]string.
const (
	TypeString ParamType = iota + 1
	TypeInt
	TypeFloat
	TypeBool
	TypeDuration   // written as a Go duration string: "90s", "1h30m"
	TypeStringList // list(string)
	TypeStringMap  // map(string)
)

var paramTypeNames = [...]string{"", "string", "int", "float", "bool", "duration", "list(string)", "map(string)"}

// String returns the type as the language writes it, e.g. "list(string)".
func (t ParamType) String() string {
	if t > 0 && int(t) < len(paramTypeNames) {
		return paramTypeNames[t]
	}
	return "invalid"
}

// Param declares one parameter of a bot.
type Param struct {
	// Name is the parameter's name in HCL, lower_snake_case.
	Name string
	Type ParamType
	// Required parameters must be given; a required parameter has no Default.
	Required bool
	// Default is the value used when the parameter is not given; nil for
	// none. Its Go type must match Type (see ParamType).
	Default any
	// Negative allows a duration parameter a value below zero, e.g. an
	// offset into the past ("-24h"); other durations must not be negative.
	// Only TypeDuration parameters may set it.
	Negative bool
	// Enum, when set, lists the values a string parameter may take; the
	// compiler rejects any other value. Only TypeString parameters may set
	// it, and a Default must be one of them.
	Enum []string
	// Doc is one or more full sentences for `intelmq docs` and diagnostics.
	Doc string
}

// Spec is what a bot declares about itself: its identity and parameters.
type Spec struct {
	// ID is namespaced "<kind>.<name>", e.g. "expert.taxonomy",
	// "collector.http"; see IDPattern.
	ID   string
	Kind Kind
	Doc  string
	// Params are the parameters the bot accepts, in documentation order.
	Params []Param
	// IntelMQModule is the IntelMQ module the bot replaces, e.g.
	// "intelmq.bots.parsers.cleanmx.parser"; the conformance runner runs
	// that module's recorded test cases against a parser bot that names it.
	IntelMQModule string
}

// IDPattern is the form of a bot ID: a kind, a dot, and a lower_snake_case
// name, optionally with further dot-separated segments.
var IDPattern = regexp.MustCompile(`^(collector|parser|expert|output)\.[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)

var paramNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Errors returned by Validate and Registry.Register.
var (
	ErrInvalidSpec = errors.New("invalid bot spec")
	ErrDuplicateID = errors.New("duplicate bot id")
)

// Name returns the part of the ID after the kind, e.g. "taxonomy".
func (s *Spec) Name() string {
	return s.ID[len(s.Kind.String())+1:]
}

// Param returns the parameter named name, or nil.
func (s *Spec) Param(name string) *Param {
	for i := range s.Params {
		if s.Params[i].Name == name {
			return &s.Params[i]
		}
	}
	return nil
}

// Validate checks the spec: the ID's form and its agreement with Kind,
// unique well-formed parameter names, known types, and defaults of the
// declared type. The error wraps ErrInvalidSpec.
func (s *Spec) Validate() error {
	if !IDPattern.MatchString(s.ID) {
		return fmt.Errorf("%w: id %q does not match %s", ErrInvalidSpec, s.ID, IDPattern)
	}
	if k := s.Kind.String(); len(s.ID) <= len(k) || s.ID[:len(k)+1] != k+"." {
		return fmt.Errorf("%w: id %q does not start with its kind %q", ErrInvalidSpec, s.ID, k)
	}
	seen := map[string]bool{}
	for _, p := range s.Params {
		if err := p.validate(); err != nil {
			return fmt.Errorf("%w: %s: %w", ErrInvalidSpec, s.ID, err)
		}
		if seen[p.Name] {
			return fmt.Errorf("%w: %s: parameter %q declared twice", ErrInvalidSpec, s.ID, p.Name)
		}
		seen[p.Name] = true
	}
	return nil
}

func (p *Param) validate() error {
	if !paramNamePattern.MatchString(p.Name) {
		return fmt.Errorf("parameter name %q is not lower_snake_case", p.Name)
	}
	if p.Type == 0 || int(p.Type) >= len(paramTypeNames) {
		return fmt.Errorf("parameter %q has no valid type", p.Name)
	}
	if p.Negative && p.Type != TypeDuration {
		return fmt.Errorf("parameter %q: only a duration can allow negative values", p.Name)
	}
	if p.Enum != nil && p.Type != TypeString {
		return fmt.Errorf("parameter %q: only a string can list allowed values", p.Name)
	}
	if p.Default == nil {
		return nil
	}
	if p.Enum != nil && !slices.Contains(p.Enum, p.Default.(string)) {
		return fmt.Errorf("parameter %q: default %q is not one of its allowed values", p.Name, p.Default)
	}
	if p.Required {
		return fmt.Errorf("parameter %q is required and has a default", p.Name)
	}
	if !p.Type.Accepts(p.Default) {
		return fmt.Errorf("parameter %q: default %v (%T) is not a %s", p.Name, p.Default, p.Default, p.Type)
	}
	return nil
}

// Accepts reports whether v has the Go type of t's values.
func (t ParamType) Accepts(v any) bool {
	switch v.(type) {
	case string:
		return t == TypeString
	case int64:
		return t == TypeInt
	case float64:
		return t == TypeFloat
	case bool:
		return t == TypeBool
	case time.Duration:
		return t == TypeDuration
	case []string:
		return t == TypeStringList
	case map[string]string:
		return t == TypeStringMap
	}
	return false
}
