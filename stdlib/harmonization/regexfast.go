// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"regexp"
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// This file holds byte-loop matchers for the simple shapes of pattern that
// harmonization.conf uses, so that Field.Validate does not run the regexp
// engine on every value. A matcher is built from the compiled regexp's own
// syntax tree and decides only ASCII input; for anything else the caller
// runs the regexp. Two shapes are recognised, both anchored at the start
// (Python "^") and at the end (Python "$", which also matches before a
// final "\n", or "\Z"):
//
//   - a sequence of single-character items (literal characters, classes,
//     ".") each repeated a fixed number of times, except for at most one
//     item with a variable count: "^[ -~]+$", "^[a-zA-Z0-9]{2}$",
//     "^.*[^\.]$", the UUID pattern;
//   - a finite set of strings (literals, alternations, "?" and bounded
//     repetitions), such as the case-insensitive list of IANA protocol names
//     of protocol.transport, which becomes a set lookup.

// byteSet is a set of ASCII bytes.
type byteSet [2]uint64

func (b *byteSet) add(c byte)             { b[c>>6] |= 1 << (c & 63) }
func (b byteSet) has(c byte) bool         { return c < utf8.RuneSelf && b[c>>6]&(1<<(c&63)) != 0 }
func (b byteSet) union(o byteSet) byteSet { return byteSet{b[0] | o[0], b[1] | o[1]} }

// members returns the bytes of b in increasing order.
func (b byteSet) members() []byte {
	var out []byte
	for c := 0; c < utf8.RuneSelf; c++ {
		if b.has(byte(c)) {
			out = append(out, byte(c))
		}
	}
	return out
}

// caseClosed reports whether every ASCII letter in b has its other case in
// b too.
func (b byteSet) caseClosed() bool {
	for c := byte('a'); c <= 'z'; c++ {
		if b.has(c) != b.has(c-'a'+'A') {
			return false
		}
	}
	return true
}

// seqItem is one item of a sequence matcher: a byte of set, min to max
// times (max -1: unbounded).
type seqItem struct {
	set      byteSet
	min, max int
}

// fastRegex is a matcher for one regexp (see the file comment).
type fastRegex struct {
	re *regexp.Regexp // the regexp it decides for

	// pyDollar: the pattern ends with Python's "$" (`\n?\z`), so a final
	// "\n" may be dropped before matching.
	pyDollar bool

	// The sequence shape: items, the index of the variable one (or -1) and
	// the total of the fixed counts.
	items []seqItem
	vari  int
	fixed int

	// The set shape: the ASCII strings the pattern matches, lower-cased
	// when fold is set (then the input is lower-cased before the lookup).
	set    map[string]struct{}
	fold   bool
	maxLen int
}

// maxFastSet bounds the number of strings of a set matcher.
const maxFastSet = 4096

// newFastRegex returns a matcher for re, or nil when re is not one of the
// shapes it knows.
func newFastRegex(re *regexp.Regexp) *fastRegex {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil || tree.Op != syntax.OpConcat || len(tree.Sub) < 2 || tree.Sub[0].Op != syntax.OpBeginText {
		return nil
	}
	subs := tree.Sub[1:]
	f := &fastRegex{re: re, vari: -1}
	switch n := len(subs); {
	case n >= 2 && subs[n-1].Op == syntax.OpEndText && isOptionalNewline(subs[n-2]):
		f.pyDollar, subs = true, subs[:n-2]
	case subs[n-1].Op == syntax.OpEndText:
		subs = subs[:n-1]
	default:
		return nil
	}
	if f.buildSeq(subs) || f.buildSet(subs) {
		return f
	}
	return nil
}

// isOptionalNewline reports whether r is `\n?`.
func isOptionalNewline(r *syntax.Regexp) bool {
	return r.Op == syntax.OpQuest && r.Sub[0].Op == syntax.OpLiteral && len(r.Sub[0].Rune) == 1 && r.Sub[0].Rune[0] == '\n'
}

