// SPDX-License-Identifier: AGPL-3.0-or-later

package chunk

import (
	"bytes"
	"io"
	"slices"
	"unicode/utf8"
)

// MaxHeader bounds the header block a split repeats; a document whose
// header is longer is not split.
const MaxHeader = 64 << 10

// Header decides whether a document that starts with sample (its first
// bytes, or all of it) can be split automatically, and returns the length
// of its header block: the leading blank lines and lines starting with "#"
// (after spaces and tabs), then rows more lines. It refuses content that
// is not line-oriented text: bytes that are not UTF-8 or are NUL
// (compressed or binary data), and a document starting with "[", "{" or
// "<" (JSON, HTML, XML), which cannot be cut at line ends.
func Header(sample []byte, rows int) (int, bool) {
	text := sample
	if len(text) > MaxHeader {
		text = text[:MaxHeader]
	}
	if i := bytes.LastIndexByte(text, '\n'); i >= 0 && len(sample) > len(text) {
		text = text[:i+1] // a cut may split a multi-byte character
	}
	if bytes.IndexByte(text, 0) >= 0 || !utf8.Valid(text) {
		return 0, false
	}
	if t := bytes.TrimLeft(bytes.TrimPrefix(text, []byte("\xef\xbb\xbf")), " \t\r\n"); len(t) > 0 && bytes.IndexByte([]byte("[{<"), t[0]) >= 0 {
		return 0, false
	}
	n, found := 0, false
	for n < len(text) {
		nl := bytes.IndexByte(text[n:], '\n')
		if nl < 0 {
			return 0, false // the header does not end within the sample
		}
		line := bytes.TrimLeft(text[n:n+nl], " \t")
		comment := len(bytes.TrimSpace(line)) == 0 || line[0] == '#'
		if !comment {
			if rows == 0 {
				found = true
				break
			}
			rows--
		}
		n += nl + 1
	}
	if !found {
		return 0, false // the header does not end within the sample
	}
	return n, true
}

// Split calls fn with reports of r: the first holds header and the
// first piece of the body, every other one header and the next piece.
// Pieces hold at most size bytes of the body, unless a record is longer,
// and end at line ends outside double-quoted fields, so that a CSV record
// whose quoted field spans lines stays whole (quotes on comment lines, a
// line starting with "#", do not count). raw is only valid during fn.
func Split(r io.Reader, header []byte, size int, fn func(raw []byte) error) error {
	buf := make([]byte, 0, len(header)+size+size/4)
	buf = append(buf, header...)
	body := len(header) // where the body starts in buf
	scan := lineScanner{first: -1}
	for {
		// Fill the body up to size bytes past what is already there.
		want := body + size
		if len(buf) >= want {
			want = len(buf) + size // no cut was possible: read more
		}
		buf = slices.Grow(buf, want-len(buf))
		n, err := io.ReadFull(r, buf[len(buf):want])
		buf = buf[:len(buf)+n]
		eof := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !eof {
			return err
		}
		cut := scan.lastCut(buf[body:])
		if len(buf)-body > size {
			// The first record is longer than size: end the piece with it.
			cut = scan.first
		}
		if eof {
			if len(buf) > body {
				return fn(buf)
			}
			return nil
		}
		if cut < 0 {
			continue
		}
		if err := fn(buf[:body+cut]); err != nil {
			return err
		}
		rest := copy(buf[len(header):], buf[body+cut:])
		buf = buf[:len(header)+rest]
		body = len(header)
		scan = lineScanner{first: -1}
	}
}

// lineScanner finds record ends in a growing piece of text: newlines
// outside double quotes. It remembers how far it scanned, so a piece that
// grows is not scanned again from its start.
type lineScanner struct {
	pos    int  // the next byte to scan
	quoted bool // pos is inside a double-quoted field
	inLine bool // pos is not at the start of a line
	cut    int  // the position after the last record end found, 0 for none
	first  int  // the position after the first record end found, -1 for none
}

// found records a record end at pos.
func (s *lineScanner) found() {
	s.cut = s.pos
	if s.first < 0 {
		s.first = s.pos
	}
}

// lastCut scans data, the piece so far (which begins a line outside
// quotes), and returns the position after its last newline outside double
// quotes, or -1 when there is none.
func (s *lineScanner) lastCut(data []byte) int {
	for s.pos < len(data) {
		if !s.inLine && !s.quoted {
			j := s.pos
			for j < len(data) && (data[j] == ' ' || data[j] == '\t') {
				j++
			}
			if j == len(data) {
				break // the start of the line is not there yet
			}
			if data[j] == '#' {
				// A comment line: skip to its end, quotes and all.
				nl := bytes.IndexByte(data[j:], '\n')
				if nl < 0 {
					break
				}
				s.pos = j + nl + 1
				s.found()
				continue
			}
		}
		c := data[s.pos]
		s.pos++
		s.inLine = true
		switch c {
		case '"':
			s.quoted = !s.quoted
		case '\n':
			s.inLine = false
			if !s.quoted {
				s.found()
			}
		}
	}
	if s.cut == 0 {
		return -1
	}
	return s.cut
}
