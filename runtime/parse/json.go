// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// JSONOptions configures a JSON reader.
type JSONOptions struct {
	// Path is the sequence of object keys leading from the document's root
	// to the list of records; empty means the root is the list.
	Path []string
	// Single makes the value at Path itself the one record.
	Single bool
}

// jsonReader is the Reader of JSONOptions: one JSON document, read element
// by element so that only one element is decoded at a time.
type jsonReader struct {
	opt     JSONOptions
	in      string
	dec     *json.Decoder
	base    int // offset of the document in in (after a byte order mark)
	started bool
	list    bool // the records are the elements of a list
	done    bool
	line    int // line number at lineAt
	lineAt  int
	rec     Record
}

// NewJSONReader returns a Reader over the JSON document text.
func NewJSONReader(text string, opt JSONOptions) (Reader, error) {
	n := bomLen(text)
	return &jsonReader{opt: opt, in: text, base: n, lineAt: n, line: 1}, nil
}

// Columns returns nil: JSON records name their own keys.
func (r *jsonReader) Columns() []string { return nil }

// Prefix returns "": a JSON record is self-contained.
func (r *jsonReader) Prefix() string { return "" }

// Comments returns "": a JSON document has no comment lines.
func (r *jsonReader) Comments() string { return "" }

// Next returns the next record. The whole document is checked before the
// first record is returned, so an invalid document yields no record at all.
func (r *jsonReader) Next() (*Record, error) {
	if !r.started {
		r.started = true
		if err := r.start(); err != nil {
			r.done = true
			return nil, err
		}
	}
	if r.done {
		return nil, io.EOF
	}
	if r.list && !r.dec.More() {
		r.done = true
		return nil, io.EOF
	}
	start := skipJSONSpace(r.in, r.offset())
	var v any
	if err := r.dec.Decode(&v); err != nil {
		r.done = true
		return nil, fmt.Errorf("json: %w", err)
	}
	end := r.offset()
	if !r.list {
		r.done = true
	}
	r.line += countLines(r.in[r.lineAt:start])
	r.lineAt = start
	r.rec = Record{Line: r.line, Offset: start, End: end, Raw: r.in[start:end], Value: convertNumbers(v)}
	return &r.rec, nil
}

// start checks the document and positions the decoder on the records.
func (r *jsonReader) start() error {
	doc := r.in[r.base:]
	if strings.TrimSpace(doc) == "" {
		return errors.New("json: the document is empty")
	}
	if !json.Valid([]byte(doc)) {
		var x json.RawMessage
		err := json.Unmarshal([]byte(doc), &x)
		return fmt.Errorf("json: invalid document: %w", err)
	}
	r.dec = json.NewDecoder(strings.NewReader(doc))
	r.dec.UseNumber()
	for _, key := range r.opt.Path {
		if err := r.enter(key); err != nil {
			return err
		}
	}
	if r.opt.Single {
		return nil
	}
	if c := r.peek(); c != '[' {
		return fmt.Errorf("json: the records are not a list but %s; declare the input as a single record or give the path to the list", jsonKind(c))
	}
	if _, err := r.dec.Token(); err != nil {
		return fmt.Errorf("json: %w", err)
	}
	r.list = true
	return nil
}

// offset returns the decoder's position in r.in.
func (r *jsonReader) offset() int { return r.base + int(r.dec.InputOffset()) }

// peek returns the first byte of the next value.
func (r *jsonReader) peek() byte {
	if i := skipJSONSpace(r.in, r.offset()); i < len(r.in) {
		return r.in[i]
	}
	return 0
}

// enter moves the decoder into the value of key in the object that follows.
func (r *jsonReader) enter(key string) error {
	if r.peek() != '{' {
		return fmt.Errorf("json: path %q: the value holding %q is not an object", strings.Join(r.opt.Path, "."), key)
	}
	if _, err := r.dec.Token(); err != nil {
		return fmt.Errorf("json: %w", err)
	}
	for r.dec.More() {
		tok, err := r.dec.Token()
		if err != nil {
			return fmt.Errorf("json: %w", err)
		}
		if tok == key {
			return nil
		}
		var skip json.RawMessage
		if err := r.dec.Decode(&skip); err != nil {
			return fmt.Errorf("json: %w", err)
		}
	}
	return fmt.Errorf("json: path %q: there is no key %q", strings.Join(r.opt.Path, "."), key)
}

