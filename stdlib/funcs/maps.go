// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import "sort"

// mapFuncs returns the functions over maps that expr-lang's builtins lack.
func mapFuncs() []Func {
	return []Func{
		{
			Name:      "renameKeys",
			Signature: "renameKeys(value map, names map) map",
			Doc: "Returns a copy of value whose keys that names lists are renamed to their entries, e.g. " +
				"renameKeys(record, {'feed.name': 'extra.original_feed_name'}); nil for nil. Two keys renamed " +
				"to the same name are an error.",
			Types: []any{
				new(func(map[string]any, map[string]any) map[string]any),
				new(func(map[string]string, map[string]any) map[string]any),
				new(func(any, map[string]any) map[string]any),
			},
			Fn: renameKeys,
		},
	}
}

// renameKeys implements renameKeys(value, names).
func renameKeys(params ...any) (any, error) {
	c := call{"renameKeys", params}
	if err := c.count(2, 2); err != nil {
		return nil, err
	}
	var in map[string]any
	switch v := params[0].(type) {
	case nil:
		return nil, nil
	case map[string]any:
		in = v
	case map[string]string:
		in = make(map[string]any, len(v))
		for k, x := range v {
			in[k] = x
		}
	default:
		return nil, c.errorf(1, "want a map with string keys, got %s", describe(params[0]))
	}
	names := map[string]string{}
	switch t := params[1].(type) {
	case map[string]any:
		for k, x := range t {
			s, ok := x.(string)
			if !ok {
				return nil, c.errorf(2, "the new name of %q is %s, not a string", k, describe(x))
			}
			names[k] = s
		}
	case map[string]string:
		names = t
	default:
		return nil, c.errorf(2, "want a map of names, got %s", describe(params[1]))
	}
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(map[string]any, len(in))
	from := make(map[string]string, len(in))
	for _, k := range keys {
		n := k
		if r, ok := names[k]; ok {
			n = r
		}
		if first, dup := from[n]; dup {
			return nil, c.errorf(2, "the keys %q and %q both become %q", first, k, n)
		}
		from[n] = k
		out[n] = in[k]
	}
	return out, nil
}