// asciiFold returns the ASCII characters a literal rune matches.
func asciiFold(r rune, fold bool) byteSet {
	var b byteSet
	if r < utf8.RuneSelf {
		b.add(byte(r))
	}
	if fold {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < utf8.RuneSelf {
				b.add(byte(f))
			}
		}
	}
	return b
}

// charSet returns the ASCII characters a single-character node matches.
func charSet(r *syntax.Regexp) (byteSet, bool) {
	var b byteSet
	switch r.Op {
	case syntax.OpLiteral:
		if len(r.Rune) != 1 {
			return b, false
		}
		return asciiFold(r.Rune[0], r.Flags&syntax.FoldCase != 0), true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(r.Rune); i += 2 {
			for c := r.Rune[i]; c <= r.Rune[i+1] && c < utf8.RuneSelf; c++ {
				b.add(byte(c))
			}
		}
		return b, true
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		for c := 0; c < utf8.RuneSelf; c++ {
			if c != '\n' || r.Op == syntax.OpAnyChar {
				b.add(byte(c))
			}
		}
		return b, true
	}
	return b, false
}

// buildSeq sets up the sequence shape for the nodes between the anchors.
func (f *fastRegex) buildSeq(subs []*syntax.Regexp) bool {
	var items []seqItem
	var add func(r *syntax.Regexp) bool
	add = func(r *syntax.Regexp) bool {
		switch r.Op {
		case syntax.OpConcat:
			for _, s := range r.Sub {
				if !add(s) {
					return false
				}
			}
			return true
		case syntax.OpCapture:
			return add(r.Sub[0])
		case syntax.OpEmptyMatch:
			return true
		case syntax.OpLiteral:
			for _, c := range r.Rune {
				items = append(items, seqItem{set: asciiFold(c, r.Flags&syntax.FoldCase != 0), min: 1, max: 1})
			}
			return true
		case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
			set, ok := charSet(r.Sub[0])
			if !ok {
				return false
			}
			it := seqItem{set: set}
			switch r.Op {
			case syntax.OpStar:
				it.min, it.max = 0, -1
			case syntax.OpPlus:
				it.min, it.max = 1, -1
			case syntax.OpQuest:
				it.min, it.max = 0, 1
			default:
				it.min, it.max = r.Min, r.Max
			}
			items = append(items, it)
			return true
		}
		set, ok := charSet(r)
		items = append(items, seqItem{set: set, min: 1, max: 1})
		return ok
	}
	for _, s := range subs {
		if !add(s) {
			return false
		}
	}
	f.vari, f.fixed = -1, 0
	for i, it := range items {
		if it.min == it.max {
			f.fixed += it.min
			continue
		}
		if f.vari >= 0 {
			return false
		}
		f.vari = i
	}
	f.items = items
	return true
}

// buildSet sets up the set shape: every alternative of the pattern is
// enumerated as a sequence of byte sets, which are then expanded.
func (f *fastRegex) buildSet(subs []*syntax.Regexp) bool {
	seqs := [][]byteSet{nil}
	for _, s := range subs {
		alts, ok := enumerate(s)
		if !ok {
			return false
		}
		seqs, ok = product(seqs, alts)
		if !ok {
			return false
		}
	}
	fold := true
	for _, seq := range seqs {
		for _, b := range seq {
			fold = fold && b.caseClosed()
		}
	}
	set := map[string]struct{}{}
	for _, seq := range seqs {
		strs := []string{""}
		for _, b := range seq {
			var next []string
			for _, c := range b.members() {
				if fold && 'A' <= c && c <= 'Z' {
					continue
				}
				for _, s := range strs {
					next = append(next, s+string(rune(c)))
				}
			}
			if strs = next; len(strs) > maxFastSet {
				return false
			}
		}
		for _, s := range strs {
			set[s] = struct{}{}
			f.maxLen = max(f.maxLen, len(s))
		}
		if len(set) > maxFastSet {
			return false
		}
	}
	f.set, f.fold = set, fold
	return true
}

