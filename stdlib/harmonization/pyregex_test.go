// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPythonRegexRecording checks every regex of harmonization.conf, and
// patterns for each dialect difference, against re.search results recorded
// from Python 3.11 (testdata/pyref/gen_regex.py).
func TestPythonRegexRecording(t *testing.T) {
	f, err := os.Open("testdata/pyref/regex.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	if !sc.Scan() {
		t.Fatal("empty recording")
	}
	var head struct{ Subjects []string }
	mustUnmarshal(t, sc.Bytes(), &head)
	patterns := 0
	for sc.Scan() {
		var c struct {
			Pattern string
			ICase   bool
			Matches string
		}
		mustUnmarshal(t, sc.Bytes(), &c)
		patterns++
		re, err := CompilePythonRegex(c.Pattern, c.ICase)
		if err != nil {
			t.Errorf("CompilePythonRegex(%q, %v): %v", c.Pattern, c.ICase, err)
			continue
		}
		var got strings.Builder
		for _, s := range head.Subjects {
			if re.MatchString(s) {
				got.WriteByte('1')
			} else {
				got.WriteByte('0')
			}
		}
		if got.String() != c.Matches {
			for i, s := range head.Subjects {
				if got.String()[i] != c.Matches[i] {
					t.Errorf("pattern %q (icase %v, Go %q) on %q: match %c, Python %c",
						c.Pattern, c.ICase, re.String(), s, got.String()[i], c.Matches[i])
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if patterns < 70 {
		t.Fatalf("only %d patterns recorded", patterns)
	}
}

func TestTranslatePythonRegex(t *testing.T) {
	tests := []struct {
		expr       string
		ignoreCase bool
		want       string
	}{
		{`^[a-zA-Z0-9]{2}$`, false, `^[a-zA-Z0-9]{2}(?:\n?\z)`},
		{`^.*[^\.]$`, false, `^.*[^\.](?:\n?\z)`},
		{`^(tcp|udp)$`, true, `(?i)^(tcp|udp)(?:\n?\z)`},
		{`(?m)^a$`, false, `(?m)^a$`},
		{`a\Z`, false, `a\z`},
		{`x{,3}`, false, `x{0,3}`},
		{`x{,}`, false, `x{0,}`},
		{`a{b}`, false, `a\{b}`},
		{`[[:alpha:]]`, false, `[\[:alpha:]]`},
		{`[]a]`, false, `[\]a]`},
		{`\d`, false, `[\p{Nd}]`},
		{`(?a)\d`, false, `[0-9]`},
		{`[\w.]`, false, `[\p{L}\p{N}_.]`},
		{`\u00e9\x41\101`, false, `\x{e9}\x{41}\x{41}`},
		{`[a\-z]`, false, `[a\-z]`},
		{`(?#note)a`, false, `a`},
		{`(?i:a)b`, false, `(?i:a)b`},
		{`(?P<x>a)`, false, `(?P<x>a)`},
		{`[\b]`, false, `[\x08]`},
	}
	for _, tt := range tests {
		got, err := TranslatePythonRegex(tt.expr, tt.ignoreCase)
		if err != nil {
			t.Errorf("TranslatePythonRegex(%q): %v", tt.expr, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("TranslatePythonRegex(%q) (-want +got):\n%s", tt.expr, diff)
		}
	}
}

func TestCompilePythonRegexRejects(t *testing.T) {
	for _, expr := range []string{
		`(a)\1`, // backreference
		`(?P<x>a)(?P=x)`,
		`a(?=b)`, // lookahead
		`a(?!b)`,
		`(?<=a)b`, // lookbehind
		`(?<!a)b`,
		`(?(1)a|b)`, // conditional
		`(?>a)`,     // atomic group
		`a*+`,       // possessive quantifier
		`(?x) a`,    // verbose flag
		`[\W]`,      // negated class escape inside a class
		`[\S]`,
		`\pL`, // Go syntax Python rejects
		`\Qa\E`,
		`\z`,
		`\q`,
		`[a`,
		`(?<x>a)`, // Go's named group syntax, not Python's
		`\`,
	} {
		if re, err := CompilePythonRegex(expr, false); err == nil {
			t.Errorf("CompilePythonRegex(%q) = %q, want an error", expr, re)
		}
	}
}
