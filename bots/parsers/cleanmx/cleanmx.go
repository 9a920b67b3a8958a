// SPDX-License-Identifier: AGPL-3.0-or-later

package cleanmx

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "parser.cleanmx"

// Module is the IntelMQ module the bot replaces.
const Module = "intelmq.bots.parsers.cleanmx.parser"

// paramFeed names the feed a report belongs to.
const paramFeed = "feed"

// The values of the feed parameter.
const (
	FeedPhishing = "phishing"
	FeedViruses  = "viruses"
)

// Spec returns the declaration of the CleanMX parser.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:            ID,
		Kind:          botapi.KindParser,
		IntelMQModule: Module,
		Doc: "Parses the XML of CleanMX's phishing and virus feeds into one event per entry, " +
			"as IntelMQ's CleanMX parser does.",
		Params: []botapi.Param{
			{Name: paramFeed, Type: botapi.TypeString, Default: "",
				Doc: "The feed of the reports: \"phishing\" or \"viruses\". Empty means the feed is told by the report's feed.url, " +
					"as IntelMQ does (\"xmlphishing\" or \"xmlviruses\" in it)."},
		},
	}
}

// Register adds the CleanMX parser to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Parser is the CleanMX parser.
type Parser struct {
	feed     string // FeedPhishing, FeedViruses or "" (told by feed.url)
	schema   *harmonization.Schema
	phishing map[string]string // element → field, read only
	viruses  map[string]string
}

var (
	_ botapi.Parser    = (*Parser)(nil)
	_ botapi.Validator = (*Parser)(nil)
)

// New builds the parser from its parameters.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	schema := bc.Schema
	if schema == nil {
		schema = harmonization.Default()
	}
	return &Parser{feed: p.String(paramFeed), schema: schema, phishing: phishingMapping(), viruses: virusesMapping()}, nil
}

// Validate checks the feed parameter.
func (p *Parser) Validate() error {
	switch p.feed {
	case "", FeedPhishing, FeedViruses:
		return nil
	}
	return botapi.ParamErrorf(paramFeed, "must be %q, %q or empty (told by the report's feed.url), not %q",
		FeedPhishing, FeedViruses, p.feed)
}

// feedOf returns the feed of report, its field mapping and its
// classification.type.
func (p *Parser) feedOf(report *message.Message) (map[string]string, string, error) {
	url := report.GetString("feed.url")
	if strings.Contains(url, "format=csv") {
		return nil, "", botapi.Fatal(errors.New("the report's feed.url asks for CleanMX's CSV format; " +
			"this parser reads the XML format only: collect the feed's XML URL instead"))
	}
	feed := p.feed
	if feed == "" {
		switch {
		case strings.Contains(url, "xmlphishing"):
			feed = FeedPhishing
		case strings.Contains(url, "xmlviruses"):
			feed = FeedViruses
		default:
			return nil, "", botapi.Permanent(fmt.Errorf("cannot tell the CleanMX feed of the report: its feed.url %q names "+
				"neither xmlphishing nor xmlviruses; set the parser's parameter feed", url))
		}
	}
	if feed == FeedPhishing {
		return p.phishing, "phishing", nil
	}
	return p.viruses, "malware-distribution", nil
}

// Parse reads every <entry> element of the report's XML document.
func (p *Parser) Parse(ctx context.Context, report *message.Message, out botapi.Records) error {
	mapping, ctype, err := p.feedOf(report)
	if err != nil {
		return err
	}
	text, err := report.RawText()
	if err != nil {
		return botapi.Permanent(err)
	}
	entries, err := readEntries(text)
	if err != nil {
		return botapi.Permanent(fmt.Errorf("the report is not a well-formed XML document: %w", err))
	}
	for i, e := range entries {
		if i&255 == 255 && ctx.Err() != nil {
			return ctx.Err()
		}
		raw := e.serialize()
		ev := out.NewEvent()
		if err := p.fill(ev, e.node, mapping, ctype); err != nil {
			out.Bad(raw, e.line, err)
			continue
		}
		if err := out.Event(ev, raw); err != nil {
			return err
		}
	}
	return nil
}

