// SPDX-License-Identifier: AGPL-3.0-or-later

package conformance

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// Params converts the parameters of a recorded IntelMQ run to the checked
// parameters the compiler would give the bot: each value is converted to
// the type the spec declares (IntelMQ often writes numbers as strings and
// lists as comma-separated strings), a null means "not given", and every
// parameter not given gets its default. A parameter the spec does not
// declare is an error.
func Params(spec botapi.Spec, raw map[string]any) (botapi.MapParams, error) {
	out := botapi.MapParams{}
	for name, v := range raw {
		p := spec.Param(name)
		if p == nil {
			return nil, fmt.Errorf("the bot %s has no parameter %q", spec.ID, name)
		}
		if v == nil {
			continue
		}
		cv, err := convert(p.Type, v)
		if err != nil {
			return nil, fmt.Errorf("parameter %q: %w", name, err)
		}
		out[name] = cv
	}
	for _, p := range spec.Params {
		if _, ok := out[p.Name]; !ok && p.Default != nil {
			out[p.Name] = p.Default
		}
	}
	return out, nil
}

// convert turns a JSON value into the Go value of a parameter type.
func convert(t botapi.ParamType, v any) (any, error) {
	switch t {
	case botapi.TypeString:
		switch x := v.(type) {
		case string:
			return x, nil
		case json.Number:
			return x.String(), nil
		}
	case botapi.TypeInt:
		if n, err := strconv.ParseInt(text(v), 10, 64); err == nil {
			return n, nil
		}
	case botapi.TypeFloat:
		if f, err := strconv.ParseFloat(text(v), 64); err == nil {
			return f, nil
		}
	case botapi.TypeBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case string:
			if b, err := strconv.ParseBool(x); err == nil {
				return b, nil
			}
		}
	case botapi.TypeDuration:
		if f, err := strconv.ParseFloat(text(v), 64); err == nil {
			return time.Duration(f * float64(time.Second)), nil
		}
		if d, err := time.ParseDuration(text(v)); err == nil {
			return d, nil
		}
	case botapi.TypeStringList:
		return stringList(v)
	case botapi.TypeStringMap:
		if m, ok := v.(map[string]any); ok {
			out := make(map[string]string, len(m))
			for k, x := range m {
				out[k] = text(x)
			}
			return out, nil
		}
	}
	return nil, fmt.Errorf("cannot use %v (%T) as %s", v, v, t)
}

func stringList(v any) ([]string, error) {
	switch x := v.(type) {
	case string:
		var out []string
		for _, s := range strings.Split(x, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, text(e))
		}
		return out, nil
	}
	return nil, fmt.Errorf("cannot use %v (%T) as a list of strings", v, v)
}

func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	}
	return fmt.Sprint(v)
}
