// SPDX-License-Identifier: AGPL-3.0-or-later

package parse

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/net/html"
)

// HTMLTableOptions configures the HTML table reader (IntelMQ's html_table
// parser).
type HTMLTableOptions struct {
	// TableIndex selects the table among the matching ones, 0-based, in
	// document order (nested tables included).
	TableIndex int
	// AttrName, when not empty, keeps only the tables whose attribute
	// AttrName matches AttrValue: equal to it or, for a space-separated
	// attribute such as class, to one of its words.
	AttrName  string
	AttrValue string
	// SkipRows is the number of rows of the table skipped before the first
	// record (IntelMQ's skip_table_head skips one).
	SkipRows int
}

// htmlTableReader yields the rows of one table of an HTML document. Each
// record is one tr element of the table (nested tables' rows included, as
// BeautifulSoup's find_all finds them): Fields holds the text of each of
// its td cells, without surrounding white space, and Raw the row's HTML as
// BeautifulSoup writes it back (attributes sorted, white space between
// tags collapsed), which is the raw IntelMQ's html_table parser gives.
type htmlTableReader struct {
	rows []*hnode
	next int
	rec  Record
}

// NewHTMLTableReader parses text as HTML the way BeautifulSoup with
// Python's html.parser builds its tree (no implied elements: an end tag
// closes the latest open element of its name) and returns a Reader of the
// rows of the selected table. An error means the document has no such
// table; the report fails, as IntelMQ's parser raises.
func NewHTMLTableReader(text string, opt HTMLTableOptions) (Reader, error) {
	if opt.TableIndex < 0 {
		return nil, fmt.Errorf("html_table: the table index %d is negative", opt.TableIndex)
	}
	root := buildHTML(text)
	var tables []*hnode
	root.walk(func(n *hnode) {
		if n.kind == hElement && n.name == "table" && (opt.AttrName == "" || n.attrMatches(opt.AttrName, opt.AttrValue)) {
			tables = append(tables, n)
		}
	})
	if opt.TableIndex >= len(tables) {
		what := "tables"
		if opt.AttrName != "" {
			what = fmt.Sprintf("tables with %s=%q", opt.AttrName, opt.AttrValue)
		}
		return nil, fmt.Errorf("html_table: the report has %d %s, so none at index %d", len(tables), what, opt.TableIndex)
	}
	var rows []*hnode
	tables[opt.TableIndex].walkBelow(func(n *hnode) {
		if n.kind == hElement && n.name == "tr" {
			rows = append(rows, n)
		}
	})
	if opt.SkipRows > 0 {
		rows = rows[min(opt.SkipRows, len(rows)):]
	}
	return &htmlTableReader{rows: rows}, nil
}

// Next returns the next row.
func (r *htmlTableReader) Next() (*Record, error) {
	if r.next >= len(r.rows) {
		return nil, io.EOF
	}
	row := r.rows[r.next]
	r.next++
	fields := r.rec.Fields[:0]
	row.walkBelow(func(n *hnode) {
		if n.kind == hElement && n.name == "td" {
			fields = append(fields, strings.TrimFunc(n.text(), isPythonSpace))
		}
	})
	var b strings.Builder
	row.write(&b)
	// The raw is written anew, so it is no slice of the text: End equals
	// Offset, and the record has no line terminator.
	r.rec = Record{Line: row.line, Offset: row.offset, End: row.offset, Raw: b.String(), Fields: fields}
	return &r.rec, nil
}

// Columns returns nil: cells are positional.
func (r *htmlTableReader) Columns() []string { return nil }

// Prefix returns "": a row's raw stands alone.
func (r *htmlTableReader) Prefix() string { return "" }

// Comments returns "": an HTML table has no comment lines.
func (r *htmlTableReader) Comments() string { return "" }

// isPythonSpace reports whether Python's str.strip removes r.
func isPythonSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// The kinds of nodes of the HTML tree.
const (
	hRoot uint8 = iota
	hElement
	hText
	hComment
	hDoctype
)

// hnode is a node of the HTML tree.
type hnode struct {
	kind     uint8
	name     string // element name, lower case
	attrs    []html.Attribute
	data     string // text, comment or doctype content
	children []*hnode
	parent   *hnode
	offset   int // byte offset of the node's first token in the text
	line     int // 1-based line of that token
}

