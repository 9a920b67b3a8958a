// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ErrArgument is wrapped by every *ArgumentError.
var ErrArgument = errors.New("invalid argument")

// ArgumentError reports an argument a catalogue function cannot use.
type ArgumentError struct {
	Func string // the function's name
	Arg  int    // the 1-based position of the argument, or 0 for the call
	Err  error  // what is wrong
}

// Error returns "name: argument N: reason".
func (e *ArgumentError) Error() string {
	if e.Arg == 0 {
		return fmt.Sprintf("%s: %v", e.Func, e.Err)
	}
	return fmt.Sprintf("%s: argument %d: %v", e.Func, e.Arg, e.Err)
}

// Unwrap returns the reason.
func (e *ArgumentError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrArgument) true for every ArgumentError.
func (e *ArgumentError) Is(target error) bool { return target == ErrArgument }

// call is the arguments of one call of the named function.
type call struct {
	name   string
	params []any
}

// errorf returns an ArgumentError about argument arg (1-based; 0 for the
// call as a whole).
func (c call) errorf(arg int, format string, a ...any) error {
	return &ArgumentError{Func: c.name, Arg: arg, Err: fmt.Errorf(format, a...)}
}

// wrap returns an ArgumentError about argument arg caused by err.
func (c call) wrap(arg int, err error) error {
	return &ArgumentError{Func: c.name, Arg: arg, Err: err}
}

// count checks the number of arguments.
func (c call) count(min, max int) error {
	n := len(c.params)
	if n >= min && n <= max {
		return nil
	}
	if min == max {
		return c.errorf(0, "want %d arguments, got %d", min, n)
	}
	return c.errorf(0, "want %d to %d arguments, got %d", min, max, n)
}

// str returns argument i (0-based) as a string; nil counts as "".
func (c call) str(i int) (string, error) {
	switch v := c.params[i].(type) {
	case string:
		return v, nil
	case nil:
		return "", nil
	}
	return "", c.errorf(i+1, "want a string, got %s", describe(c.params[i]))
}

// integer returns argument i (0-based) as an int: an int, a float with an
// integral value, or a decimal string.
func (c call) integer(i int) (int, error) {
	switch v := c.params[i].(type) {
	case int:
		return v, nil
	case float64:
		if v != math.Trunc(v) || math.Abs(v) > 1<<62 {
			return 0, c.errorf(i+1, "want an integer, got %v", v)
		}
		return int(v), nil
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return 0, c.errorf(i+1, "want an integer, got %q", v)
		}
		return n, nil
	}
	if n, ok := otherInt(c.params[i]); ok {
		return n, nil
	}
	return 0, c.errorf(i+1, "want an integer, got %s", describe(c.params[i]))
}

// otherInt converts the Go integer types other than int.
func otherInt(v any) (int, bool) {
	switch v := v.(type) {
	case int8:
		return int(v), true
	case int16:
		return int(v), true
	case int32:
		return int(v), true
	case int64:
		return int(v), true
	case uint8:
		return int(v), true
	case uint16:
		return int(v), true
	case uint32:
		return int(v), true
	case uint64:
		if v <= math.MaxInt64 {
			return int(v), true
		}
	case uint:
		if v <= math.MaxInt64 {
			return int(v), true
		}
	}
	return 0, false
}

// describe names the type of a value for error messages.
func describe(v any) string {
	switch v.(type) {
	case nil:
		return "nil"
	case string:
		return "a string"
	case bool:
		return "a bool"
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return "an integer"
	case float32, float64:
		return "a float"
	case map[string]any, map[string]string:
		return "a map"
	case []any, []string:
		return "a list"
	}
	return fmt.Sprintf("a %T", v)
}
