// SPDX-License-Identifier: AGPL-3.0-or-later

package plan

import (
	"fmt"
	"sort"
	"time"
)

// BotKind is the role of a bot in a pipeline, as in IntelMQ.
type BotKind uint8

// The bot kinds. KindRouter is a node that only evaluates a pipeline's routes.
const (
	KindCollector BotKind = iota + 1
	KindParser
	KindExpert
	KindOutput
	KindRouter
)

var botKindNames = [...]string{"", "collector", "parser", "expert", "output", "router"}

// String returns the kind's lowercase name.
func (k BotKind) String() string {
	if int(k) < len(botKindNames) && k != 0 {
		return botKindNames[k]
	}
	return "invalid"
}

// Bot is a Go bot instance with its checked parameters: a feed's collector,
// an expert, an output, or a generic `bot` declaration.
type Bot struct {
	// Name is the declared name (the HCL label); for a collector it is the
	// feed's name.
	Name string
	Kind BotKind
	// Type is the ID of the bot's botapi.Spec, e.g. "expert.taxonomy".
	Type string
	// Params holds every parameter of the Spec that has a value: the declared
	// ones, converted to the declared types, and the defaults of the others.
	Params Params
	Origin Origin
}

// Params are bot parameter values by name. Each value has one of the Go
// types of the botapi parameter types: string, int64, float64, bool,
// time.Duration, []string or map[string]string.
type Params map[string]any

// Names returns the parameter names sorted.
func (p Params) Names() []string {
	names := make([]string, 0, len(p))
	for n := range p {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// String returns the string parameter name, or "".
func (p Params) String(name string) string { s, _ := p[name].(string); return s }

// Int returns the integer parameter name, or 0.
func (p Params) Int(name string) int64 { n, _ := p[name].(int64); return n }

// Float returns the float parameter name, or 0.
func (p Params) Float(name string) float64 { f, _ := p[name].(float64); return f }

// Bool returns the boolean parameter name, or false.
func (p Params) Bool(name string) bool { b, _ := p[name].(bool); return b }

// Duration returns the duration parameter name, or 0.
func (p Params) Duration(name string) time.Duration { d, _ := p[name].(time.Duration); return d }

// List returns the list parameter name, or nil.
func (p Params) List(name string) []string { l, _ := p[name].([]string); return l }

// Map returns the map parameter name, or nil.
func (p Params) Map(name string) map[string]string { m, _ := p[name].(map[string]string); return m }

// Format returns the value of parameter name as deterministic text, as
// `intelmq plan` prints it.
func (p Params) Format(name string) string { return formatValue(p[name]) }

func formatValue(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case []string:
		s := "["
		for i, e := range x {
			if i > 0 {
				s += ", "
			}
			s += fmt.Sprintf("%q", e)
		}
		return s + "]"
	case map[string]string:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		s := "{"
		for i, k := range keys {
			if i > 0 {
				s += ", "
			}
			s += fmt.Sprintf("%q = %q", k, x[k])
		}
		return s + "}"
	case time.Duration:
		return fmt.Sprintf("%q", x.String())
	}
	return fmt.Sprint(v)
}
