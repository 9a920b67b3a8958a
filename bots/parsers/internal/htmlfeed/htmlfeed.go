// SPDX-License-Identifier: AGPL-3.0-or-later

package htmlfeed

import (
	"regexp"
	"sort"
	"strings"

	"golang.org/x/net/html"
)

// Kind is the kind of a Token.
type Kind uint8

// The kinds of tokens Python's parser reports to its handlers.
const (
	StartTag Kind = iota + 1 // handle_starttag, also for a self-closing tag
	EndTag                   // handle_endtag
	Data                     // handle_data
)

// Token is one report of the parser.
type Token struct {
	Kind Kind
	// Tag is the lower-case tag name of a StartTag or EndTag.
	Tag string
	// Attrs are the attributes of a StartTag, names lower-cased, values
	// unescaped.
	Attrs []html.Attribute
	// Data is the text of a Data token, character references resolved
	// (except in script and style).
	Data string
	// Line is the index, in the lines given to Feed, of the line whose
	// feeding reported the token.
	Line int
}

// Attr returns the value of the attribute named name. Of repeated
// attributes the tokenizer keeps the first (Python's parser reports all,
// and IntelMQ's parsers then use the last).
func (t Token) Attr(name string) (string, bool) {
	v, ok := "", false
	for _, a := range t.Attrs {
		if a.Key == name {
			v, ok = a.Val, true
		}
	}
	return v, ok
}

// pendingRef is Python's test for a character reference that may be cut
// at the end of the fed text: an "&" not followed by white space or ";".
var pendingRef = regexp.MustCompile(`[\s;]`)

// Feed tokenizes lines[from:], fed one by one, and returns the tokens in
// order. Tokens still incomplete after the last line are not reported.
func Feed(lines []string, from int) []Token {
	if from >= len(lines) {
		return nil
	}
	var text strings.Builder
	ends := make([]int, 0, len(lines)-from) // ends[k]: end offset of line from+k
	for _, l := range lines[from:] {
		text.WriteString(l)
		ends = append(ends, text.Len())
	}
	s := text.String()
	lineOf := func(pos int) int { // the line holding byte pos
		return from + sort.SearchInts(ends, pos+1)
	}
	var out []Token
	z := html.NewTokenizer(strings.NewReader(s))
	off, rawNext := 0, false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		start, end := off, off+len(raw)
		off = end
		inRaw := rawNext
		rawNext = false
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			t := Token{Kind: StartTag, Tag: string(name), Line: lineOf(end - 1)}
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				t.Attrs = append(t.Attrs, html.Attribute{Key: string(k), Val: string(v)})
			}
			out = append(out, t)
			if tt == html.StartTagToken && (t.Tag == "script" || t.Tag == "style") {
				rawNext = true
			} else {
				z.NextIsNotRawText()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			out = append(out, Token{Kind: EndTag, Tag: string(name), Line: lineOf(end - 1)})
		case html.TextToken:
			if inRaw { // reported when the end tag is found
				out = append(out, Token{Kind: Data, Data: string(raw), Line: lineOf(min(end, len(s)-1))})
				break
			}
			out = appendText(out, s, start, end, ends, lineOf)
		}
	}
	return out
}

// appendText appends the text s[start:end] as Python's parser reports it:
// one piece per fed line it spans, a line's piece joined to the next when
// it ends in what may be the start of a character reference.
func appendText(out []Token, s string, start, end int, ends []int, lineOf func(int) int) []Token {
	a := start
	for _, e := range ends {
		if e <= a || e >= end {
			continue
		}
		// Python keeps the text back while an "&" in its last 34
		// characters is not followed by white space or ";".
		if amp := strings.LastIndexByte(s[max(a, e-34):e], '&'); amp >= 0 {
			if !pendingRef.MatchString(s[max(a, e-34)+amp : e]) {
				continue
			}
		}
		out = append(out, Token{Kind: Data, Data: html.UnescapeString(s[a:e]), Line: lineOf(e - 1)})
		a = e
	}
	if a < end {
		out = append(out, Token{Kind: Data, Data: html.UnescapeString(s[a:end]), Line: lineOf(end - 1)})
	}
	return out
}
