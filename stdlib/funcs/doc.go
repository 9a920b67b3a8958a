// SPDX-License-Identifier: AGPL-3.0-or-later

// Package funcs owns the function library offered to expr-lang expressions
// in field mappings and route conditions. The library is one catalogue,
// declared once (Catalogue): each entry carries its name, a human signature,
// its documentation, the type hints the expression checker uses, and the
// implementation. The compiler adds Options to every expression it compiles,
// the docs are generated from the same entries (Markdown, docs/functions.md),
// and the runtime runs the implementations through the compiled programs.
//
// Names are lowerCamel, like expr-lang's own builtins, so that one expression
// reads in one style ("urlHost(url)", "hasPrefix(url, 'http')").
//
// The catalogue does not repeat what expr-lang already provides. Builtins
// that mappings commonly need: lower, upper, trim (white space, or a set of
// characters: trim(s, "[]")), trimPrefix, trimSuffix, split, splitAfter,
// replace, repeat, join, indexOf, lastIndexOf, hasPrefix, hasSuffix, int,
// float, string, len, abs, ceil, floor, round, min, max, toJSON, fromJSON,
// toBase64, fromBase64, keys, values, get, first, last, now, date, duration,
// filter, map, all, any, none, one, count, sum, sort, uniq, concat, flatten;
// and the operators "matches" (regular expression test), "contains",
// "startsWith", "endsWith", "in", "??" (nil coalescing) and "?:". The full
// list is written into docs/functions.md from expr-lang's own table.
//
// Every function checks its arguments and returns an *ArgumentError, never
// panics, when they are unusable. A nil argument where a string is expected
// counts as the empty string, so that a missing JSON key flows through string
// functions; time conversions reject the empty string.
//
// Time functions return IntelMQ's canonical DateTime text and are built on
// stdlib/datetime. The package imports the standard library, expr-lang,
// stdlib/datetime and stdlib/harmonization (the Shadowserver functions check
// values as IntelMQ's fields do) only; it must not import the compiler, the
// runtime, lang or hcl.
package funcs