// isVoid reports whether BeautifulSoup closes the element at its start tag
// and writes it as <name/> (its HTML builder's empty_element_tags).
func isVoid(name string) bool {
	switch name {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "menuitem", "meta",
		"param", "source", "track", "wbr", "basefont", "bgsound", "command", "frame", "image", "isindex",
		"nextid", "spacer":
		return true
	}
	return false
}

// listAttr reports whether BeautifulSoup treats the attribute as a list of
// space-separated words (its cdata_list_attributes), which it writes back
// joined by single spaces.
func listAttr(elem, attr string) bool {
	switch attr {
	case "class", "accesskey", "dropzone":
		return true
	case "rel", "rev":
		return elem == "a" || elem == "link" || (attr == "rel" && elem == "area")
	case "headers":
		return elem == "td" || elem == "th"
	case "accept-charset":
		return elem == "form"
	case "archive":
		return elem == "object"
	case "sizes":
		return elem == "icon"
	case "sandbox":
		return elem == "iframe"
	case "for":
		return elem == "output"
	}
	return false
}

// unescapedText reports whether the text of the element is written as is
// (BeautifulSoup's cdata_containing_tags) and left out of cell text.
func unescapedText(elem string) bool { return elem == "script" || elem == "style" }

// attrMatches reports whether the element's attribute name matches value as
// BeautifulSoup's find_all(attrs={name: value}) does: an absent attribute
// matches only "".
func (n *hnode) attrMatches(name, value string) bool {
	for _, a := range n.attrs {
		if a.Key != name {
			continue
		}
		if a.Val == value {
			return true
		}
		if listAttr(n.name, name) {
			words := strings.Fields(a.Val)
			if strings.Join(words, " ") == value {
				return true
			}
			for _, w := range words {
				if w == value {
					return true
				}
			}
		}
		return false
	}
	return value == ""
}

// walk calls f for n and its descendants in document order.
func (n *hnode) walk(f func(*hnode)) {
	f(n)
	n.walkBelow(f)
}

// walkBelow calls f for the descendants of n in document order.
func (n *hnode) walkBelow(f func(*hnode)) {
	for _, c := range n.children {
		c.walk(f)
	}
}

// text returns the element's text as BeautifulSoup's .text gives it: its
// descendant text nodes concatenated, without comments and without the
// content of script and style elements.
func (n *hnode) text() string {
	var b strings.Builder
	var rec func(*hnode)
	rec = func(n *hnode) {
		for _, c := range n.children {
			switch c.kind {
			case hText:
				if !unescapedText(n.name) {
					b.WriteString(c.data)
				}
			case hElement:
				rec(c)
			}
		}
	}
	rec(n)
	return b.String()
}

// write writes n as BeautifulSoup's str() does with its "minimal"
// formatter: attributes sorted by name, &, < and > escaped, void elements
// as <name/>.
func (n *hnode) write(b *strings.Builder) {
	switch n.kind {
	case hText:
		if n.parent != nil && unescapedText(n.parent.name) {
			b.WriteString(n.data)
		} else {
			b.WriteString(escapeMinimal(n.data))
		}
		return
	case hComment:
		b.WriteString("<!--" + n.data + "-->")
		return
	case hDoctype:
		b.WriteString("<!DOCTYPE " + n.data + ">")
		return
	case hRoot:
		for _, c := range n.children {
			c.write(b)
		}
		return
	}
	b.WriteByte('<')
	b.WriteString(n.name)
	attrs := append([]html.Attribute(nil), n.attrs...)
	sort.SliceStable(attrs, func(i, j int) bool { return attrs[i].Key < attrs[j].Key })
	for _, a := range attrs {
		v := a.Val
		if listAttr(n.name, a.Key) {
			v = strings.Join(strings.Fields(v), " ")
		}
		v = escapeMinimal(v)
		quote := `"`
		if strings.Contains(v, `"`) {
			if strings.Contains(v, "'") {
				v = strings.ReplaceAll(v, `"`, "&quot;")
			} else {
				quote = "'"
			}
		}
		b.WriteString(" " + a.Key + "=" + quote + v + quote)
	}
	if len(n.children) == 0 && isVoid(n.name) {
		b.WriteString("/>")
		return
	}
	b.WriteByte('>')
	for _, c := range n.children {
		c.write(b)
	}
	b.WriteString("</" + n.name + ">")
}

