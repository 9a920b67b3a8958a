// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rec is a Record as the tests compare it.
type rec struct {
	Line   int
	Raw    string
	Fields []string
	Names  []string
	Value  any
	Err    string
}

// readAll reads every record of r, copying what the reader reuses.
func readAll(t *testing.T, r Reader) ([]rec, error) {
	t.Helper()
	var out []rec
	for {
		x, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		c := rec{Line: x.Line, Raw: x.Raw, Value: x.Value}
		c.Fields = append(c.Fields, x.Fields...)
		c.Names = append(c.Names, x.Names...)
		if x.Err != nil {
			if !errors.Is(x.Err, ErrSyntax) {
				t.Errorf("record error %v does not wrap ErrSyntax", x.Err)
			}
			c.Err = x.Err.Error()
		}
		out = append(out, c)
	}
}

func TestCSVReader(t *testing.T) {
	tests := []struct {
		name    string
		opt     CSVOptions
		in      string
		want    []rec
		columns []string
		prefix  string
	}{
		{
			name: "plain",
			in:   "a,b,c\n1,2,3\n",
			want: []rec{{Line: 1, Raw: "a,b,c", Fields: []string{"a", "b", "c"}}, {Line: 2, Raw: "1,2,3", Fields: []string{"1", "2", "3"}}},
		},
		{
			name: "no final newline, empty fields",
			in:   "a,,\n,b",
			want: []rec{{Line: 1, Raw: "a,,", Fields: []string{"a", "", ""}}, {Line: 2, Raw: ",b", Fields: []string{"", "b"}}},
		},
		{
			name: "quoted fields with delimiter, doubled quote and line break",
			in:   "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\nx,y,z\n",
			want: []rec{
				{Line: 1, Raw: "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"", Fields: []string{"a,b", `say "hi"`, "two\nlines"}},
				{Line: 3, Raw: "x,y,z", Fields: []string{"x", "y", "z"}},
			},
		},
		{
			name: "mixed line endings",
			in:   "a,1\r\nb,2\rc,3\nd,4",
			want: []rec{
				{Line: 1, Raw: "a,1", Fields: []string{"a", "1"}},
				{Line: 2, Raw: "b,2", Fields: []string{"b", "2"}},
				{Line: 3, Raw: "c,3", Fields: []string{"c", "3"}},
				{Line: 4, Raw: "d,4", Fields: []string{"d", "4"}},
			},
		},
		{
			name: "quoted line breaks are kept verbatim",
			in:   "\"x\r\ny\",1\r\n\"p\rq\",2\r\n",
			want: []rec{
				{Line: 1, Raw: "\"x\r\ny\",1", Fields: []string{"x\r\ny", "1"}},
				{Line: 3, Raw: "\"p\rq\",2", Fields: []string{"p\rq", "2"}},
			},
		},
		{
			name: "comments and blank lines, IntelMQ generic CSV style",
			opt:  CSVOptions{Delimiter: "\t", Comments: []string{"#"}},
			in:   " # comment\n\t# tab comment\n   \n\t\t\n \t \n#x\n1\t2\n\n3\t4\n",
			want: []rec{{Line: 7, Raw: "1\t2", Fields: []string{"1", "2"}}, {Line: 9, Raw: "3\t4", Fields: []string{"3", "4"}}},
		},
		{
			name: "hash is data without comment prefixes",
			in:   "#a,b\n",
			want: []rec{{Line: 1, Raw: "#a,b", Fields: []string{"#a", "b"}}},
		},
		{
			name:    "header row",
			opt:     CSVOptions{Header: true, Comments: []string{"#"}},
			in:      "# top\nip,port\n1.2.3.4,80\n",
			columns: []string{"ip", "port"},
			prefix:  "ip,port\n",
			want:    []rec{{Line: 3, Raw: "1.2.3.4,80", Fields: []string{"1.2.3.4", "80"}}},
		},
		{
			name:   "skip lines after comments",
			opt:    CSVOptions{Skip: 2, Comments: []string{"#"}},
			in:     "#c\nfirst\n\nsecond\r\nx,y\n",
			prefix: "first\nsecond\r\n",
			want:   []rec{{Line: 5, Raw: "x,y", Fields: []string{"x", "y"}}},
		},
		{
			name:    "skip then header",
			opt:     CSVOptions{Skip: 1, Header: true},
			in:      "title\nh1,h2\nv1,v2\n",
			columns: []string{"h1", "h2"},
			prefix:  "title\nh1,h2\n",
			want:    []rec{{Line: 3, Raw: "v1,v2", Fields: []string{"v1", "v2"}}},
		},
		{
			name: "NUL bytes are removed from values",
			in:   "a\x00b,\"c\x00d\"\n\x00\n",
			want: []rec{{Line: 1, Raw: "a\x00b,\"c\x00d\"", Fields: []string{"ab", "cd"}}},
		},
		{
			name: "byte order mark",
			opt:  CSVOptions{Header: true},
			in:   "\uFEFFip\n1.2.3.4\n",
			want: []rec{{Line: 2, Raw: "1.2.3.4", Fields: []string{"1.2.3.4"}}}, columns: []string{"ip"}, prefix: "ip\n",
		},
		{
			name: "strict: bare quote",
			in:   "ab\"c,d\nok,1\n",
			want: []rec{
				{Line: 1, Raw: "ab\"c,d", Fields: []string{"ab\"c", "d"}, Err: "syntax error: column 3: bare \" in an unquoted field"},
				{Line: 2, Raw: "ok,1", Fields: []string{"ok", "1"}},
			},
		},
		{
			name: "strict: text after closing quote",
			in:   "\"ab\"cd,e\n",
			want: []rec{{Line: 1, Raw: "\"ab\"cd,e", Fields: []string{"abcd", "e"}, Err: "syntax error: column 5: unexpected text after the closing \" of a quoted field"}},
		},
		{
			name: "strict: unterminated quote runs to the end",
			in:   "ok,1\nx,\"open\nmore,2\n",
			want: []rec{
				{Line: 1, Raw: "ok,1", Fields: []string{"ok", "1"}},
				{Line: 2, Raw: "x,\"open\nmore,2\n", Fields: []string{"x", "open\nmore,2\n"}, Err: "syntax error: column 3: \" opens a field that is never closed"},
			},
		},
		{
			name: "strict: error on a later line of the record",
			in:   "\"a\nb\"x,1\n",
			want: []rec{{Line: 1, Raw: "\"a\nb\"x,1", Fields: []string{"a\nbx", "1"}, Err: "syntax error: line 2, column 3: unexpected text after the closing \" of a quoted field"}},
		},
		{
			name: "lazy quotes follow Python's csv",
			opt:  CSVOptions{LazyQuotes: true},
			in:   "ab\"c,\"x\"y\"z\",\"open\n",
			want: []rec{{Line: 1, Raw: "ab\"c,\"x\"y\"z\",\"open\n", Fields: []string{"ab\"c", "xy\"z\"", "open\n"}}},
		},
		{
			name: "no quoting",
			opt:  CSVOptions{NoQuote: true},
			in:   "\"a,b\"\n",
			want: []rec{{Line: 1, Raw: "\"a,b\"", Fields: []string{"\"a", "b\""}}},
		},
		{
			name: "other quote and multi-byte delimiter",
			opt:  CSVOptions{Quote: "'", Delimiter: "§"},
			in:   "'a§b'§c§'it''s'\n",
			want: []rec{{Line: 1, Raw: "'a§b'§c§'it''s'", Fields: []string{"a§b", "c", "it's"}}},
		},
		{
			name: "trim space",
			opt:  CSVOptions{TrimSpace: true, Header: true},
			in:   "SourceIp, FileTimeUtc ,  X\n 1.2.3.4 , \"q\" ,\t\n",
			want: []rec{{Line: 2, Raw: " 1.2.3.4 , \"q\" ,\t", Fields: []string{"1.2.3.4", "q", ""}}}, columns: []string{"SourceIp", "FileTimeUtc", "X"}, prefix: "SourceIp, FileTimeUtc ,  X\n",
		},
		{
			name: "trim space keeps a space delimiter",
			opt:  CSVOptions{TrimSpace: true, Delimiter: " "},
			in:   "ipset add \tx\t 1.2.3.4\n",
			want: []rec{{Line: 1, Raw: "ipset add \tx\t 1.2.3.4", Fields: []string{"ipset", "add", "x", "1.2.3.4"}}},
		},
		{
			name: "empty text",
			in:   "",
		},
		{
			name: "only comments",
			opt:  CSVOptions{Comments: []string{"#", "//"}},
			in:   "# a\n// b\n\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewCSVReader(tt.in, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(t, r)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.columns, r.Columns()); diff != "" {
				t.Errorf("columns (-want +got):\n%s", diff)
			}
			if got := r.Prefix(); got != tt.prefix {
				t.Errorf("prefix = %q, want %q", got, tt.prefix)
			}
		})
	}
}

