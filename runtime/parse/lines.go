// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"fmt"
	"io"
	"regexp"
	"strings"
)

// LinesOptions configures a text-lines reader: one record per line, as
// IntelMQ's default ParserBot.parse splits a report. Lines are stripped of
// surrounding white space; blank lines are skipped.
type LinesOptions struct {
	// Comments lists prefixes: a line whose stripped text starts with one
	// of them is skipped.
	Comments []string
	// Skip is the number of lines skipped at the start, counted after
	// comment and blank lines are removed.
	Skip int
	// Pattern, when set, is searched in the stripped line; its named groups
	// become the record's Fields (an unmatched group gives ""), in the order
	// of Columns. A line it does not match is a bad record, unless
	// SkipUnmatched.
	Pattern *regexp.Regexp
	// SkipUnmatched skips the lines Pattern does not match.
	SkipUnmatched bool
	// KeepComments keeps the comment lines for Reader.Comments.
	KeepComments bool
}

// linesReader is the Reader of LinesOptions.
type linesReader struct {
	lineSkipper
	opt     LinesOptions
	columns []string
	groups  []int // submatch index of each column
	idx     []int
	rec     Record
	fields  []string
}

// NewLinesReader returns a Reader over text, one record per line.
func NewLinesReader(text string, opt LinesOptions) (Reader, error) {
	r, err := newLinesReader(&wholeText{s: text}, opt)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// newLinesReader returns a lines Reader over the text of src.
func newLinesReader(src textSource, opt LinesOptions) (*linesReader, error) {
	r := &linesReader{lineSkipper: newLineSkipper(src, opt.Skip, opt.KeepComments), opt: opt}
	if p := opt.Pattern; p != nil {
		for i, name := range p.SubexpNames() {
			if name != "" {
				r.columns = append(r.columns, name)
				r.groups = append(r.groups, i)
			}
		}
		if len(r.columns) == 0 {
			return nil, fmt.Errorf("lines: the pattern %q has no named group", p.String())
		}
	}
	return r, nil
}

// Columns returns the names of the pattern's named groups.
func (r *linesReader) Columns() []string { return r.columns }

// Prefix returns the skipped lines.
func (r *linesReader) Prefix() string { return r.prefix.String() }

// Next returns the next record. Its Raw is the line as written (not
// stripped); without a Pattern its only field is the stripped line.
func (r *linesReader) Next() (*Record, error) {
	for {
		d, ok := r.nextLine(r.opt.Comments)
		if !ok {
			return nil, io.EOF
		}
		start, next, text := d.start, d.next, d.text
		r.rec = Record{Line: d.line, Offset: r.base + start, End: r.base + next, Raw: d.raw, Fields: r.fields[:0]}
		if r.opt.Pattern == nil {
			r.rec.Fields = append(r.rec.Fields, text)
		} else if r.idx = r.opt.Pattern.FindStringSubmatchIndex(text); r.idx == nil {
			if r.opt.SkipUnmatched {
				r.skipped(start, next)
				continue
			}
			r.rec.Err = fmt.Errorf("%w: the line does not match the pattern %s", ErrSyntax, r.opt.Pattern)
		} else {
			for _, g := range r.groups {
				v := ""
				if a := r.idx[2*g]; a >= 0 {
					v = text[a:r.idx[2*g+1]]
				}
				r.rec.Fields = append(r.rec.Fields, v)
			}
		}
		r.fields = r.rec.Fields
		return &r.rec, nil
	}
}

// KVOptions configures a key=value reader, after IntelMQ's key-value
// parser: each line is split at every PairSeparator, each pair at its last
// KVSeparator; tokens without a key are ignored. Quotes do not protect
// separators.
type KVOptions struct {
	// PairSeparator separates pairs; " " when empty.
	PairSeparator string
	// KVSeparator separates a key from its value; "=" when empty.
	KVSeparator string
	// KeepQuotes keeps the double quotes around a value; by default a value
	// that starts and ends with `"` loses them, as with IntelMQ's
	// strip_quotes.
	KeepQuotes bool
	// Comments lists prefixes of lines to skip.
	Comments []string
	// Skip is the number of lines skipped at the start.
	Skip int
	// KeepComments keeps the comment lines for Reader.Comments.
	KeepComments bool
}

// kvReader is the Reader of KVOptions.
type kvReader struct {
	lineSkipper
	opt    KVOptions
	rec    Record
	fields []string
	names  []string
}

// NewKVReader returns a Reader over text, one record of key=value pairs per
// line. Lines are stripped; blank lines are skipped.
func NewKVReader(text string, opt KVOptions) (Reader, error) {
	return newKVReader(&wholeText{s: text}, opt), nil
}

// newKVReader returns a key=value Reader over the text of src.
func newKVReader(src textSource, opt KVOptions) *kvReader {
	if opt.PairSeparator == "" {
		opt.PairSeparator = " "
	}
	if opt.KVSeparator == "" {
		opt.KVSeparator = "="
	}
	return &kvReader{lineSkipper: newLineSkipper(src, opt.Skip, opt.KeepComments), opt: opt}
}

// Columns returns nil: every pair names itself.
func (r *kvReader) Columns() []string { return nil }

// Prefix returns the skipped lines.
func (r *kvReader) Prefix() string { return r.prefix.String() }

// Next returns the next record: Names holds the keys, Fields the values, in
// the order of the line (a key may repeat).
func (r *kvReader) Next() (*Record, error) {
	d, ok := r.nextLine(r.opt.Comments)
	if !ok {
		return nil, io.EOF
	}
	text := d.text
	r.rec = Record{Line: d.line, Offset: r.base + d.start, End: r.base + d.next, Raw: d.raw, Fields: r.fields[:0], Names: r.names[:0]}
	r.pairs(text)
	r.fields, r.names = r.rec.Fields, r.rec.Names
	return &r.rec, nil
}

// pairs splits a stripped line into the record's names and values.
func (r *kvReader) pairs(text string) {
	ps, kv := r.opt.PairSeparator, r.opt.KVSeparator
	for text != "" {
		tok := text
		if i := strings.Index(text, ps); i >= 0 {
			tok, text = text[:i], text[i+len(ps):]
		} else {
			text = ""
		}
		i := strings.LastIndex(tok, kv)
		if i <= 0 {
			continue
		}
		key, value := tok[:i], tok[i+len(kv):]
		if !r.opt.KeepQuotes && strings.HasPrefix(value, `"`) && strings.HasSuffix(value, `"`) {
			if len(value) >= 2 {
				value = value[1 : len(value)-1]
			} else {
				value = ""
			}
		}
		r.rec.Names = append(r.rec.Names, key)
		r.rec.Fields = append(r.rec.Fields, value)
	}
}
