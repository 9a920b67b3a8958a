// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"encoding/base64"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// chunked returns a source decoding the base64 of text size base64
// characters at a time.
func chunked(t testing.TB, text string, size int) *b64Chunks {
	t.Helper()
	c, ok := newB64Chunks(base64.StdEncoding.EncodeToString([]byte(text)))
	if !ok {
		t.Fatalf("the encoding of %q is not canonical", text)
	}
	c.size = size
	return c
}

func TestB64Chunks(t *testing.T) {
	texts := []string{"", "a", "ab", "abc", "line 1\nline 2\r\nline 3", "\n\n\n", "no newline at all but long enough",
		"ünïcödé\nтекст\n", "a\r\nb\rc\n"}
	for _, text := range texts {
		for _, size := range []int{4, 8, 12, 64, chunkSize} {
			c := chunked(t, text, size)
			var pieces []string
			for {
				s, ok := c.next()
				if !ok {
					break
				}
				pieces = append(pieces, s)
			}
			if got := strings.Join(pieces, ""); got != text {
				t.Errorf("size %d: pieces of %q join to %q", size, text, got)
			}
			for i, p := range pieces {
				if p == "" || i < len(pieces)-1 && !strings.HasSuffix(p, "\n") {
					t.Errorf("size %d: piece %d of %q is %q", size, i, text, p)
				}
			}
		}
	}
	// Invalid UTF-8 is dropped, as IntelMQ's base64_decode does.
	c, _ := newB64Chunks(base64.StdEncoding.EncodeToString([]byte("a\xffb\nc\xfe")))
	c.size = 4
	var all string
	for s, ok := c.next(); ok; s, ok = c.next() {
		all += s
	}
	if all != "ab\nc" {
		t.Errorf("invalid UTF-8: got %q", all)
	}
	for _, s := range []string{"YQ", "YQ=", "Y===", "YW Jj", "YW\nJj", "YQ==YQ==", "*abc"} {
		if _, ok := newB64Chunks(s); ok {
			t.Errorf("%q taken as canonical base64", s)
		}
	}
	for _, s := range []string{"", "YQ==", "YWI=", "YWJj", "+/+/"} {
		if _, ok := newB64Chunks(s); !ok {
			t.Errorf("%q not taken as canonical base64", s)
		}
	}
}

// readerKinds builds each line-based reader over a source, for the
// comparison of whole and chunked reading.
var readerKinds = map[string]func(src textSource) (Reader, *lineSkipper){
	"csv": func(src textSource) (Reader, *lineSkipper) {
		r, _ := newCSVReader(src, CSVOptions{Comments: []string{"#"}, Skip: 1, Header: true})
		return r, &r.lineSkipper
	},
	"csv-lazy": func(src textSource) (Reader, *lineSkipper) {
		r, _ := newCSVReader(src, CSVOptions{LazyQuotes: true})
		return r, &r.lineSkipper
	},
	"lines": func(src textSource) (Reader, *lineSkipper) {
		r, _ := newLinesReader(src, LinesOptions{Comments: []string{"#"}})
		return r, &r.lineSkipper
	},
	"kv": func(src textSource) (Reader, *lineSkipper) {
		r := newKVReader(src, KVOptions{})
		return r, &r.lineSkipper
	},
	"jsonlines": func(src textSource) (Reader, *lineSkipper) {
		r := newJSONLinesReader(src, JSONLinesOptions{})
		return r, &r.lineSkipper
	},
}

// sameChunked checks that reading text in pieces of size base64 characters
// gives the same records, offsets, columns and prefix as reading it whole,
// and that the chunked reading accounts for every byte.
func sameChunked(t *testing.T, text string, size int) {
	t.Helper()
	for name, build := range readerKinds {
		whole, _ := build(&wholeText{s: text})
		want, err := readAllOffsets(t, whole)
		if err != nil {
			t.Fatal(err)
		}
		pieces, _ := build(chunked(t, text, size))
		got, err := readAllOffsets(t, pieces)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("%s, size %d, text %q: chunked reading differs (-whole +chunked):\n%s", name, size, text, diff)
		}
		if !cmp.Equal(whole.Columns(), pieces.Columns()) || whole.Prefix() != pieces.Prefix() {
			t.Fatalf("%s, size %d: columns %q/%q, prefix %q/%q", name, size, whole.Columns(), pieces.Columns(),
				whole.Prefix(), pieces.Prefix())
		}
		r, ls := build(chunked(t, text, size))
		tiling(t, text, r, ls, false)
	}
}

// offsetRec is a record with its offsets.
type offsetRec struct {
	Rec         rec
	Offset, End int
}

// readAllOffsets reads every record of r with its offsets.
func readAllOffsets(t *testing.T, r Reader) ([]offsetRec, error) {
	t.Helper()
	var out []offsetRec
	for {
		x, err := r.Next()
		if err != nil {
			if err == io.EOF {
				return out, nil
			}
			return out, err
		}
		c := offsetRec{Rec: rec{Line: x.Line, Raw: x.Raw, Value: x.Value}, Offset: x.Offset, End: x.End}
		c.Rec.Fields = append(c.Rec.Fields, x.Fields...)
		c.Rec.Names = append(c.Rec.Names, x.Names...)
		if x.Err != nil {
			c.Rec.Err = x.Err.Error()
		}
		out = append(out, c)
	}
}

func TestChunkedReading(t *testing.T) {
	texts := []string{
		"# c\nskip\nh1,h2\n1,2\n\"multi\nline\nfield\",x\r\n\"open\nto the\nend",
		"a=1 b=2\n\n{\"x\": 1}\n  # c\n\"q\"\"q\",\"\n\"\n",
		strings.Repeat("192.0.2.1,\"a\nb\",c\n", 40),
		"x,\"" + strings.Repeat("long quoted line\n", 200) + "\"\nlast,1",
	}
	for _, text := range texts {
		for _, size := range []int{4, 8, 16, 28, 100, chunkSize} {
			sameChunked(t, text, size)
		}
	}
}

func TestB64ChunksLong(t *testing.T) {
	// A byte outside the alphabet is found wherever it is.
	valid := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("abc", 7)))
	for i := range len(valid) {
		for _, bad := range []byte{'*', '\n', '-', 0x80} {
			s := valid[:i] + string(bad) + valid[i+1:]
			if _, ok := newB64Chunks(s); ok {
				t.Errorf("%q taken as canonical base64", s)
			}
		}
	}
	// Decoding gives what encoding/base64 gives, for every length and
	// padding.
	data := []byte(strings.Repeat("\x00\xffline\n\x7f", 40))
	for n := range len(data) {
		s := base64.StdEncoding.EncodeToString(data[:n])
		got := appendB64Decode([]byte("x"), s)
		if string(got) != "x"+string(data[:n]) {
			t.Fatalf("appendB64Decode of %d bytes = %q", n, got)
		}
	}
	// So does the table decoder, for every byte value.
	tables := newB64Tables()
	rng := rand.New(rand.NewPCG(7, 8))
	for n := range 300 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		s := base64.StdEncoding.EncodeToString(b)
		if got := tables.appendDecode([]byte("xy"), s); string(got) != "xy"+string(b) {
			t.Fatalf("appendDecode of %d bytes = %q, want %q", n, got, b)
		}
	}
}
