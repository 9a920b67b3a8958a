// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// CSVOptions configures a CSV reader. The zero value reads comma-separated
// values quoted with double quotes, without comments, header or skipped
// lines, and with strict quoting.
//
// Whatever the options, the reader applies IntelMQ's generic CSV
// pre-processing: NUL bytes are removed from values, blank lines (spaces and
// tabs only) are skipped, and "\n", "\r\n" and a lone "\r" all end a line,
// mixed in one text if need be.
type CSVOptions struct {
	// Delimiter separates fields: one character, "," when empty.
	Delimiter string
	// Quote encloses a field that contains delimiters, quotes (doubled) or
	// line breaks: one character, `"` when empty. See NoQuote.
	Quote string
	// NoQuote makes the quote character an ordinary character.
	NoQuote bool
	// Comments lists line prefixes: a line whose text, after leading spaces
	// and tabs, starts with one of them is skipped (IntelMQ's generic CSV
	// parser skips "#" lines so).
	Comments []string
	// Skip is the number of lines skipped at the start, counted after
	// comment and blank lines are removed, as IntelMQ's skip_header does.
	Skip int
	// Header makes the first row after the skipped lines name the columns.
	Header bool
	// LazyQuotes follows Python's csv module (IntelMQ's reader): a quote
	// inside an unquoted field is an ordinary character, text after a
	// closing quote is appended to the field, and a quoted field left open
	// at the end of the text ends there. Without it each of these makes the
	// record bad.
	LazyQuotes bool
	// TrimSpace removes spaces and tabs around every field (a quoted field
	// may then be preceded and followed by spaces), except the delimiter
	// itself.
	TrimSpace bool
	// KeepComments keeps the comment lines for Reader.Comments.
	KeepComments bool
}

// csvReader is the Reader of CSVOptions.
type csvReader struct {
	lineSkipper
	opt        CSVOptions
	delim      string
	quote      string // "" when quoting is off
	d0, q0     byte
	special    [256]bool // bytes that stop the scan of an unquoted field
	trimSpace  bool
	trimTab    bool
	slowOnly   bool // tests: never take the plain-line fast path
	header     []string
	haveHeader bool
	rec        Record
	fields     []string
	scratch    []byte
}