// fill adds the fields of one entry to ev, as IntelMQ's parse_line does.
func (p *Parser) fill(ev *message.Message, entry *node, mapping map[string]string, ctype string) error {
	extra := map[string]any{}
	for _, item := range entry.children {
		key, value := item.tag(), item.text
		if value == "" || value == "undef" {
			continue
		}
		field, ok := mapping[key]
		if !ok {
			return fmt.Errorf("unknown element <%s> in the entry", key)
		}
		switch field {
		case ignore:
			continue
		case "extra":
			extra[key] = value
			continue
		case "source.fqdn":
			if p.valid("source.ip", value) {
				continue
			}
		case "source.ip":
			if p.valid("source.fqdn", value) {
				continue
			}
		case "time.source":
			t, err := epoch(value)
			if err != nil {
				return fmt.Errorf("element <%s>: %w", key, err)
			}
			value = t
		case "source.asn":
			upper := strings.ToUpper(value)
			if strings.HasPrefix(upper, "ASNA") {
				continue
			}
			for _, asn := range strings.Split(upper, ",") {
				if strings.HasPrefix(asn, "AS") {
					value = strings.Split(asn, "AS")[1]
					break
				}
			}
		case "status":
			switch value {
			case "down":
				value = "offline"
			case "up":
				value = "online"
			}
		}
		if err := ev.AddString(field, value); err != nil {
			return err
		}
	}
	if len(extra) > 0 {
		v, err := harmonization.FromAny(extra)
		if err != nil {
			return err
		}
		if err := ev.Add("extra", v); err != nil {
			return err
		}
	}
	return ev.AddString("classification.type", ctype)
}

// valid reports whether value is valid for key after sanitation
// (IntelMQ's is_valid).
func (p *Parser) valid(key, value string) bool {
	f, err := p.schema.LookupField(harmonization.Event, key)
	if err != nil {
		return false
	}
	_, err = f.SanitizeValidate(harmonization.String(value))
	return err == nil
}

// epoch converts seconds since 1970 to IntelMQ's time form, as Python's
// utcfromtimestamp(int(value)).
func epoch(value string) (string, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
	if err != nil {
		return "", fmt.Errorf("%q is not a number of seconds since 1970", value)
	}
	t := time.Unix(n, 0).UTC()
	if y := t.Year(); y < 1 || y > 9999 {
		return "", fmt.Errorf("%q is out of range as a time", value)
	}
	return t.Format("2006-01-02T15:04:05+00:00"), nil
}

// ignore marks an element IntelMQ skips (its __IGNORE__).
const ignore = "__IGNORE__"

// phishingMapping is IntelMQ's mapping of the phishing feed's elements.
func phishingMapping() map[string]string {
	return map[string]string{
		"line": ignore, "id": "extra", "first": "time.source", "firsttime": ignore, "last": ignore, "lasttime": ignore,
		"phishtank": "extra", "target": "event_description.target", "url": "source.url", "recent": "status",
		"response": "extra", "ip": "source.ip", "review": "extra", "domain": "source.fqdn",
		"country": "source.geolocation.cc", "source": "source.registry", "email": "source.abuse_contact",
		"inetnum": "extra", "netname": "extra", "descr": "extra",
		"ns1": "extra", "ns2": "extra", "ns3": "extra", "ns4": "extra", "ns5": "extra",
	}
}

