// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import (
	"fmt"
	"sync"
	"testing"
)

func TestStringFuncs(t *testing.T) {
	runCases(t, []exprCase{
		{src: `regexExtract("id=42;x", "id=(\\d+)")`, want: "id=42"},
		{src: `regexExtract("id=42;x", "id=(\\d+)", 1)`, want: "42"},
		{src: `regexExtract("id=42;x", "id=(?P<id>\\d+)", "id")`, want: "42"},
		{src: `regexExtract("nothing", "id=(\\d+)", 1)`, want: ""},
		{src: `regexExtract("ab", "a(x)?b", 1)`, want: ""},
		{src: `regexExtract(rec.missing, "x")`, want: ""},
		{src: `regexExtract("a", "(")`, err: "argument 2: error parsing regexp"},
		{src: `regexExtract("a", "(a)", 2)`, err: "argument 3: group 2 does not exist; the pattern has 1 groups"},
		{src: `regexExtract("a", "(a)", -1)`, err: "argument 3: group -1 does not exist"},
		{src: `regexExtract("a", "(?P<x>a)", "y")`, err: `argument 3: the pattern has no group named "y"`},
		{src: `regexExtract("a", "a", rec.list)`, err: "argument 3: want an integer, got a list"},
		{src: `regexExtract(rec.num, "a")`, err: "argument 1: want a string, got a float"},
		{src: `regexExtract("a", "a", 1, 2)`, err: "too many arguments", compileErr: true},

		{src: `regexReplace("a1b22", "\\d+", "#")`, want: "a#b#"},
		{src: `regexReplace("john.doe", "(\\w+)\\.(\\w+)", "${2}, $1")`, want: "doe, john"},
		{src: `regexReplace("x", "[", "")`, err: "argument 2: error parsing regexp"},

		{src: `splitPart("a|b|c", "|", 1)`, want: "b"},
		{src: `splitPart("a|b|c", "|", -1)`, want: "c"},
		{src: `splitPart("a|b|c", "|", 3)`, want: ""},
		{src: `splitPart("a|b|c", "|", -4)`, want: ""},
		{src: `splitPart("abc", "|", 0)`, want: "abc"},
		{src: `splitPart("a b", "", 0)`, err: "argument 2: the separator is empty"},
		{src: `splitPart("a b", " ", rec.str)`, err: `argument 3: want an integer, got "text"`},
		{src: `splitPart("a b", " ", rec.num)`, want: ""},

		{src: `refang("hxxp://evil[.]example[.]com/x")`, want: "http://evil.example.com/x"},
		{src: `refang("HXXPS://a(.)b{.}c[dot]d/")`, want: "https://a.b.c.d/"},
		{src: `refang("fxp://x[:]21")`, want: "ftp://x:21"},
		{src: `refang("user[at]example[.]com")`, want: "user@example.com"},
		{src: `refang("1.2.3[.]4 and hxxp[://]x")`, want: "1.2.3.4 and http://x"},
		{src: `refang("shxxp://x")`, want: "shxxp://x"},
		{src: `refang(rec.url)`, want: "http://evil.example.com/x"},
		{src: `refang(n)`, err: "cannot use int", compileErr: true},
	})
}

func TestRegexpCacheConcurrent(t *testing.T) {
	rc := newRegexpCache(4)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				pattern := fmt.Sprintf("x(%d)", (g+i)%10)
				got, err := rc.extract(fmt.Sprintf("x%d", (g+i)%10), pattern, 1)
				if err != nil || got != fmt.Sprint((g+i)%10) {
					t.Errorf("extract with %s = %v, %v", pattern, got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := len(rc.m); n > 4 {
		t.Errorf("cache holds %d patterns, want at most 4", n)
	}
}
