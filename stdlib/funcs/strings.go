// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import (
	"regexp"
	"strings"
	"sync"
)

// regexpCacheSize bounds the compiled regular expressions kept per
// catalogue; expressions use a handful of constant patterns.
const regexpCacheSize = 256

// stringFuncs returns the string functions that expr-lang's builtins lack.
func stringFuncs(regexps *regexpCache) []Func {
	return []Func{
		{
			Name:      "regexExtract",
			Signature: "regexExtract(value string, pattern string[, group int|string]) string",
			Doc: "Returns the part of value matched by the regular expression (Go RE2 syntax) or by one of its " +
				"groups, given by number or name; the whole match when no group is given, and \"\" when " +
				"nothing matches.",
			Types: []any{
				new(func(string, string) string),
				new(func(string, string, int) string),
				new(func(string, string, string) string),
			},
			Fn: regexps.extract,
		},
		{
			Name:      "regexReplace",
			Signature: "regexReplace(value string, pattern string, replacement string) string",
			Doc: "Replaces every match of the regular expression in value; the replacement may refer to " +
				"groups as $1, ${1} or ${name}.",
			Types: []any{new(func(string, string, string) string)},
			Fn:    regexps.replace,
		},
		{
			Name:      "splitPart",
			Signature: "splitPart(value string, separator string, index int) string",
			Doc: "Splits value at every separator and returns the part at index, counting from 0, or from " +
				"the end when negative (-1 is the last part); \"\" when there is no such part.",
			Types: []any{new(func(string, string, int) string)},
			Fn:    splitPart,
		},
		{
			Name:      "refang",
			Signature: "refang(value string) string",
			Doc: "Undoes common defanging of URLs, domains, addresses and e-mails: hxxp→http, hxxps→https, " +
				"fxp→ftp, [.] (.) {.} [dot]→., [:]→:, [://]→://, [at] [@]→@.",
			Types: []any{new(func(string) string)},
			Fn:    refanger(),
		},
	}
}

// regexpCache holds compiled regular expressions by pattern. It is safe for
// concurrent use; once full it compiles without storing.
type regexpCache struct {
	mu  sync.RWMutex
	max int
	m   map[string]*regexp.Regexp
}

// newRegexpCache returns an empty cache holding at most max patterns.
func newRegexpCache(max int) *regexpCache {
	return &regexpCache{max: max, m: make(map[string]*regexp.Regexp)}
}

// compile returns the compiled pattern, from the cache when possible.
func (rc *regexpCache) compile(pattern string) (*regexp.Regexp, error) {
	rc.mu.RLock()
	re, ok := rc.m[pattern]
	rc.mu.RUnlock()
	if ok {
		return re, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	rc.mu.Lock()
	if len(rc.m) < rc.max {
		rc.m[pattern] = re
	}
	rc.mu.Unlock()
	return re, nil
}

// pattern returns argument i compiled as a regular expression.
func (rc *regexpCache) pattern(c call, i int) (*regexp.Regexp, error) {
	p, err := c.str(i)
	if err != nil {
		return nil, err
	}
	re, err := rc.compile(p)
	if err != nil {
		return nil, c.wrap(i+1, err)
	}
	return re, nil
}

// extract implements regexExtract(value, pattern[, group]).
func (rc *regexpCache) extract(params ...any) (any, error) {
	c := call{"regexExtract", params}
	if err := c.count(2, 3); err != nil {
		return nil, err
	}
	value, err := c.str(0)
	if err != nil {
		return nil, err
	}
	re, err := rc.pattern(c, 1)
	if err != nil {
		return nil, err
	}
	group := 0
	if len(params) == 3 {
		if group, err = groupIndex(c, re); err != nil {
			return nil, err
		}
	}
	m := re.FindStringSubmatchIndex(value)
	if m == nil || m[2*group] < 0 {
		return "", nil
	}
	return value[m[2*group]:m[2*group+1]], nil
}

// groupIndex resolves the third argument of regexExtract, a group number or
// name, against the pattern.
func groupIndex(c call, re *regexp.Regexp) (int, error) {
	if name, ok := c.params[2].(string); ok {
		i := re.SubexpIndex(name)
		if i < 0 {
			return 0, c.errorf(3, "the pattern has no group named %q", name)
		}
		return i, nil
	}
	i, err := c.integer(2)
	if err != nil {
		return 0, err
	}
	if i < 0 || i > re.NumSubexp() {
		return 0, c.errorf(3, "group %d does not exist; the pattern has %d groups", i, re.NumSubexp())
	}
	return i, nil
}

// replace implements regexReplace(value, pattern, replacement).
func (rc *regexpCache) replace(params ...any) (any, error) {
	c := call{"regexReplace", params}
	if err := c.count(3, 3); err != nil {
		return nil, err
	}
	value, err := c.str(0)
	if err != nil {
		return nil, err
	}
	re, err := rc.pattern(c, 1)
	if err != nil {
		return nil, err
	}
	repl, err := c.str(2)
	if err != nil {
		return nil, err
	}
	return re.ReplaceAllString(value, repl), nil
}

// splitPart implements splitPart(value, separator, index).
func splitPart(params ...any) (any, error) {
	c := call{"splitPart", params}
	if err := c.count(3, 3); err != nil {
		return nil, err
	}
	value, err := c.str(0)
	if err != nil {
		return nil, err
	}
	sep, err := c.str(1)
	if err != nil {
		return nil, err
	}
	if sep == "" {
		return nil, c.errorf(2, "the separator is empty")
	}
	index, err := c.integer(2)
	if err != nil {
		return nil, err
	}
	parts := strings.Split(value, sep)
	if index < 0 {
		index += len(parts)
	}
	if index < 0 || index >= len(parts) {
		return "", nil
	}
	return parts[index], nil
}

// refanger returns the implementation of refang(value).
func refanger() func(params ...any) (any, error) {
	brackets := strings.NewReplacer(
		"[://]", "://", "[:]", ":",
		"[.]", ".", "(.)", ".", "{.}", ".", "[dot]", ".", "(dot)", ".", "[DOT]", ".", "(DOT)", ".",
		"[at]", "@", "[@]", "@", "(at)", "@", "[AT]", "@", "(AT)", "@",
	)
	return func(params ...any) (any, error) {
		c := call{"refang", params}
		if err := c.count(1, 1); err != nil {
			return nil, err
		}
		value, err := c.str(0)
		if err != nil {
			return nil, err
		}
		return refangSchemes(brackets.Replace(value)), nil
	}
}

// refangSchemes replaces defanged schemes ("hxxp:", "hXXps:", "fxp:") at
// the start of a word.
func refangSchemes(s string) string {
	if !strings.ContainsAny(s, "xX") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if i == 0 || !isWordByte(s[i-1]) {
			if n, repl := schemeAt(s[i:]); n > 0 {
				b.WriteString(repl)
				i += n
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// schemeAt recognises a defanged scheme at the start of s followed by ":",
// returning its length and the real scheme.
func schemeAt(s string) (int, string) {
	for _, p := range [...][2]string{{"hxxps", "https"}, {"hxxp", "http"}, {"fxps", "ftps"}, {"fxp", "ftp"}} {
		if len(s) > len(p[0]) && strings.EqualFold(s[:len(p[0])], p[0]) && s[len(p[0])] == ':' {
			return len(p[0]), p[1]
		}
	}
	return 0, ""
}

// isWordByte reports whether c is an ASCII letter, digit or underscore.
func isWordByte(c byte) bool {
	return c == '_' || ('0' <= c && c <= '9') || ('a' <= c|0x20 && c|0x20 <= 'z')
}