// virusesMapping is IntelMQ's mapping of the virus feed's elements.
func virusesMapping() map[string]string {
	return map[string]string{
		"line": ignore, "id": "extra", "sub": "extra", "first": "time.source", "firsttime": ignore, "last": ignore,
		"lasttime": ignore, "scanner": "extra", "virusname": "malware.name", "url": "source.url", "recent": "status",
		"response": "extra", "ip": "source.ip", "as": "source.asn", "review": "extra", "domain": "source.fqdn",
		"country": "source.geolocation.cc", "source": "extra", "email": "source.abuse_contact",
		"inetnum": "extra", "netname": "extra", "descr": "extra",
		"ns1": "extra", "ns2": "extra", "ns3": "extra", "ns4": "extra", "ns5": "extra",
		"md5": "malware.hash.md5", "virustotal": "extra", "vt_score": "extra", "vt_info": "extra",
	}
}

// node is an element as ElementTree holds it: its text is the character
// data before its first child, its tail the character data after its end
// tag up to the next tag.
type node struct {
	name     xml.Name
	attrs    []xml.Attr
	text     string
	children []*node
	tail     string
}

// tag returns the element's name as ElementTree writes a tag:
// "{namespace}local" for a name in a namespace.
func (n *node) tag() string {
	if n.name.Space != "" {
		return "{" + n.name.Space + "}" + n.name.Local
	}
	return n.name.Local
}

// entry is one <entry> element with the line its start tag is on.
type entry struct {
	node *node
	line int
}

// serialize writes the entry as ElementTree.tostring does, tail included.
func (e entry) serialize() string {
	var b strings.Builder
	writeNode(&b, e.node)
	return b.String()
}

// readEntries parses the whole document (a document that is not
// well-formed gives no entry at all, as in IntelMQ) and returns every
// <entry> element, nested ones included, in document order.
func readEntries(text string) ([]entry, error) {
	d := xml.NewDecoder(strings.NewReader(text))
	// The text is already decoded: whatever encoding the declaration
	// names, the bytes are UTF-8 now.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var (
		entries []entry
		stack   []*node
		last    *node // the element whose tail the next character data is
		root    bool
	)
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name, attrs: append([]xml.Attr(nil), t.Attr...)}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			} else if root {
				return nil, errors.New("more than one root element")
			}
			root = true
			stack = append(stack, n)
			last = nil
			if t.Name.Space == "" && t.Name.Local == "entry" {
				entries = append(entries, entry{node: n, line: line})
			}
		case xml.EndElement:
			last = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
		case xml.CharData:
			switch {
			case last != nil:
				last.tail += string(t)
			case len(stack) > 0:
				cur := stack[len(stack)-1]
				if len(cur.children) == 0 {
					cur.text += string(t)
				}
			}
		}
	}
	if !root {
		return nil, errors.New("no root element")
	}
	return entries, nil
}

// writeNode writes n as ElementTree's XML serializer does, with short
// empty elements.
func writeNode(b *strings.Builder, n *node) {
	tag := n.name.Local
	b.WriteByte('<')
	b.WriteString(tag)
	for _, a := range n.attrs {
		b.WriteByte(' ')
		if a.Name.Space != "" {
			b.WriteString(a.Name.Space)
			b.WriteByte(':')
		}
		b.WriteString(a.Name.Local)
		b.WriteString(`="`)
		escape(b, a.Value, true)
		b.WriteByte('"')
	}
	if n.text != "" || len(n.children) > 0 {
		b.WriteByte('>')
		escape(b, n.text, false)
		for _, c := range n.children {
			writeNode(b, c)
		}
		b.WriteString("</")
		b.WriteString(tag)
		b.WriteByte('>')
	} else {
		b.WriteString(" />")
	}
	escape(b, n.tail, false)
}

// escape writes s escaped as ElementTree's _escape_cdata does, or, for an
// attribute value, its _escape_attrib.
func escape(b *strings.Builder, s string, attr bool) {
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case attr && r == '"':
			b.WriteString("&quot;")
		case attr && r == '\r':
			b.WriteString("&#13;")
		case attr && r == '\n':
			b.WriteString("&#10;")
		case attr && r == '\t':
			b.WriteString("&#09;")
		default:
			b.WriteRune(r)
		}
	}
}
