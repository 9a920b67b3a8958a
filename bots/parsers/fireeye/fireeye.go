// SPDX-License-Identifier: AGPL-3.0-or-later

package fireeye

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "parser.fireeye"

// Module is the IntelMQ module the bot replaces.
const Module = "intelmq.bots.parsers.fireeye.parser"

// Spec returns the declaration of the Fireeye parser.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:            ID,
		Kind:          botapi.KindParser,
		IntelMQModule: Module,
		Doc: "Parses the OpenIOC XML of a Fireeye Malware Analysis System alert into a malware event with the file's hashes " +
			"and, when the alert has network indicators, a malware-distribution event with its destination, as IntelMQ's Fireeye parser does.",
	}
}

// Register adds the Fireeye parser to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Parser is the Fireeye parser.
type Parser struct {
	log *slog.Logger
}

var _ botapi.Parser = (*Parser)(nil)

// New builds the parser; it has no parameters.
func New(bc *botapi.Context, _ botapi.Params) (botapi.Bot, error) {
	log := bc.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Parser{log: log}, nil
}

// item is one IndicatorItem: its Context's search attribute and its
// Content's text, at its offset in the document.
type item struct {
	search     string
	content    string
	hasContent bool
	offset     int64
}

// document is what the parser reads of an OpenIOC document.
type document struct {
	// ok is false when the document lacks OpenIOC/criteria/Indicator
	// with IndicatorItems (IntelMQ's KeyError: "No IOCs Available.").
	ok bool
	// top are the items of the first indicator under criteria.
	top []item
	// all are every IndicatorItem of the document, in order.
	all []item
	// alertID is the text of the link whose rel is alert_id.
	alertID string
}

// Parse reads one OpenIOC document.
func (p *Parser) Parse(_ context.Context, report *message.Message, out botapi.Records) error {
	text, err := report.RawText()
	if err != nil {
		return botapi.Permanent(err)
	}
	doc, err := read(text)
	if err != nil {
		return botapi.Permanent(fmt.Errorf("the report is not a well-formed XML document: %w", err))
	}
	if !doc.ok {
		p.log.Info("No IOCs Available.")
		return nil
	}
	ev := out.NewEvent()
	var md5 string
	for _, it := range doc.top {
		if !it.hasContent && (it.search == "FileItem/Md5sum" || it.search == "FileItem/Sha256sum") {
			p.log.Info("No IOCs Available.")
			return nil
		}
		switch it.search {
		case "FileItem/Md5sum":
			md5 = strings.TrimSpace(it.content)
			if err := ev.AddString("malware.hash.md5", md5); err != nil {
				return err
			}
		case "FileItem/Sha256sum":
			sha256 := strings.TrimSpace(it.content)
			p.log.Debug(fmt.Sprintf("FileItem/Sha256sum from UUID %q.", sha256))
			if err := ev.AddString("malware.hash.sha256", sha256); err != nil {
				return err
			}
			if err := ev.AddString("classification.type", "malware"); err != nil {
				return err
			}
			if err := out.Event(ev, text); err != nil {
				return err
			}
			if doc.alertID != "" {
				p.log.Debug(fmt.Sprintf("My UUID is: %q.", doc.alertID))
			}
			if err := p.network(text, doc, md5, sha256, out); err != nil {
				return err
			}
			ev = out.NewEvent()
		}
	}
	return nil
}