// NewCSVReader returns a Reader over text with the given options.
func NewCSVReader(text string, opt CSVOptions) (Reader, error) {
	r, err := newCSVReader(&wholeText{s: text}, opt)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// newCSVReader returns a CSV Reader over the text of src.
func newCSVReader(src textSource, opt CSVOptions) (*csvReader, error) {
	r := &csvReader{lineSkipper: newLineSkipper(src, opt.Skip, opt.KeepComments), opt: opt, delim: opt.Delimiter, quote: opt.Quote}
	if r.delim == "" {
		r.delim = ","
	}
	if r.quote == "" {
		r.quote = `"`
	}
	if err := checkChar("delimiter", r.delim); err != nil {
		return nil, err
	}
	if err := checkChar("quote", r.quote); err != nil {
		return nil, err
	}
	if opt.NoQuote {
		r.quote = ""
	} else if r.quote == r.delim {
		return nil, fmt.Errorf("csv: the quote and the delimiter are both %q", r.quote)
	}
	r.d0 = r.delim[0]
	r.special[r.d0] = true
	r.special['\r'] = true
	r.special['\n'] = true
	r.special[0] = true
	if r.quote != "" {
		r.q0 = r.quote[0]
		r.special[r.q0] = true
	}
	if opt.TrimSpace {
		r.trimSpace = r.delim != " "
		r.trimTab = r.delim != "\t"
	}
	return r, nil
}

// checkChar checks that s is one character that can separate fields.
func checkChar(what, s string) error {
	c, n := utf8.DecodeRuneInString(s)
	if n != len(s) || c == utf8.RuneError || c == '\r' || c == '\n' || c == 0 {
		return fmt.Errorf("csv: the %s %q is not one character other than a line break or NUL", what, s)
	}
	return nil
}

// Columns returns the header row's fields, or nil without Header.
func (r *csvReader) Columns() []string { return r.header }

// Prefix returns the skipped lines and the header row.
func (r *csvReader) Prefix() string { return r.prefix.String() }

// Next returns the next record.
func (r *csvReader) Next() (*Record, error) {
	r.begin()
	for r.more() {
		start := r.pos
		end, next := lineEnd(r.in, start)
		if text := r.in[start:end]; isBlank(text) || hasCommentPrefix(text, r.opt.Comments) {
			if !isBlank(text) {
				r.comment(text)
			}
			r.skipped(start, next)
			r.pos, r.line = next, r.line+1
			continue
		}
		if r.skip > 0 {
			r.skip--
			r.toPrefix(start, next)
			r.pos, r.line = next, r.line+1
			continue
		}
		rec := r.complete(start, end, next)
		if r.opt.Header && !r.haveHeader {
			r.haveHeader = true
			r.header = append([]string(nil), rec.Fields...)
			r.toPrefix(rec.Offset, rec.End)
			continue
		}
		return r.global(rec), nil
	}
	return nil, io.EOF
}

// complete reads the record whose first line is in[start:end] (its
// terminator ends at next). A record that reaches the end of the current
// piece may go on in the next one: it is read again with more text.
func (r *csvReader) complete(start, end, next int) *Record {
	line := r.line
	for {
		var rec *Record
		plain := !r.slowOnly && r.plainLine(r.in[start:end])
		if plain {
			rec = r.split(start, end, next)
		} else {
			rec = r.record()
		}
		// A plain line is the whole record once its "\n" is read (a piece
		// ends just after one, so it never splits a "\r\n").
		if rec.End < len(r.in) || plain && next > end && r.in[next-1] == '\n' || !r.extend(start) {
			return rec
		}
		r.line, start = line, 0
		end, next = lineEnd(r.in, start)
	}
}

// plainLine reports whether line holds no quote and no NUL byte, so that
// the record is the line and its fields are the text between delimiters.
func (r *csvReader) plainLine(line string) bool {
	return (r.quote == "" || strings.IndexByte(line, r.q0) < 0) &&
		(!r.hasNUL || strings.IndexByte(line, 0) < 0)
}

// split returns the record of the plain line in[start:end], whose
// terminator ends at next.
func (r *csvReader) split(start, end, next int) *Record {
	rec := &r.rec
	line := r.in[start:end]
	*rec = Record{Line: r.line, Offset: start, End: next, Raw: line, Fields: r.fields[:0]}
	for {
		i := strings.IndexByte(line, r.d0)
		if i >= 0 && len(r.delim) > 1 && !strings.HasPrefix(line[i:], r.delim) {
			i = strings.Index(line, r.delim)
		}
		if i < 0 {
			rec.Fields = append(rec.Fields, r.trim(line))
			break
		}
		rec.Fields = append(rec.Fields, r.trim(line[:i]))
		line = line[i+len(r.delim):]
	}
	r.fields = rec.Fields
	r.pos, r.line = next, r.line+1
	return rec
}

// trim removes the spaces and tabs TrimSpace removes around s.
func (r *csvReader) trim(s string) string {
	if !r.opt.TrimSpace {
		return s
	}
	for len(s) > 0 && (s[0] == ' ' && r.trimSpace || s[0] == '\t' && r.trimTab) {
		s = s[1:]
	}
	return r.trimRight(s)
}

// record reads the record that starts at r.pos.
func (r *csvReader) record() *Record {
	rec := &r.rec
	*rec = Record{Line: r.line, Offset: r.pos, Fields: r.fields[:0]}
	in, pos := r.in, r.pos
	for {
		var value string
		var err error
		pos = r.skipTrim(pos)
		if r.quote != "" && strings.HasPrefix(in[pos:], r.quote) {
			value, pos, err = r.quoted(pos, rec)
		} else {
			value, pos, err = r.unquoted(pos, rec)
		}
		if err != nil && rec.Err == nil {
			rec.Err = err
		}
		rec.Fields = append(rec.Fields, value)
		if pos < len(in) && in[pos] == r.d0 && strings.HasPrefix(in[pos:], r.delim) {
			pos += len(r.delim)
			continue
		}
		break
	}
	// pos is at a line terminator or at the end of the text.
	rec.Raw = in[rec.Offset:pos]
	switch {
	case strings.HasPrefix(in[pos:], "\r\n"):
		pos += 2
	case pos < len(in):
		pos++
	}
	rec.End = pos
	r.fields = rec.Fields
	r.line += countLines(in[rec.Offset:pos])
	r.pos = pos
	return rec
}

// skipTrim skips the spaces and tabs TrimSpace removes.
func (r *csvReader) skipTrim(pos int) int {
	for pos < len(r.in) && (r.in[pos] == ' ' && r.trimSpace || r.in[pos] == '\t' && r.trimTab) {
		pos++
	}
	return pos
}

// trimRight removes the trailing spaces and tabs TrimSpace removes.
func (r *csvReader) trimRight(s string) string {
	for len(s) > 0 && (s[len(s)-1] == ' ' && r.trimSpace || s[len(s)-1] == '\t' && r.trimTab) {
		s = s[:len(s)-1]
	}
	return s
}

// unquoted reads an unquoted field from pos up to a delimiter, a line
// terminator or the end, and returns its value and the position after it.
func (r *csvReader) unquoted(pos int, rec *Record) (string, int, error) {
	in, start, nul := r.in, pos, false
	var err error
	for pos < len(in) {
		c := in[pos]
		if !r.special[c] {
			pos++
			continue
		}
		if c == '\n' || c == '\r' || c == r.d0 && strings.HasPrefix(in[pos:], r.delim) {
			break
		}
		switch {
		case c == 0:
			nul = true
		case c == r.q0 && r.quote != "" && !r.opt.LazyQuotes && err == nil && strings.HasPrefix(in[pos:], r.quote):
			err = r.syntaxError(rec, pos, fmt.Sprintf("bare %s in an unquoted field", r.quote))
		}
		pos++
	}
	value := in[start:pos]
	if nul {
		value = strings.ReplaceAll(value, "\x00", "")
	}
	return r.trimRight(value), pos, err
}

// quoted reads a quoted field whose opening quote is at pos and returns its
// value and the position after it.
func (r *csvReader) quoted(pos int, rec *Record) (string, int, error) {
	in, q := r.in, r.quote
	open := pos
	pos += len(q)
	seg := pos
	built := false
	r.scratch = r.scratch[:0]
	value := func(end int) string {
		if !built {
			return in[seg:end]
		}
		r.scratch = append(r.scratch, in[seg:end]...)
		return string(r.scratch)
	}
	for {
		i := indexQuoteOrNUL(in[pos:], r.q0, r.hasNUL)
		if i < 0 {
			v := value(len(in))
			if r.opt.LazyQuotes {
				return v, len(in), nil
			}
			return v, len(in), r.syntaxError(rec, open, fmt.Sprintf("%s opens a field that is never closed", q))
		}
		pos += i
		if in[pos] == 0 {
			r.scratch = append(r.scratch, in[seg:pos]...)
			built = true
			pos++
			seg = pos
			continue
		}
		if !strings.HasPrefix(in[pos:], q) {
			pos++
			continue
		}
		after := pos + len(q)
		if strings.HasPrefix(in[after:], q) { // a doubled quote
			r.scratch = append(r.scratch, in[seg:after]...)
			built = true
			pos = after + len(q)
			seg = pos
			continue
		}
		v := value(pos)
		pos = r.skipTrim(after)
		if pos == len(in) || in[pos] == '\r' || in[pos] == '\n' || strings.HasPrefix(in[pos:], r.delim) {
			return v, pos, nil
		}
		var err error
		if !r.opt.LazyQuotes {
			err = r.syntaxError(rec, pos, fmt.Sprintf("unexpected text after the closing %s of a quoted field", q))
		}
		// Python's csv appends the text up to the next delimiter.
		tail, end, _ := r.unquoted(after, rec)
		return v + tail, end, err
	}
}

// indexQuoteOrNUL returns the index of the first q or NUL byte in s, or -1.
// Without NUL bytes in the text it only looks for q.
func indexQuoteOrNUL(s string, q byte, nul bool) int {
	i := strings.IndexByte(s, q)
	if !nul {
		return i
	}
	if i < 0 {
		i = len(s)
	}
	if j := strings.IndexByte(s[:i], 0); j >= 0 {
		return j
	}
	if i == len(s) {
		return -1
	}
	return i
}

// syntaxError returns a per-record syntax error at byte offset pos.
func (r *csvReader) syntaxError(rec *Record, pos int, msg string) error {
	before := r.in[rec.Offset:pos]
	line := rec.Line + countLines(before)
	col := pos - lastLineStart(before, rec.Offset) + 1
	if line == rec.Line {
		return fmt.Errorf("%w: column %d: %s", ErrSyntax, col, msg)
	}
	return fmt.Errorf("%w: line %d, column %d: %s", ErrSyntax, line, col, msg)
}

// lastLineStart returns the absolute offset of the last line's start in s,
// where s starts at offset base.
func lastLineStart(s string, base int) int {
	if i := strings.LastIndexAny(s, "\r\n"); i >= 0 {
		return base + i + 1
	}
	return base
}