// jsonKind names the kind of JSON value that starts with c.
func jsonKind(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// skipJSONSpace skips white space and the separators "," and ":" that the
// decoder has not consumed yet.
func skipJSONSpace(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case ' ', '\t', '\r', '\n', ',', ':':
			i++
		default:
			return i
		}
	}
	return i
}

// convertNumbers replaces, in place, every json.Number in v by an int when
// it is integral and fits, else by a float64, so expressions compute with
// them and large integers (Windows NT timestamps) keep their precision.
// (compiler/plan's contract says float64; JSON keys are VarAny, so the
// programs accept both, and "%" and exact integers need int.)
func convertNumbers(v any) any {
	switch t := v.(type) {
	case json.Number:
		if n, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return int(n)
		}
		f, _ := strconv.ParseFloat(string(t), 64)
		return f
	case map[string]any:
		for k, x := range t {
			t[k] = convertNumbers(x)
		}
	case []any:
		for i, x := range t {
			t[i] = convertNumbers(x)
		}
	}
	return v
}

// JSONLinesOptions configures a JSON-lines reader: one JSON document per
// line.
type JSONLinesOptions struct {
	// Comments lists line prefixes of lines to skip.
	Comments []string
	// Skip is the number of lines skipped at the start.
	Skip int
	// KeepComments keeps the comment lines for Reader.Comments.
	KeepComments bool
}

// jsonLinesReader is the Reader of JSONLinesOptions.
type jsonLinesReader struct {
	lineSkipper
	opt JSONLinesOptions
	rec Record
}

// NewJSONLinesReader returns a Reader over text with one JSON document per
// line. Blank lines are skipped; a line that is not one valid JSON document
// is a bad record.
func NewJSONLinesReader(text string, opt JSONLinesOptions) (Reader, error) {
	return newJSONLinesReader(&wholeText{s: text}, opt), nil
}

// newJSONLinesReader returns a JSON-lines Reader over the text of src.
func newJSONLinesReader(src textSource, opt JSONLinesOptions) *jsonLinesReader {
	return &jsonLinesReader{lineSkipper: newLineSkipper(src, opt.Skip, opt.KeepComments), opt: opt}
}

// Columns returns nil: JSON records name their own keys.
func (r *jsonLinesReader) Columns() []string { return nil }

// Prefix returns the skipped lines.
func (r *jsonLinesReader) Prefix() string { return r.prefix.String() }

// Next returns the next record.
func (r *jsonLinesReader) Next() (*Record, error) {
	r.begin()
	for r.more() {
		start := r.pos
		end, next := lineEnd(r.in, start)
		text := r.in[start:end]
		r.pos = next
		r.line++
		if strings.TrimSpace(text) == "" || hasCommentPrefix(text, r.opt.Comments) {
			if strings.TrimSpace(text) != "" {
				r.comment(text)
			}
			r.skipped(start, next)
			continue
		}
		if r.skip > 0 {
			r.skip--
			r.toPrefix(start, next)
			continue
		}
		r.rec = Record{Line: r.line - 1, Offset: r.base + start, End: r.base + next, Raw: text}
		r.rec.Value, r.rec.Err = decodeJSONLine(text)
		return &r.rec, nil
	}
	return nil, io.EOF
}

// decodeJSONLine decodes a line that must hold exactly one JSON document.
func decodeJSONLine(text string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: invalid JSON: %v", ErrSyntax, err)
	}
	tail := text[dec.InputOffset():]
	if rest := strings.TrimLeft(tail, " \t\r\n"); rest != "" {
		col := len(text) - len(rest) + 1
		return nil, fmt.Errorf("%w: invalid JSON: text after the document at column %d", ErrSyntax, col)
	}
	return convertNumbers(v), nil
}
