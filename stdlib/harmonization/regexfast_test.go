// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// fastRegexPatterns are Python patterns with the shapes the byte-loop
// matchers know, and some they must refuse.
var fastRegexPatterns = []struct {
	expr       string
	ignoreCase bool
	fast       bool // a matcher must be built
}{
	{`^[ -~]+$`, false, true},
	{`^[a-zA-Z0-9]{2}$`, false, true},
	{`^.*[^\.]$`, false, true},
	{`^[A-F0-9./]+$`, false, true},
	{`^[a-z0-9]{8}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[0-9a-z]{12}$`, false, true},
	{`^[a-z]{2,4}\Z`, false, true},
	{`^x?[0-9]*$`, false, false}, // two variable items
	{`^(x|yy)?[0-9]$`, false, true},
	{`^a.b$`, true, true},
	{`^\d+$`, false, true},
	{`^\w{1,3}$`, true, true},
	{`^ab.c$`, true, true},
	{`(?s)^a.*$`, false, true},
	{`^(ip|icmp|nvp(-ii)?|ipv6-icmp|kryptolan|sctp|3pc)$`, true, true},
	{`^(tcp|udp)$`, false, true},
	{`^(a|b)[xy]{1,2}$`, false, true},
	{`^(?:k|s)$`, true, true},
	{`^[0-9]+[a-z]+$`, false, false}, // two variable items
	{`[ -~]+`, false, false},         // not anchored
	{`^a|b$`, false, false},
	{`(?m)^a$`, false, false},
	{`^(ab)+$`, false, false},
	{`^a\b$`, false, false},
}

// fastRegexAlphabet makes test strings: the characters the patterns name,
// case variants, line breaks and non-ASCII characters that fold to ASCII
// (Kelvin sign, long s) or not.
var fastRegexAlphabet = []string{"a", "b", "c", "x", "y", "k", "s", "p", "i", "A", "F", "K", "S", "I", "P", "0", "1",
	"9", "-", ".", "/", " ", "~", "\n", "\t", "\x7f", "\x00", "é", "\u212a", "\u017f", "\u0130", "ip", "icmp",
	"nvp", "-ii", "tcp", "udp", "ICMP", "\xff"}

func randomFastRegexInput(rng *rand.Rand) string {
	var b strings.Builder
	for n := rng.IntN(16); n > 0; n-- {
		b.WriteString(fastRegexAlphabet[rng.IntN(len(fastRegexAlphabet))])
	}
	return b.String()
}

func TestFastRegexAgreesWithRegexp(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for _, p := range fastRegexPatterns {
		re, err := CompilePythonRegex(p.expr, p.ignoreCase)
		if err != nil {
			t.Fatal(err)
		}
		fast := newFastRegex(re)
		if (fast != nil) != p.fast {
			t.Errorf("%q: matcher built = %v, want %v", p.expr, fast != nil, p.fast)
			continue
		}
		if fast == nil {
			continue
		}
		inputs := []string{"", "\n", "ab", "ab\n", "ab\n\n", "tcp", "TCP\n", "nvp-II", "k", "\u212a", "ab.c", "aB\nc"}
		for i := 0; i < 20000; i++ {
			inputs = append(inputs, randomFastRegexInput(rng))
		}
		for _, s := range inputs {
			checkFastRegex(t, p.expr, re, fast, s)
		}
	}
}

func checkFastRegex(t *testing.T, expr string, re *regexp.Regexp, fast *fastRegex, s string) {
	t.Helper()
	want := re.MatchString(s)
	if got := regexMatch(re, fast, s); got != want {
		t.Errorf("%q on %q: fast path %v, regexp %v", expr, s, got, want)
	}
}

