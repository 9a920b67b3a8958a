// SPDX-License-Identifier: AGPL-3.0-or-later

package lang

import (
	"bytes"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Expr is an expr-lang expression written as an HCL string.
type Expr struct {
	// Source is the expression text, the string's value.
	Source string
	// Range is the range of the whole HCL value, quotes included.
	Range hcl.Range
	// Exact says the file holds Source verbatim (a quoted string without
	// escapes, or a heredoc) starting at Start, so offsets inside Source map
	// to exact file positions.
	Exact bool
	// Start is the position of Source's first character when Exact.
	Start hcl.Pos
}

// Pos returns the file position of the character at rune offset off inside
// Source, or Range.Start when the text is not Exact.
func (e *Expr) Pos(off int) hcl.Pos {
	if !e.Exact {
		return e.Range.Start
	}
	p := e.Start
	n := 0
	for i, r := range e.Source {
		if n == off {
			return p
		}
		size := utf8.RuneLen(r)
		p.Byte = e.Start.Byte + i + size
		if r == '\n' {
			p.Line++
			p.Column = 1
		} else {
			p.Column++
		}
		n++
	}
	return p
}

// SubRange returns the file range of rune offsets [from, to) inside
// Source; it falls back to Range when the text is not Exact. An empty range
// is widened to one character.
func (e *Expr) SubRange(from, to int) hcl.Range {
	if !e.Exact {
		return e.Range
	}
	if to <= from {
		to = from + 1
	}
	if n := utf8.RuneCountInString(e.Source); to > n {
		to = n
		if from >= to {
			from = max(to-1, 0)
		}
	}
	return hcl.Range{Filename: e.Range.Filename, Start: e.Pos(from), End: e.Pos(to)}
}

// newExpr builds an Expr from a string value and its HCL expression,
// deciding whether src holds the value verbatim.
func newExpr(value string, x hcl.Expression, src []byte) *Expr {
	e := &Expr{Source: value, Range: x.Range()}
	t, ok := x.(*hclsyntax.TemplateExpr)
	if !ok || len(t.Parts) != 1 || src == nil {
		return e
	}
	r := t.SrcRange
	if r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte >= r.End.Byte {
		return e
	}
	text := src[r.Start.Byte:r.End.Byte]
	switch {
	case text[0] == '"':
		if bytes.Equal(text[1:len(text)-1], []byte(value)) {
			e.Exact = true
			e.Start = hcl.Pos{Line: r.Start.Line, Column: r.Start.Column + 1, Byte: r.Start.Byte + 1}
		}
	case bytes.HasPrefix(text, []byte("<<")):
		nl := bytes.IndexByte(text, '\n')
		if nl < 0 {
			return e
		}
		body := text[nl+1:]
		if bytes.HasPrefix(body, []byte(value)) {
			e.Exact = true
			e.Start = hcl.Pos{Line: r.Start.Line + 1, Column: 1, Byte: r.Start.Byte + nl + 1}
		}
	}
	return e
}