// escapeMinimal is BeautifulSoup's "minimal" entity substitution.
func escapeMinimal(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// htmlBuilder builds the tree from the tokens as BeautifulSoup's
// html.parser tree builder does.
type htmlBuilder struct {
	root    *hnode
	stack   []*hnode       // open elements; stack[0] is the root
	open    map[string]int // the number of open elements by name
	pending strings.Builder
	pendOff int
	pendLn  int
}

// buildHTML parses text into a tree.
func buildHTML(text string) *hnode {
	root := &hnode{kind: hRoot, line: 1}
	bl := &htmlBuilder{root: root, stack: []*hnode{root}, open: map[string]int{}}
	z := html.NewTokenizer(strings.NewReader(text))
	offset, line := 0, 1
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			// io.EOF: a strings.Reader fails with nothing else.
			break
		}
		raw := z.Raw()
		switch tt {
		case html.TextToken:
			if bl.pending.Len() == 0 {
				bl.pendOff, bl.pendLn = offset, line
			}
			s := string(raw)
			if !unescapedText(bl.top().name) {
				s = html.UnescapeString(s)
			}
			bl.pending.WriteString(s)
		case html.StartTagToken, html.SelfClosingTagToken:
			bl.flush()
			name, hasAttr := z.TagName()
			n := &hnode{kind: hElement, name: string(name), offset: offset, line: line}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				n.setAttr(string(k), string(v))
			}
			bl.append(n)
			if tt == html.StartTagToken && !isVoid(n.name) {
				bl.stack = append(bl.stack, n)
				bl.open[n.name]++
			}
		case html.EndTagToken:
			bl.flush()
			name, _ := z.TagName()
			bl.close(string(name))
		case html.CommentToken:
			bl.flush()
			bl.append(&hnode{kind: hComment, data: string(z.Text()), offset: offset, line: line})
		case html.DoctypeToken:
			bl.flush()
			bl.append(&hnode{kind: hDoctype, data: string(z.Text()), offset: offset, line: line})
		}
		offset += len(raw)
		line += countLines(string(raw))
	}
	bl.flush()
	return root
}

// top returns the innermost open element.
func (bl *htmlBuilder) top() *hnode { return bl.stack[len(bl.stack)-1] }

// append adds n as the last child of the innermost open element.
func (bl *htmlBuilder) append(n *hnode) {
	p := bl.top()
	n.parent = p
	p.children = append(p.children, n)
}

// setAttr sets an attribute; a repeated one keeps its first place and its
// last value, as the dict BeautifulSoup fills does.
func (n *hnode) setAttr(k, v string) {
	for i := range n.attrs {
		if n.attrs[i].Key == k {
			n.attrs[i].Val = v
			return
		}
	}
	n.attrs = append(n.attrs, html.Attribute{Key: k, Val: v})
}

// close pops the open elements up to the innermost one named name; an end
// tag without an open element of its name is ignored.
func (bl *htmlBuilder) close(name string) {
	if bl.open[name] == 0 {
		return
	}
	for i := len(bl.stack) - 1; i > 0; i-- {
		n := bl.stack[i]
		bl.open[n.name]--
		if n.name == name {
			bl.stack = bl.stack[:i]
			return
		}
	}
}

// flush adds the pending text as one text node. Text of white space only
// becomes "\n" when it holds a line break and " " otherwise, outside pre
// and textarea elements, as BeautifulSoup's endData does.
func (bl *htmlBuilder) flush() {
	if bl.pending.Len() == 0 {
		return
	}
	s := bl.pending.String()
	bl.pending.Reset()
	if strings.Trim(s, " \n\t\f\r") == "" && !bl.preserving() {
		if strings.Contains(s, "\n") {
			s = "\n"
		} else {
			s = " "
		}
	}
	bl.append(&hnode{kind: hText, data: s, offset: bl.pendOff, line: bl.pendLn})
}

// preserving reports whether a pre or textarea element is open.
func (bl *htmlBuilder) preserving() bool {
	return bl.open["pre"] > 0 || bl.open["textarea"] > 0
}
