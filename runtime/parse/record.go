// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"errors"
	"strings"
)

// Record is one record of a report as a Reader yields it. A Reader reuses
// its Record (and the Fields and Names slices) between calls to Next, so a
// caller that keeps anything beyond the next call copies it; the strings
// themselves are immutable and may be kept.
type Record struct {
	// Line is the 1-based number of the physical line the record starts on.
	Line int
	// Offset is the byte offset of Raw in the report's text.
	Offset int
	// End is the offset just after the record's line terminator (or the end
	// of the text); Raw and the terminator together are text[Offset:End].
	End int
	// Raw is the exact text of the record without its final line
	// terminator: one line, or several when a quoted CSV field spans lines
	// or a JSON list element is pretty-printed.
	Raw string
	// Fields holds the record's values: CSV cells in column order, the
	// named groups of a line pattern, or the values of key=value pairs.
	Fields []string
	// Names holds the keys of key=value pairs, one per entry of Fields. It is
	// nil for the other formats, whose names are the Reader's Columns.
	Names []string
	// Value is the decoded JSON value of a JSON or JSON-lines record, with
	// numbers as int when integral and float64 otherwise.
	Value any
	// Err is a syntax error confined to this record (an unterminated quote,
	// an invalid JSON line, a line the pattern does not match). The record
	// is bad; the reader goes on with the next one.
	Err error
}

// Reader yields the records of one report's text.
type Reader interface {
	// Next returns the next record, or io.EOF after the last one. Any other
	// error means the text as a whole cannot be split (an invalid JSON
	// document): the report fails and no further records follow.
	Next() (*Record, error)
	// Columns returns the names of the Fields of every record: the CSV
	// header row (once the first record has been read) or the named groups
	// of a line pattern. It is nil when fields are positional or named per
	// record.
	Columns() []string
	// Prefix returns the exact text of the lines skipped at the start and of
	// the header row, each with its line terminator, once the first record
	// has been read. Prefix plus a record's Raw is a self-contained report
	// that the same parser reads back to that one record.
	Prefix() string
	// Comments returns the comment lines read so far, each without
	// surrounding white space, joined by "\n", when the reader's options
	// ask to keep them; "" otherwise. After Next it holds the comment
	// lines before the record returned.
	Comments() string
}

// ErrSyntax is wrapped by every per-record syntax error of the readers.
var ErrSyntax = errors.New("syntax error")

// lineEnd returns the end of the line starting at pos (the index of its
// terminator or len(s)) and the index just after the terminator. A line ends
// at "\n", "\r\n" or a lone "\r", as Python's universal newlines do.
func lineEnd(s string, pos int) (end, next int) {
	rest := s[pos:]
	i := strings.IndexByte(rest, '\n')
	if i < 0 {
		i = len(rest)
	}
	if j := strings.IndexByte(rest[:i], '\r'); j >= 0 {
		if j+1 == i && i < len(rest) {
			return pos + j, pos + i + 1 // \r\n
		}
		return pos + j, pos + j + 1 // lone \r
	}
	if i < len(rest) {
		return pos + i, pos + i + 1
	}
	return pos + i, pos + i
}

// countLines returns the number of line terminators in s ("\r\n" counts
// once).
func countLines(s string) int {
	n := strings.Count(s, "\n")
	if strings.IndexByte(s, '\r') < 0 {
		return n
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '\r' && (i+1 == len(s) || s[i+1] != '\n') {
			n++
		}
	}
	return n
}

// isBlank reports whether s holds only spaces, tabs and NUL bytes.
func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != ' ' && c != '\t' && c != 0 {
			return false
		}
	}
	return true
}