// network sends the event of the document's second indicator when it
// holds network items, as IntelMQ's text splitting reads it: the text
// from the second "<Indicator id" to the third.
func (p *Parser) network(text string, doc *document, md5, sha256 string, out botapi.Records) error {
	parts := strings.SplitAfterN(text, "<Indicator id", 4)
	if len(parts) < 3 {
		return nil
	}
	start := int64(len(parts[0]) + len(parts[1]) - len("<Indicator id"))
	end := int64(len(text))
	if len(parts) == 4 {
		end = start + int64(len(parts[2]))
	}
	if !strings.Contains(text[start:end], "Network") {
		return nil
	}
	ev := out.NewEvent()
	for _, kv := range [][2]string{{"classification.type", "malware-distribution"},
		{"malware.hash.sha256", sha256}, {"malware.hash.md5", md5}} {
		if err := ev.AddString(kv[0], kv[1]); err != nil {
			return err
		}
	}
	var fqdn, urlpath string
	for _, it := range doc.all {
		if it.offset < start || it.offset >= end || !it.hasContent {
			continue
		}
		key := fields(it.search)
		p.log.Debug(fmt.Sprintf("Classification: %q Context: %q.", key, it.content))
		if fqdn != "" && urlpath != "" {
			if err := ev.AddString("destination.url", "http://"+fqdn+urlpath); err != nil {
				return err
			}
			urlpath = ""
		}
		var err error
		switch key {
		case "destination.ip":
			if a, perr := netip.ParseAddr(it.content); perr == nil && a.Is4() {
				err = ev.AddString(key, it.content)
			}
		case "destination.fqdn":
			fqdn = it.content
			err = ev.AddString(key, it.content)
		case "destination.urlpath":
			urlpath = it.content
			err = ev.AddString(key, it.content)
		case "destination.port":
			n, perr := strconv.Atoi(strings.TrimSpace(it.content))
			if perr != nil {
				return botapi.Permanent(fmt.Errorf("the remote port %q is not a number", it.content))
			}
			err = ev.Add(key, harmonization.Int(int64(n)))
		}
		if err != nil {
			return err
		}
	}
	return out.Event(ev, text)
}

// fields maps a network item's search to the field IntelMQ fills from it.
func fields(search string) string {
	switch search {
	case "Network/HTTP/RequestURI":
		return "destination.urlpath"
	case "Network/HTTP/Host":
		return "destination.ip"
	case "Network/Connection/RemotePort":
		return "destination.port"
	case "Network/Connection/Protocol":
		return "protocol.transport"
	case "Network/DNS":
		return "destination.fqdn"
	}
	return ""
}

// read decodes the document.
func read(text string) (*document, error) {
	d := xml.NewDecoder(strings.NewReader(text))
	// The text is already decoded: whatever encoding the declaration
	// names, the bytes are UTF-8 now.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	doc := &document{}
	var (
		path       []string // local names of the open elements
		cur        *item    // the IndicatorItem being read
		topDepth   = -1     // depth of the first criteria Indicator, -1 before it
		inContent  bool
		inAlertID  bool
		topClosed  bool
		rootSeen   bool
		rootIsIOC  bool
		criteriaOK bool
	)
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			depth := len(path)
			if !rootSeen {
				rootSeen, rootIsIOC = true, name == "OpenIOC"
			}
			path = append(path, name)
			switch {
			case rootIsIOC && depth == 1 && name == "criteria":
				criteriaOK = true
			case rootIsIOC && depth == 2 && name == "Indicator" && path[1] == "criteria" && topDepth < 0 && !topClosed:
				topDepth = depth
			case name == "IndicatorItem":
				cur = &item{offset: off}
			case name == "Context" && cur != nil:
				for _, a := range t.Attr {
					if a.Name.Local == "search" {
						cur.search = a.Value
					}
				}
			case name == "Content" && cur != nil:
				cur.hasContent, inContent = true, true
			case name == "link":
				for _, a := range t.Attr {
					if a.Name.Local == "rel" && a.Value == "alert_id" {
						inAlertID = true
					}
				}
			}
		case xml.EndElement:
			depth := len(path) - 1
			name := path[depth]
			path = path[:depth]
			switch {
			case name == "IndicatorItem" && cur != nil:
				doc.all = append(doc.all, *cur)
				if topDepth >= 0 && depth == topDepth+1 && !topClosed {
					doc.top = append(doc.top, *cur)
				}
				cur = nil
			case name == "Content":
				inContent = false
			case name == "link":
				inAlertID = false
			case name == "Indicator" && depth == topDepth:
				topClosed = true
			}
		case xml.CharData:
			switch {
			case inContent && cur != nil:
				cur.content += string(t)
			case inAlertID:
				doc.alertID += string(t)
			}
		}
	}
	doc.ok = criteriaOK && topDepth >= 0 && len(doc.top) > 0
	return doc, nil
}
