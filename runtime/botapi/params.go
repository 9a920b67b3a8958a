// SPDX-License-Identifier: AGPL-3.0-or-later

package botapi

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Params gives a bot its parameters after the compiler checked them
// against the bot's Spec: every name is declared, every value has the
// declared type and defaults are filled in. The getters therefore do not
// return errors; a name that is not set returns the zero value. The plan's
// plan.Params implements it, and so does MapParams.
type Params interface {
	// String returns a string parameter.
	String(name string) string
	// Int returns an integer parameter.
	Int(name string) int64
	// Float returns a number parameter (an integer is converted).
	Float(name string) float64
	// Bool returns a boolean parameter.
	Bool(name string) bool
	// Duration returns a duration parameter; a number is read as seconds,
	// as IntelMQ's parameters are, a string as a Go duration ("1h30m").
	Duration(name string) time.Duration
	// List returns a list-of-strings parameter.
	List(name string) []string
	// Map returns a map-of-strings parameter.
	Map(name string) map[string]string
	// Names returns the names that have a value, sorted.
	Names() []string
}

// Constructor builds a bot from its context and checked parameters. It
// MUST NOT have side effects: connections are made in Start.
type Constructor func(bc *Context, p Params) (Bot, error)

// MapParams is a Params backed by a map of plain Go values: string,
// bool, int, int64, float64, time.Duration, []string, []any and
// map[string]string or map[string]any. The runtime adapts the plan's
// values to it, and tests write parameters as literals.
type MapParams map[string]any

var _ Params = MapParams(nil)

// Names returns the names that are set, sorted.
func (m MapParams) Names() []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// String returns name as a string; non-strings are formatted.
func (m MapParams) String(name string) string {
	switch v := m[name].(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

// Int returns name as an integer; floats are truncated.
func (m MapParams) Int(name string) int64 {
	switch v := m[name].(type) {
	case int:
		return int64(v)
	case int64:
		return v
	case float64:
		return int64(v)
	case time.Duration:
		return int64(v / time.Second)
	}
	return 0
}

// Float returns name as a number.
func (m MapParams) Float(name string) float64 {
	switch v := m[name].(type) {
	case int:
		return float64(v)
	case int64:
		return float64(v)
	case float64:
		return v
	}
	return 0
}

// Bool returns name as a boolean.
func (m MapParams) Bool(name string) bool {
	v, _ := m[name].(bool)
	return v
}

// Duration returns name as a duration: numbers are seconds, strings are
// parsed with time.ParseDuration (an unparsable string gives 0).
func (m MapParams) Duration(name string) time.Duration {
	switch v := m[name].(type) {
	case time.Duration:
		return v
	case int, int64, float64:
		return time.Duration(m.Float(name) * float64(time.Second))
	case string:
		d, _ := time.ParseDuration(v)
		return d
	}
	return 0
}

// List returns name as a list of strings; a single string is split on
// commas and blanks, as IntelMQ does for its list parameters.
func (m MapParams) List(name string) []string {
	switch v := m[name].(type) {
	case []string:
		return append([]string(nil), v...)
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			out = append(out, fmt.Sprint(x))
		}
		return out
	case string:
		return strings.FieldsFunc(v, func(r rune) bool {
			return r == ',' || r == ' ' || r == '\t' || r == '\n'
		})
	}
	return nil
}

// Map returns name as a map of strings.
func (m MapParams) Map(name string) map[string]string {
	switch v := m[name].(type) {
	case map[string]string:
		out := make(map[string]string, len(v))
		for k, x := range v {
			out[k] = x
		}
		return out
	case map[string]any:
		out := make(map[string]string, len(v))
		for k, x := range v {
			out[k] = fmt.Sprint(x)
		}
		return out
	}
	return nil
}