// hasCommentPrefix reports whether s, after leading spaces and tabs, starts
// with one of the prefixes.
func hasCommentPrefix(s string, prefixes []string) bool {
	if len(prefixes) == 0 {
		return false
	}
	i := 0 // strings.TrimLeft(s, " \t"), without building its set per line
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	s = s[i:]
	for _, p := range prefixes {
		if p != "" && strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// bomLen returns 3 when s starts with a UTF-8 byte order mark, else 0.
func bomLen(s string) int {
	if strings.HasPrefix(s, "\uFEFF") {
		return 3
	}
	return 0
}

// lineSkipper holds what every line-based reader shares: the text read
// piece by piece, the position, the line number, the skipped-line
// bookkeeping and the prefix text. Positions are indexes in in; records and
// onSkip report offsets in the whole text (base plus the index).
type lineSkipper struct {
	src    textSource
	in     string // the current piece, possibly after the rest of a record
	base   int    // offset of in[0] in the report's text
	pos    int    // the reader's position in in
	hasNUL bool   // in contains a NUL byte
	line   int
	skip   int // lines still to skip
	prefix strings.Builder
	onSkip func(start, end int) // tests: every byte not in a record
	begun  bool
	// keepComments makes comment lines go to comments.
	keepComments bool
	comments     strings.Builder
}

func newLineSkipper(src textSource, skip int, keepComments bool) lineSkipper {
	return lineSkipper{src: src, line: 1, skip: skip, keepComments: keepComments}
}

// Comments returns the comment lines kept so far.
func (ls *lineSkipper) Comments() string { return ls.comments.String() }

// dataLine is a line of text that is neither blank, a comment, nor one
// of the lines to skip.
type dataLine struct {
	raw, text   string // as written, and stripped of surrounding blanks
	line        int    // its number
	start, next int    // its offset in the piece, and the next line's
}

// nextLine returns the next data line of the line-based readers, passing
// over blank lines, comment lines (after leading blanks, one of comments)
// and the lines to skip; false at the end of the text.
func (ls *lineSkipper) nextLine(comments []string) (dataLine, bool) {
	ls.begin()
	for ls.more() {
		start := ls.pos
		end, next := lineEnd(ls.in, start)
		d := dataLine{raw: ls.in[start:end], line: ls.line, start: start, next: next}
		d.text = strings.TrimSpace(d.raw)
		ls.pos, ls.line = next, ls.line+1
		if d.text == "" || hasCommentPrefix(d.text, comments) {
			if d.text != "" {
				ls.comment(d.text)
			}
			ls.skipped(start, next)
			continue
		}
		if ls.skip > 0 {
			ls.skip--
			ls.toPrefix(start, next)
			continue
		}
		return d, true
	}
	return dataLine{}, false
}

// comment keeps the text of a comment line when asked to.
func (ls *lineSkipper) comment(text string) {
	if !ls.keepComments {
		return
	}
	if ls.comments.Len() > 0 {
		ls.comments.WriteByte('\n')
	}
	ls.comments.WriteString(strings.TrimSpace(text))
}

// begin is called by the readers at the start of Next; the first time, it
// reads the first piece and skips a byte order mark.
func (ls *lineSkipper) begin() {
	if ls.begun {
		return
	}
	ls.begun = true
	if ls.fill() {
		if n := bomLen(ls.in); n > 0 {
			ls.skipped(0, n)
			ls.pos = n
		}
	}
}

// more reports whether there is text at the position, reading the next
// piece when the current one is used up.
func (ls *lineSkipper) more() bool {
	return ls.pos < len(ls.in) || ls.fill()
}

// fill replaces the used-up piece by the next one; false at the end.
func (ls *lineSkipper) fill() bool {
	s, ok := ls.src.next()
	if !ok {
		return false
	}
	ls.base += len(ls.in)
	ls.in, ls.pos = s, 0
	ls.hasNUL = strings.IndexByte(s, 0) >= 0
	return true
}

// extend keeps in[from:], the start of a record that may go on, and adds
// at least as much text again from the next pieces, so that reading a long
// record again and again stays linear. The position moves to the kept
// start. It returns false at the end of the text.
func (ls *lineSkipper) extend(from int) bool {
	kept := ls.in[from:]
	var b strings.Builder
	b.WriteString(kept)
	added := 0
	for added == 0 || added < len(kept) {
		s, ok := ls.src.next()
		if !ok {
			break
		}
		b.WriteString(s)
		added += len(s)
	}
	if added == 0 {
		return false
	}
	ls.base += from
	ls.in, ls.pos = b.String(), 0
	ls.hasNUL = strings.IndexByte(ls.in, 0) >= 0
	return true
}

// skipped accounts for in[start:end] as text that is no record.
func (ls *lineSkipper) skipped(start, end int) {
	if ls.onSkip != nil && end > start {
		ls.onSkip(ls.base+start, ls.base+end)
	}
}

// toPrefix adds in[start:end] to the prefix text and accounts for it.
func (ls *lineSkipper) toPrefix(start, end int) {
	ls.prefix.WriteString(ls.in[start:end])
	ls.skipped(start, end)
}

// global turns a record's positions in in into offsets in the text.
func (ls *lineSkipper) global(rec *Record) *Record {
	rec.Offset += ls.base
	rec.End += ls.base
	return rec
}