// enumerate returns the alternatives of a node without repetition bounds
// as sequences of byte sets.
func enumerate(r *syntax.Regexp) ([][]byteSet, bool) {
	switch r.Op {
	case syntax.OpEmptyMatch:
		return [][]byteSet{nil}, true
	case syntax.OpLiteral:
		seq := make([]byteSet, len(r.Rune))
		for i, c := range r.Rune {
			seq[i] = asciiFold(c, r.Flags&syntax.FoldCase != 0)
		}
		return [][]byteSet{seq}, true
	case syntax.OpCharClass, syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		b, _ := charSet(r)
		return [][]byteSet{{b}}, true
	case syntax.OpCapture:
		return enumerate(r.Sub[0])
	case syntax.OpConcat:
		out := [][]byteSet{nil}
		for _, s := range r.Sub {
			alts, ok := enumerate(s)
			if !ok {
				return nil, false
			}
			if out, ok = product(out, alts); !ok {
				return nil, false
			}
		}
		return out, true
	case syntax.OpAlternate:
		var out [][]byteSet
		for _, s := range r.Sub {
			alts, ok := enumerate(s)
			if !ok {
				return nil, false
			}
			if out = append(out, alts...); len(out) > maxFastSet {
				return nil, false
			}
		}
		return out, true
	case syntax.OpQuest:
		alts, ok := enumerate(r.Sub[0])
		return append([][]byteSet{nil}, alts...), ok && len(alts) < maxFastSet
	case syntax.OpRepeat:
		if r.Max < 0 || r.Max > 16 {
			return nil, false
		}
		alts, ok := enumerate(r.Sub[0])
		if !ok {
			return nil, false
		}
		var out [][]byteSet
		cur := [][]byteSet{nil}
		for k := 0; k <= r.Max; k++ {
			if k >= r.Min {
				out = append(out, cur...)
			}
			if cur, ok = product(cur, alts); !ok || len(out) > maxFastSet {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

// product returns every sequence of a followed by every sequence of b.
func product(a, b [][]byteSet) ([][]byteSet, bool) {
	if len(a)*len(b) > maxFastSet {
		return nil, false
	}
	out := make([][]byteSet, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, append(append([]byteSet(nil), x...), y...))
		}
	}
	return out, true
}

// match reports whether the regexp matches s, and ok false when s is not
// ASCII, which the matcher leaves to the regexp.
func (f *fastRegex) match(s string) (matched, ok bool) {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false, false
		}
	}
	if f.matchCore(s) {
		return true, true
	}
	if f.pyDollar && len(s) > 0 && s[len(s)-1] == '\n' {
		return f.matchCore(s[:len(s)-1]), true
	}
	return false, true
}

// matchCore matches ASCII s without Python's final "\n".
func (f *fastRegex) matchCore(s string) bool {
	if f.set != nil {
		return f.inSet(s)
	}
	varLen := len(s) - f.fixed
	if f.vari < 0 {
		if varLen != 0 {
			return false
		}
	} else if v := f.items[f.vari]; varLen < v.min || (v.max >= 0 && varLen > v.max) {
		return false
	}
	pos := 0
	for i, it := range f.items {
		n := it.min
		if i == f.vari {
			n = varLen
		}
		for end := pos + n; pos < end; pos++ {
			if !it.set.has(s[pos]) {
				return false
			}
		}
	}
	return true
}

// inSet looks s up in the set, lower-cased for a case-insensitive set.
func (f *fastRegex) inSet(s string) bool {
	if len(s) > f.maxLen {
		return false
	}
	if !f.fold {
		_, ok := f.set[s]
		return ok
	}
	var buf [64]byte
	b := buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	_, ok := f.set[string(b)]
	return ok
}
