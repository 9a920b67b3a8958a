// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// htmlRows reads every row of text with opt.
func htmlRows(t testing.TB, text string, opt HTMLTableOptions) (fields [][]string, raws []string, lines []int) {
	t.Helper()
	r, err := NewHTMLTableReader(text, opt)
	if err != nil {
		t.Fatal(err)
	}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return fields, raws, lines
		}
		if err != nil {
			t.Fatal(err)
		}
		fields = append(fields, append([]string(nil), rec.Fields...))
		raws = append(raws, rec.Raw)
		lines = append(lines, rec.Line)
	}
}

func TestHTMLTableReader(t *testing.T) {
	doc := `<!DOCTYPE html><html><body>
<table id="first"><tr><td>skip me</td></tr></table>
<TABLE class="data  wide" >
  <thead><tr><th>IP</th><th>Name</th></tr></thead>
  <tbody>
    <tr>
      <TD style='a "b"' class=" x  y ">1.2.3.4&nbsp;</TD>
      <td><a title="C&amp;C" href="/h">Ex &lt;1&gt;</a><img src="i.png" alt="-"> tail<!-- note --></td>
    </tr>
    <tr><td>  </td><td><script>var a = "<b>";</script>s</td><td>extra</td></tr>
  </tbody>
</TABLE>`
	fields, raws, lines := htmlRows(t, doc, HTMLTableOptions{AttrName: "class", AttrValue: "wide", SkipRows: 1})
	wantFields := [][]string{{"1.2.3.4", "Ex <1> tail"}, {"", "s", "extra"}}
	if diff := cmp.Diff(wantFields, fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	// BeautifulSoup's str(): sorted attributes, class words joined by one
	// space, white space between tags collapsed, void elements closed,
	// &, < and > escaped except in scripts, comments kept.
	wantRaws := []string{
		"<tr>\n<td class=\"x y\" style='a \"b\"'>1.2.3.4\u00a0</td>\n" +
			"<td><a href=\"/h\" title=\"C&amp;C\">Ex &lt;1&gt;</a><img alt=\"-\" src=\"i.png\"/> tail<!-- note --></td>\n</tr>",
		"<tr><td> </td><td><script>var a = \"<b>\";</script>s</td><td>extra</td></tr>",
	}
	if diff := cmp.Diff(wantRaws, raws); diff != "" {
		t.Errorf("raws (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{6, 10}, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

func TestHTMLTableSelection(t *testing.T) {
	doc := `<table><tr><td>a</td></tr><tr><td><table id="in"><tr><td>nested</td></tr></table></td></tr></table>
<table class="t"><tr><td>b</td></tr></table><table class="t u"><tr><td>c</td></tr></table>`
	for _, tc := range []struct {
		name string
		opt  HTMLTableOptions
		want [][]string
	}{
		// The rows of nested tables are rows of the outer one too.
		{"first", HTMLTableOptions{}, [][]string{{"a"}, {"nested", "nested"}, {"nested"}}},
		{"nested is second", HTMLTableOptions{TableIndex: 1}, [][]string{{"nested"}}},
		{"by id", HTMLTableOptions{AttrName: "id", AttrValue: "in"}, [][]string{{"nested"}}},
		{"class word", HTMLTableOptions{AttrName: "class", AttrValue: "t", TableIndex: 1}, [][]string{{"c"}}},
		{"whole class", HTMLTableOptions{AttrName: "class", AttrValue: "t u"}, [][]string{{"c"}}},
		{"skip", HTMLTableOptions{TableIndex: 2, SkipRows: 1}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, _ := htmlRows(t, doc, tc.opt)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	for _, opt := range []HTMLTableOptions{{TableIndex: 5}, {AttrName: "id", AttrValue: "none"}, {TableIndex: -1}} {
		if _, err := NewHTMLTableReader(doc, opt); err == nil {
			t.Errorf("%+v: want an error for a missing table", opt)
		}
	}
	if _, err := NewHTMLTableReader("no table", HTMLTableOptions{}); err == nil || !strings.Contains(err.Error(), "0 tables") {
		t.Errorf("text without a table: got %v", err)
	}
}

// TestHTMLTableUnclosed checks BeautifulSoup's tree without implied
// elements: a td left open holds the next, an end tag without an open
// element is ignored, and pre keeps its white space.
func TestHTMLTableUnclosed(t *testing.T) {
	fields, raws, _ := htmlRows(t, "<table><tr><td>a<td>b</tr></p><tr><td><pre> </pre>c", HTMLTableOptions{})
	want := [][]string{{"ab", "b"}, {"c"}}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if raws[1] != "<tr><td><pre> </pre>c</td></tr>" {
		t.Errorf("raw %q", raws[1])
	}
}

func FuzzHTMLTableReader(f *testing.F) {
	for _, s := range []string{
		"<table><tr><td>a</td></tr></table>", "<table class='x y'><tr><td>1<td>2</tr><tr></table>",
		"<TABLE><TR><TD>&amp;&lt;</TD><!-- c --></TR>", "<table><tr><td><script><tr></script></td>", "\x00<table>\r\n<tr>",
	} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(5))
	}
	f.Fuzz(func(t *testing.T, text string, flags uint8) {
		opt := HTMLTableOptions{TableIndex: int(flags & 1), SkipRows: int(flags>>1) & 1}
		if flags&4 != 0 {
			opt.AttrName, opt.AttrValue = "class", "x"
		}
		r, err := NewHTMLTableReader(text, opt)
		if err != nil {
			return
		}
		prev := 0
		for {
			rec, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(rec.Raw, "<tr") || !strings.HasSuffix(rec.Raw, "</tr>") {
				t.Fatalf("raw %q is not a tr element", rec.Raw)
			}
			if rec.Offset < prev || rec.Offset >= len(text) || rec.Line < 1 {
				t.Fatalf("position %d (line %d) after %d in %d bytes", rec.Offset, rec.Line, prev, len(text))
			}
			prev = rec.Offset
		}
	})
}
