// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"io"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// csvFuzzOptions derives reader options from the fuzzer's flag byte.
func csvFuzzOptions(flags byte) CSVOptions {
	opt := CSVOptions{
		LazyQuotes: flags&1 != 0,
		Header:     flags&2 != 0,
		TrimSpace:  flags&4 != 0,
		NoQuote:    flags&8 != 0,
		Skip:       int(flags>>6) & 3,
	}
	if flags&16 != 0 {
		opt.Comments = []string{"#", "//"}
	}
	if flags&32 != 0 {
		opt.Delimiter, opt.Quote = "\t", "'"
	}
	return opt
}

func FuzzCSVReader(f *testing.F) {
	for _, s := range []string{
		"a,b,c\n1,2,3\n", "\"a,b\",\"x\"\"y\"\n\"multi\nline\",2\r\n", "# c\n\n \t\nh1,h2\r\nv1,v2\rv3,v4",
		"ab\"c,\"x\"y,\"open\n", "a\x00b,\"\x00\"\n\x00\n", "\uFEFFip\n1.2.3.4", "'a\tb'\t''''\tc\n", " \"q\" , x \n",
	} {
		for _, flags := range []byte{0, 1, 2, 3, 16 | 2 | 64, 32 | 4, 8, 255} {
			f.Add(s, flags)
		}
	}
	f.Fuzz(func(t *testing.T, in string, flags byte) {
		opt := csvFuzzOptions(flags)
		r, err := NewCSVReader(in, opt)
		if err != nil {
			t.Fatal(err)
		}
		cr := r.(*csvReader)
		tiling(t, in, r, &cr.lineSkipper, false)

		// Every record, read again after the prefix, gives the same fields.
		r, _ = NewCSVReader(in, opt)
		var all []rec
		all, err = readAll(t, r)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range all {
			if bomLen(r.Prefix()+x.Raw) > 0 {
				continue // a byte order mark inside the text is data, at the start it is not
			}
			again, _ := NewCSVReader(r.Prefix()+x.Raw, opt)
			got, err := readAll(t, again)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || !cmp.Equal(got[0].Fields, x.Fields) || got[0].Err == "" != (x.Err == "") {
				t.Fatalf("record %q after prefix %q reads back as %+v, want fields %q (err %q)", x.Raw, r.Prefix(), got, x.Fields, x.Err)
			}
		}
	})
}

func FuzzLinesReader(f *testing.F) {
	for _, s := range []string{"1.2.3.4\n  # c\n\nexample.com x=1\r\n", "ip=1 port=2\rip=3", "\uFEFF\n\n"} {
		f.Add(s, byte(0))
		f.Add(s, byte(3))
	}
	pattern := regexp.MustCompile(`^(?P<ip>[0-9.]+)(?:\s+(?P<rest>.*))?$`)
	f.Fuzz(func(t *testing.T, in string, flags byte) {
		opt := LinesOptions{Skip: int(flags>>6) & 3}
		if flags&1 != 0 {
			opt.Comments = []string{"#"}
		}
		if flags&2 != 0 {
			opt.Pattern = pattern
			opt.SkipUnmatched = flags&4 != 0
		}
		r, err := NewLinesReader(in, opt)
		if err != nil {
			t.Fatal(err)
		}
		tiling(t, in, r, &r.(*linesReader).lineSkipper, false)
	})
}

func FuzzKVReader(f *testing.F) {
	for _, s := range []string{"a=1 b=\"2\" c\n\n d==e=f", "x:1;y:\"\";;z\r\n"} {
		f.Add(s, byte(0))
		f.Add(s, byte(1))
	}
	f.Fuzz(func(t *testing.T, in string, flags byte) {
		opt := KVOptions{KeepQuotes: flags&2 != 0, Skip: int(flags>>6) & 3}
		if flags&1 != 0 {
			opt.PairSeparator, opt.KVSeparator = ";", ":"
		}
		r, _ := NewKVReader(in, opt)
		kr := r.(*kvReader)
		tiling(t, in, r, &kr.lineSkipper, false)
		r, _ = NewKVReader(in, opt)
		for {
			x, err := r.Next()
			if err == io.EOF {
				break
			}
			if len(x.Names) != len(x.Fields) {
				t.Fatalf("%d names for %d values", len(x.Names), len(x.Fields))
			}
			for _, n := range x.Names {
				if n == "" {
					t.Fatal("empty key")
				}
			}
		}
	})
}

func FuzzJSONReader(f *testing.F) {
	for _, s := range []string{`[{"a": 1}, {"b": [1, 2.5, "x"]}]`, `{"data": {"items": [1, 2]}}`, "\uFEFF [\n] ", `{"a": 1}`, `[1, }`} {
		f.Add(s, byte(0))
		f.Add(s, byte(1))
		f.Add(s, byte(2))
	}
	f.Fuzz(func(t *testing.T, in string, flags byte) {
		opt := JSONOptions{Single: flags&1 != 0}
		if flags&2 != 0 {
			opt.Path = []string{"data", "items"}
		}
		r, _ := NewJSONReader(in, opt)
		tiling(t, in, r, nil, true)
	})
}

func FuzzJSONLinesReader(f *testing.F) {
	for _, s := range []string{"{\"a\": 1}\r\n\n[1]\nbad\n# c\n", "1 2\n\"x\""} {
		f.Add(s, byte(0))
		f.Add(s, byte(1))
	}
	f.Fuzz(func(t *testing.T, in string, flags byte) {
		opt := JSONLinesOptions{Skip: int(flags>>6) & 3}
		if flags&1 != 0 {
			opt.Comments = []string{"#"}
		}
		r, _ := NewJSONLinesReader(in, opt)
		tiling(t, in, r, &r.(*jsonLinesReader).lineSkipper, false)
	})
}

func FuzzChunkedReading(f *testing.F) {
	for _, s := range []string{"# c\nskip\nh1,h2\n1,2\n\"multi\nline\",x\r\n\"open\nend", "a=1 b=2\n\n{\"x\": 1}\n", "x\r\ny\rz"} {
		f.Add(s, byte(0))
		f.Add(s, byte(3))
	}
	f.Fuzz(func(t *testing.T, in string, size byte) {
		if !utf8.ValidString(in) {
			in = strings.ToValidUTF8(in, "")
		}
		sameChunked(t, in, 4*(1+int(size%32)))
	})
}
