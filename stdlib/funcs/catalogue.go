// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import (
	"slices"
	"strings"

	"github.com/expr-lang/expr"
)

// Func is one function offered to expressions.
type Func struct {
	// Name is the name expressions call the function by, in lowerCamel.
	Name string
	// Signature is the human-readable signature, e.g.
	// "parseTime(value string, layout string) string".
	Signature string
	// Doc is one or two full sentences saying what the function returns.
	Doc string
	// Types are the expr.Function type hints, one per accepted overload,
	// each a pointer to a function value such as new(func(string) string).
	Types []any
	// Fn is the implementation. It returns an *ArgumentError for unusable
	// arguments and never panics.
	Fn func(params ...any) (any, error)
}

// Catalogue returns every function offered to expressions, sorted by name.
// It builds the entries afresh on each call; entries of one call share a
// cache of compiled regular expressions that is safe for concurrent use.
func Catalogue() []Func {
	regexps := newRegexpCache(regexpCacheSize)
	var all []Func
	all = append(all, timeFuncs()...)
	all = append(all, stringFuncs(regexps)...)
	all = append(all, networkFuncs()...)
	all = append(all, urlFuncs()...)
	all = append(all, valueFuncs()...)
	all = append(all, pythonFuncs()...)
	all = append(all, mapFuncs()...)
	all = append(all, shadowserverFuncs()...)
	slices.SortFunc(all, func(a, b Func) int { return strings.Compare(a.Name, b.Name) })
	return all
}

// Options returns an expr.Function option for every catalogue entry, for the
// compiler to append to the options of each expression it compiles.
func Options() []expr.Option {
	cat := Catalogue()
	opts := make([]expr.Option, 0, len(cat))
	for _, f := range cat {
		opts = append(opts, expr.Function(f.Name, f.Fn, f.Types...))
	}
	return opts
}
