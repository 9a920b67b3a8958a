// SPDX-License-Identifier: AGPL-3.0-or-later

package htmlfeed

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func describe(toks []Token) []string {
	var out []string
	for _, t := range toks {
		switch t.Kind {
		case StartTag:
			s := fmt.Sprintf("%d <%s", t.Line, t.Tag)
			for _, a := range t.Attrs {
				s += fmt.Sprintf(" %s=%q", a.Key, a.Val)
			}
			out = append(out, s+">")
		case EndTag:
			out = append(out, fmt.Sprintf("%d </%s>", t.Line, t.Tag))
		case Data:
			out = append(out, fmt.Sprintf("%d %q", t.Line, t.Data))
		}
	}
	return out
}

func TestFeed(t *testing.T) {
	lines := []string{
		"not fed <b>",
		"<tr><td><a href='x.php?q=a.com",
		"'>a.com",
		"</a></td></tr> </table>",
		"multi",
		"line &amp; text",
		"cut &am",
		"p; here<br/>",
		"<script>if (a<b) x();",
		"</script><TITLE>t <i>x</i></title><INPUT Value=\"v&lt;\">",
	}
	want := []string{
		"1 <tr>", "1 <td>", "2 <a href=\"x.php?q=a.com\">", "2 \"a.com\"",
		"3 </a>", "3 </td>", "3 </tr>", "3 \" \"", "3 </table>",
		"4 \"multi\"", "5 \"line & text\"", "7 \"cut & here\"", "7 <br>",
		"8 <script>", "9 \"if (a<b) x();\"", "9 </script>",
		"9 <title>", "9 \"t \"", "9 <i>", "9 \"x\"", "9 </i>", "9 </title>", "9 <input value=\"v<\">",
	}
	got := describe(Feed(lines, 1))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Feed:\n got %s\nwant %s", strings.Join(got, " | "), strings.Join(want, " | "))
	}
	if got := Feed(lines, len(lines)); got != nil {
		t.Errorf("Feed past the end = %v", got)
	}
}

func TestAttr(t *testing.T) {
	toks := Feed([]string{`<input value="a" VALUE="b" size=3>`}, 0)
	if v, ok := toks[0].Attr("value"); !ok || v != "a" {
		t.Errorf("Attr(value) = %q, %v; want the first, a", v, ok)
	}
	if _, ok := toks[0].Attr("name"); ok {
		t.Error("Attr(name) found")
	}
}