func TestCSVReaderOptionErrors(t *testing.T) {
	for _, opt := range []CSVOptions{
		{Delimiter: ",,"},
		{Delimiter: "\n"},
		{Quote: "\r"},
		{Delimiter: "'", Quote: "'"},
		{Delimiter: "\x00"},
	} {
		if _, err := NewCSVReader("a", opt); err == nil {
			t.Errorf("NewCSVReader(%+v) succeeded, want an error", opt)
		}
	}
}

func TestCSVPrefixMakesSelfContainedReport(t *testing.T) {
	in := "# feed\nskipped\nip,port\n1.1.1.1,1\n2.2.2.2,\"2\"\n"
	opt := CSVOptions{Comments: []string{"#"}, Skip: 1, Header: true}
	r, _ := NewCSVReader(in, opt)
	all, err := readAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range all {
		r2, _ := NewCSVReader(r.Prefix()+x.Raw, opt)
		again, err := readAll(t, r2)
		if err != nil {
			t.Fatal(err)
		}
		if len(again) != 1 || !cmp.Equal(again[0].Fields, x.Fields) {
			t.Errorf("re-reading %q gives %+v, want the fields %q", r.Prefix()+x.Raw, again, x.Fields)
		}
	}
}

func TestJSONReader(t *testing.T) {
	tests := []struct {
		name string
		opt  JSONOptions
		in   string
		want []rec
		err  string
	}{
		{
			name: "top-level list",
			in:   "[\n  {\"ip\": \"1.2.3.4\", \"port\": 80},\n  {\"ip\": \"5.6.7.8\",\n   \"n\": 1.5}\n]\n",
			want: []rec{
				{Line: 2, Raw: `{"ip": "1.2.3.4", "port": 80}`, Value: map[string]any{"ip": "1.2.3.4", "port": 80}},
				{Line: 3, Raw: "{\"ip\": \"5.6.7.8\",\n   \"n\": 1.5}", Value: map[string]any{"ip": "5.6.7.8", "n": 1.5}},
			},
		},
		{
			name: "path to the list, other keys skipped",
			opt:  JSONOptions{Path: []string{"data", "items"}},
			in:   `{"meta": {"items": [9]}, "data": {"count": 2, "items": [1, "x", 131349599830000001, null]}}`,
			want: []rec{
				{Line: 1, Raw: "1", Value: 1},
				{Line: 1, Raw: `"x"`, Value: "x"},
				{Line: 1, Raw: "131349599830000001", Value: 131349599830000001},
				{Line: 1, Raw: "null", Value: nil},
			},
		},
		{
			name: "single object",
			opt:  JSONOptions{Single: true},
			in:   "\n {\"a\": [1, 2]} ",
			want: []rec{{Line: 2, Raw: `{"a": [1, 2]}`, Value: map[string]any{"a": []any{1, 2}}}},
		},
		{
			name: "single object at a path",
			opt:  JSONOptions{Path: []string{"x"}, Single: true},
			in:   `{"x": [1]}`,
			want: []rec{{Line: 1, Raw: `[1]`, Value: []any{1}}},
		},
		{name: "empty list", in: " [ ] "},
		{name: "invalid document", in: `[{"a": 1}, {"b": }]`, err: "json: invalid document: invalid character '}' looking for beginning of value"},
		{name: "empty document", in: " \n", err: "json: the document is empty"},
		{name: "not a list", in: `{"a": 1}`, err: "json: the records are not a list but an object; declare the input as a single record or give the path to the list"},
		{name: "missing key", opt: JSONOptions{Path: []string{"data"}}, in: `{"a": 1}`, err: `json: path "data": there is no key "data"`},
		{name: "path through a list", opt: JSONOptions{Path: []string{"a", "b"}}, in: `{"a": [1]}`, err: `json: path "a.b": the value holding "b" is not an object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewJSONReader(tt.in, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(t, r)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error = %v, want %q", err, tt.err)
				}
				if len(got) != 0 {
					t.Errorf("records before the error: %v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
		})
	}
}

func TestJSONLinesReader(t *testing.T) {
	in := "{\"a\": 1}\r\n\n  \n#c\n{\"b\": \"x\"} \nnot json\n{\"c\": 1} {\"d\": 2}\n[1.25]"
	r, _ := NewJSONLinesReader(in, JSONLinesOptions{Comments: []string{"#"}})
	got, err := readAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	want := []rec{
		{Line: 1, Raw: `{"a": 1}`, Value: map[string]any{"a": 1}},
		{Line: 5, Raw: `{"b": "x"} `, Value: map[string]any{"b": "x"}},
		{Line: 6, Raw: "not json", Err: "syntax error: invalid JSON: invalid character 'o' in literal null (expecting 'u')"},
		{Line: 7, Raw: `{"c": 1} {"d": 2}`, Err: "syntax error: invalid JSON: text after the document at column 10"},
		{Line: 8, Raw: "[1.25]", Value: []any{1.25}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

func TestLinesReader(t *testing.T) {
	tests := []struct {
		name    string
		opt     LinesOptions
		in      string
		want    []rec
		columns []string
	}{
		{
			name: "stripped lines, comments, blank lines",
			opt:  LinesOptions{Comments: []string{"#", ";"}},
			in:   "  1.2.3.4  \r\n\n # c\n;x\nexample.com",
			want: []rec{{Line: 1, Raw: "  1.2.3.4  ", Fields: []string{"1.2.3.4"}}, {Line: 5, Raw: "example.com", Fields: []string{"example.com"}}},
		},
		{
			name:    "named groups",
			opt:     LinesOptions{Pattern: regexp.MustCompile(`^(?P<ip>\S+)\s+(\d+)(?:\s+(?P<note>.*))?$`)},
			in:      "1.2.3.4 80 open port\n5.6.7.8 22\nbogus\n",
			columns: []string{"ip", "note"},
			want: []rec{
				{Line: 1, Raw: "1.2.3.4 80 open port", Fields: []string{"1.2.3.4", "open port"}},
				{Line: 2, Raw: "5.6.7.8 22", Fields: []string{"5.6.7.8", ""}},
				{Line: 3, Raw: "bogus", Err: `syntax error: the line does not match the pattern ^(?P<ip>\S+)\s+(\d+)(?:\s+(?P<note>.*))?$`},
			},
		},
		{
			name:    "unmatched lines skipped",
			opt:     LinesOptions{Pattern: regexp.MustCompile(`ip=(?P<ip>\S+)`), SkipUnmatched: true, Skip: 1},
			in:      "ip=header\nnoise\nip=1.1.1.1\n",
			columns: []string{"ip"},
			want:    []rec{{Line: 3, Raw: "ip=1.1.1.1", Fields: []string{"1.1.1.1"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewLinesReader(tt.in, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(t, r)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.columns, r.Columns()); diff != "" {
				t.Errorf("columns (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := NewLinesReader("", LinesOptions{Pattern: regexp.MustCompile(`(\d+)`)}); err == nil {
		t.Error("a pattern without named groups was accepted")
	}
}

func TestKVReader(t *testing.T) {
	tests := []struct {
		name string
		opt  KVOptions
		in   string
		want []rec
	}{
		{
			name: "defaults strip quotes, split at the last separator",
			in:   "src=1.2.3.4 msg=\"long value\" a=b=c novalue =x q=\" e=\n",
			want: []rec{{Line: 1, Raw: "src=1.2.3.4 msg=\"long value\" a=b=c novalue =x q=\" e=",
				Names:  []string{"src", "msg", "a=b", "q", "e"},
				Fields: []string{"1.2.3.4", "\"long", "c", "", ""}}},
		},
		{
			name: "other separators, quotes kept",
			opt:  KVOptions{PairSeparator: ";", KVSeparator: ":", KeepQuotes: true},
			in:   "  ip:1.1.1.1;;name:\"x\"  \n\n",
			want: []rec{{Line: 1, Raw: "  ip:1.1.1.1;;name:\"x\"  ", Names: []string{"ip", "name"}, Fields: []string{"1.1.1.1", "\"x\""}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := NewKVReader(tt.in, tt.opt)
			got, err := readAll(t, r)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
		})
	}
}

// tiling checks that the records of r and the text it skipped cover in
// exactly once, in order, and that every record's Raw is its text. Without
// ls it checks only order and text. With allowErr, Next may fail, but only
// before the first record.
func tiling(t *testing.T, in string, r Reader, ls *lineSkipper, allowErr bool) {
	t.Helper()
	pos, n := 0, 0
	if ls != nil {
		ls.onSkip = func(start, end int) {
			if start != pos {
				t.Fatalf("skipped text starts at %d, want %d", start, pos)
			}
			pos = end
		}
	}
	for {
		x, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if !allowErr || n > 0 {
				t.Fatalf("Next after %d records: %v", n, err)
			}
			return
		}
		n++
		if ls != nil && x.Offset != pos {
			t.Fatalf("record at %d, want %d (input %q)", x.Offset, pos, in)
		}
		if x.Offset < pos || x.End > len(in) || x.Offset+len(x.Raw) > x.End {
			t.Fatalf("record span [%d,%d) with raw %q out of order (input %q)", x.Offset, x.End, x.Raw, in)
		}
		if in[x.Offset:x.Offset+len(x.Raw)] != x.Raw {
			t.Fatalf("raw %q is not the text at its offset", x.Raw)
		}
		if term := in[x.Offset+len(x.Raw) : x.End]; ls != nil && term != "" && term != "\n" && term != "\r\n" && term != "\r" {
			t.Fatalf("record terminator %q", term)
		}
		if x.Line != 1+countLines(in[:x.Offset]) {
			t.Fatalf("record line %d, want %d", x.Line, 1+countLines(in[:x.Offset]))
		}
		pos = x.End
	}
	if ls != nil && pos != len(in) {
		t.Fatalf("text after %d not accounted for (input %q)", pos, in)
	}
}

func TestTilingExamples(t *testing.T) {
	in := "\uFEFF# c\nskip\nh\n\"a\r\nb\",c\r\n\n x,y\r"
	r, _ := NewCSVReader(in, CSVOptions{Comments: []string{"#"}, Skip: 1, Header: true})
	tiling(t, in, r, &r.(*csvReader).lineSkipper, false)
	if !strings.Contains(r.Prefix(), "skip") {
		t.Errorf("prefix %q", r.Prefix())
	}
}
