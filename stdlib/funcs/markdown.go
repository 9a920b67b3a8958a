// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import (
	"fmt"
	"slices"
	"strings"

	"github.com/expr-lang/expr/builtin"
)

// Markdown returns the reference page for expression functions, written
// from Catalogue and from expr-lang's table of builtins. docs/functions.md
// holds its output.
func Markdown() string {
	var b strings.Builder
	b.WriteString("<!-- SPDX-License-Identifier: AGPL-3.0-or-later -->\n\n")
	b.WriteString("# Expression functions\n\n")
	b.WriteString("<!-- Generated from stdlib/funcs by `go test ./stdlib/funcs -update`. Do not edit. -->\n\n")
	b.WriteString("Field mappings and route conditions are [expr-lang](https://expr-lang.org) expressions. " +
		"Besides expr-lang's own builtins and operators (listed at the end), they can call the functions " +
		"below. Time functions return IntelMQ's canonical DateTime text, `YYYY-MM-DDTHH:MM:SS+00:00` " +
		"(with `.ffffff` when there are microseconds). Where a string is expected, nil counts as the empty " +
		"string. A function given an unusable argument fails the expression with an error naming the " +
		"function and the argument.\n\n")
	b.WriteString("## Functions\n\n")
	b.WriteString("| Function | Returns |\n|---|---|\n")
	cat := Catalogue()
	for _, f := range cat {
		_, ret, _ := strings.Cut(f.Signature, ") ")
		ret = strings.ReplaceAll(ret, "|", `\|`)
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s |\n", f.Name, strings.ToLower(f.Name), ret)
	}
	for _, f := range cat {
		fmt.Fprintf(&b, "\n### %s\n\n`%s`\n\n%s\n", f.Name, f.Signature, f.Doc)
	}
	b.WriteString("\n## expr-lang builtins\n\n")
	b.WriteString("These come with expr-lang (see its language definition); the catalogue does not repeat them. " +
		"Often useful in mappings: `lower`, `upper`, `trim(s)` and `trim(s, chars)`, `trimPrefix`, " +
		"`trimSuffix`, `split`, `replace`, `join`, `hasPrefix`, `hasSuffix`, `int`, `float`, `string`, " +
		"`toBase64`, `fromBase64`, `fromJSON`, `toJSON`, `get`, `keys`.\n\n")
	names := slices.Clone(builtinNames())
	slices.Sort(names)
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "`%s`", n)
	}
	b.WriteString("\n\nOperators: `matches` (regular expression test), `contains`, `startsWith`, `endsWith`, " +
		"`in`, `not`, `and`/`&&`, `or`/`||`, `??` (first operand unless nil), `?:`, `..` (ranges), " +
		"`[i]` and `[a:b]` (negative indexes count from the end), `?.` (nil-safe member access).\n")
	return b.String()
}

// builtinNames returns the names of expr-lang's builtin functions.
func builtinNames() []string {
	names := make([]string, 0, len(builtin.Builtins))
	for _, f := range builtin.Builtins {
		names = append(names, f.Name)
	}
	return names
}