// TestFastRegexConf checks that the patterns of the embedded
// harmonization.conf get matchers and agree with their regexps.
func TestFastRegexConf(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	n := 0
	for _, mt := range []MessageType{Event, Report} {
		for _, f := range Default().Fields(mt) {
			for _, p := range []struct {
				re   *regexp.Regexp
				fast *fastRegex
			}{{f.Regex, f.fastRegex}, {f.IRegex, f.fastIRegex}} {
				if p.re == nil {
					continue
				}
				if p.fast == nil {
					t.Errorf("%s: no fast matcher for %s", f.Key, p.re)
					continue
				}
				n++
				for i := 0; i < 2000; i++ {
					checkFastRegex(t, f.Key, p.re, p.fast, randomFastRegexInput(rng))
				}
				for _, s := range []string{"tcp", "TCP", "Tcp\n", "ipv6-icmp", "a-n", "DE", "de\n", "0123456789abcdef0123456789abcdef01234567"} {
					checkFastRegex(t, f.Key, p.re, p.fast, s)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no patterns checked")
	}
}

func FuzzFastRegex(f *testing.F) {
	for _, s := range []string{"", "ab", "tcp\n", "\u212a", "ab.c"} {
		f.Add(s)
	}
	type compiled struct {
		expr string
		re   *regexp.Regexp
		fast *fastRegex
	}
	var all []compiled
	for _, p := range fastRegexPatterns {
		re, err := CompilePythonRegex(p.expr, p.ignoreCase)
		if err != nil {
			f.Fatal(err)
		}
		if fast := newFastRegex(re); fast != nil {
			all = append(all, compiled{p.expr, re, fast})
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range all {
			checkFastRegex(t, c.expr, c.re, c.fast, s)
		}
	})
}

func TestValidSubKeyAgreesWithPattern(t *testing.T) {
	re, err := CompilePythonRegex(KeyPattern, false)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 9))
	alphabet := []string{"a", "z", "_", "0", "9", ".", "A", "-", "\n", " ", "é", "extra", "ex"}
	inputs := []string{"", "a", "ab", "a.", "ab.", "ab..c", "ab.c", "_0", "0a", "extra.foo\n", "extra.foo\n\n", "extra.Foo"}
	for i := 0; i < 50000; i++ {
		var b strings.Builder
		for n := rng.IntN(10); n > 0; n-- {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		inputs = append(inputs, b.String())
	}
	for _, s := range inputs {
		if got, want := ValidSubKey(s), re.MatchString(s); got != want {
			t.Errorf("ValidSubKey(%q) = %v, regexp %v", s, got, want)
		}
	}
}

func TestLookupFieldSharesSubItems(t *testing.T) {
	s := Default()
	a, err := s.LookupField(Event, "extra.a")
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.LookupField(Event, "extra.b_2")
	if err != nil {
		t.Fatal(err)
	}
	if a != b || !a.SubItem {
		t.Errorf("sub-item fields %p %p (SubItem %v), want one shared", a, b, a.SubItem)
	}
	if f, err := s.Field(Event, "extra.a"); err != nil || f.Key != "extra.a" || !f.SubItem || f == a {
		t.Errorf("Field(extra.a) = %+v, %v: want its own field with its key", f, err)
	}
	for _, key := range []string{"extra.A", "source.foo", "extra"} {
		f1, err1 := s.Field(Event, key)
		f2, err2 := s.LookupField(Event, key)
		if (err1 == nil) != (err2 == nil) || (err1 != nil && err1.Error() != err2.Error()) || (err1 == nil && f1 != f2) {
			t.Errorf("%q: Field %v, %v; LookupField %v, %v", key, f1, err1, f2, err2)
		}
	}
}

func TestValidateLengthWithoutText(t *testing.T) {
	f := &Field{Key: "k", Type: integerType{}, Length: 5}
	for _, n := range []int64{0, 9, 10, 99999, 100000, -1, -9999, -10000, 1<<63 - 1, -1 << 63} {
		err := f.Validate(Int(n))
		if want := len(Int(n).String()) > 5; (err != nil) != want {
			t.Errorf("Validate(%d) = %v, want error %v", n, err, want)
		}
		if got, want := decimalLen(n), len(Int(n).String()); got != want {
			t.Errorf("decimalLen(%d) = %d, want %d", n, got, want)
		}
	}
	s := &Field{Key: "k", Type: stringType{}, Length: 2}
	for _, v := range []string{"ab", "abc", "éé", "ééé"} {
		err := s.Validate(String(v))
		if want := len([]rune(v)) > 2; (err != nil) != want {
			t.Errorf("Validate(%q) = %v, want error %v", v, err, want)
		}
	}
}
