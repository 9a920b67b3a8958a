// SPDX-License-Identifier: AGPL-3.0-or-later

package cymrucap

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/intelmq-go/intelmq/bots/parsers/internal/parserutil"
	"github.com/intelmq-go/intelmq/bots/parsers/internal/pytext"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "parser.cymru_cap"

// Module is the IntelMQ module the bot replaces.
const Module = "intelmq.bots.parsers.cymru.parser_cap_program"

// Spec returns the declaration of the CAP parser; it has no parameters.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:   ID,
		Kind: botapi.KindParser,
		Doc: "Parses Team Cymru's CAP program reports, in the old (\"Data file written at\") and the new " +
			"(\"generated on\") format, as IntelMQ's CAP program parser does; a line naming several " +
			"destination ports gives one event per port.",
		IntelMQModule: Module,
	}
}

// Register adds the CAP parser to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Parser is the CAP parser.
type Parser struct {
	schema *harmonization.Schema
}

var _ botapi.Parser = (*Parser)(nil)

// New returns a CAP parser.
func New(bc *botapi.Context, _ botapi.Params) (botapi.Bot, error) {
	s := bc.Schema
	if s == nil {
		s = harmonization.Default()
	}
	return &Parser{schema: s}, nil
}

// format is the line format a header comment announced.
type format uint8

const (
	formatUnknown format = iota
	formatOld
	formatNew
)

// errNoFormat is the error of a data line before any header told the format.
var errNoFormat = errors.New("no header comment (\"Data file written at\" or \"generated on\") tells the format of the line")

// Parse reads the report line by line.
func (p *Parser) Parse(_ context.Context, report *message.Message, out botapi.Records) error {
	text, err := report.RawText()
	if err != nil {
		return botapi.Permanent(err)
	}
	var header []string
	f := formatUnknown
	for _, l := range pytext.SplitLines(text) {
		line := pytext.Strip(l.Text)
		if strings.HasPrefix(line, "#") {
			header = append(header, line)
			switch {
			case strings.Contains(line, "generated on"):
				f = formatNew
			case strings.Contains(line, "Data file written at"):
				f = formatOld
			}
			continue
		}
		if line == "" {
			continue
		}
		raw := strings.Join(append(header[:len(header):len(header)], line), "\n")
		var events []*message.Message
		switch f {
		case formatOld:
			events, err = p.parseOld(line, out.NewEvent())
		case formatNew:
			events, err = p.parseNew(line, out.NewEvent())
		default:
			err = errNoFormat
		}
		if err != nil {
			out.Bad(raw, l.No, err)
			continue
		}
		for _, ev := range events {
			if err := out.Event(ev, raw); err != nil {
				return err
			}
		}
	}
	return nil
}

// fields splits a line into its six fields.
func fields(line string) ([]string, error) {
	f := strings.Split(line, "|")
	if len(f) != 6 {
		return nil, fmt.Errorf("the line has %d fields separated by |, want 6", len(f))
	}
	return f, nil
}

// ev wraps an event with IntelMQ's two ways of setting a key: add (an
// existing key is an error) and item assignment (overwrite). The first
// error is kept and later calls do nothing.
type ev struct {
	m   *message.Message
	err error
}

func (e *ev) add(key string, v harmonization.Value) {
	if e.err == nil {
		e.err = e.m.Add(key, v)
	}
}

func (e *ev) set(key string, v harmonization.Value) {
	if e.err == nil {
		e.err = e.m.Set(key, v)
	}
}

func (e *ev) addS(key, s string) { e.add(key, harmonization.String(s)) }
func (e *ev) setS(key, s string) { e.set(key, harmonization.String(s)) }

// common adds the fields every line of the old format has.
func (e *ev) common(ip, asn, timestamp string) {
	e.addS("source.ip", ip)
	if asn != "0" {
		e.addS("source.asn", asn)
	}
	e.addS("time.source", timestamp+" GMT")
}

// oldInfected lists the old report types that are a worm of that name.
var oldInfected = map[string]bool{"blaster": true, "dameware": true, "dipnet": true, "mydoom": true,
	"nachi": true, "phatbot": true, "sinit": true, "slammer": true}

// parseOld parses a line of the old format.
func (p *Parser) parseOld(line string, m *message.Message) ([]*message.Message, error) {
	f, err := fields(line)
	if err != nil {
		return nil, err
	}
	reportType, comments := f[0], f[4]
	split := strings.Split(comments, " ")
	e := &ev{m: m}
	e.common(f[1], f[2], f[3])
	e.addS("source.as_name", f[5])
	switch {
	case reportType == "beagle":
		e.addS("classification.type", "infected-system")
		e.addS("classification.identifier", "beagle")
		e.addS("malware.name", "beagle")
		if comments != "" {
			return nil, fmt.Errorf("cannot parse the comment of report %q", reportType)
		}
	case oldInfected[reportType]:
		e.addS("classification.type", "infected-system")
		e.addS("classification.identifier", reportType)
		e.addS("malware.name", reportType)
	case reportType == "bots":
		e.addS("classification.type", "infected-system")
		if e.err == nil {
			e.err = parseBotComment(split, reportType, e)
		}
	case reportType == "bruteforce":
		e.addS("classification.type", "brute-force")
		e.addS("classification.identifier", comments)
		e.addS("protocol.application", comments)
	case reportType == "ddosreport":
		return nil, fmt.Errorf("report %q is not implemented, its format is unknown", reportType)
	case reportType == "defacement":
		if len(split) < 2 {
			return nil, fmt.Errorf("report %q: the comment %q has no zone-h id", reportType, comments)
		}
		e.setS("classification.type", "unauthorised-information-modification")
		e.setS("classification.identifier", reportType)
		e.setS("source.url", split[0])
		e.setS("extra.zoneh.id", split[1])
	case reportType == "fastflux":
		e.setS("classification.type", "system-compromise")
		e.setS("classification.identifier", reportType)
		if comments != "" {
			e.setS("source.reverse_dns", comments)
		}
	case reportType == "malwareurl":
		e.setS("source.url", split[0])
		e.addS("classification.type", "malware-distribution")
		e.addS("classification.identifier", "malwareurl")
	case reportType == "openresolvers":
		e.setS("classification.type", "vulnerable-system")
		e.setS("classification.identifier", "dns-open-resolver")
		e.setS("protocol.application", "dns")
	case reportType == "phishing":
		e.setS("classification.type", "phishing")
		e.setS("classification.identifier", "phishing")
		e.setS("source.url", comments)
	case reportType == "proxy":
		e.setS("classification.type", "proxy")
		e.setS("classification.identifier", "openproxy")
		e.setS("extra.request", comments)
	case reportType == "routers":
		e.setS("classification.type", "system-compromise")
		if comments != "" {
			e.setS("classification.identifier", comments)
		}
	case reportType == "scanners":
		e.setS("classification.type", "scanner")
		e.setS("classification.identifier", "scanner")
		port, err := pytext.Int(comments)
		if err != nil {
			return nil, fmt.Errorf("report %q: cannot parse the ports %q, the format of several ports is unknown", reportType, comments)
		}
		e.set("source.port", harmonization.Int(port))
	case reportType == "spam":
		e.setS("classification.type", "spam")
		e.setS("classification.identifier", "spam")
		if comments != "" {
			return nil, fmt.Errorf("cannot parse the comment of report %q", reportType)
		}
	case reportType == "spreaders":
		// IntelMQ's test len(comment_split == 2) fails on every line; the
		// intent, the MD5 when the comment has one, is done here.
		e.addS("source.url", split[0])
		if len(split) == 2 {
			e.addS("malware.hash.md5", split[1])
		}
		e.addS("classification.type", "malware-distribution")
		e.addS("classification.identifier", "spreader")
	case reportType == "stormworm":
		// IntelMQ sets no classification for this report, which gives an
		// event no output accepts; it is classified as the other worms.
		e.addS("classification.type", "infected-system")
		e.addS("classification.identifier", reportType)
		e.addS("malware.name", reportType)
		if e.err != nil {
			break
		}
		if !m.Has("feed.accuracy") {
			e.set("feed.accuracy", harmonization.Int(100))
		}
		for i, part := range split {
			switch {
			case strings.HasPrefix(part, "confidence:"):
				n, err := pytext.Int(strings.TrimLeft(part, "confidence:"))
				if err != nil {
					return nil, fmt.Errorf("report %q: confidence %q is not a number", reportType, part)
				}
				acc, _ := m.Get("feed.accuracy")
				e.set("feed.accuracy", harmonization.Float(acc.Float()*(float64(n)/5)))
			case part == "legacy" || part == "crypto":
				e.setS("malware.version", part)
			case part == "srcport":
				if i+1 >= len(split) {
					return nil, fmt.Errorf("report %q: srcport without a port", reportType)
				}
				n, err := pytext.Int(split[i+1])
				if err != nil {
					return nil, fmt.Errorf("report %q: source port %q is not a number", reportType, split[i+1])
				}
				e.set("extra.source_port", harmonization.Int(n))
			}
			if part == "srcport" {
				break
			}
		}
	case reportType == "toxbot":
		e.addS("classification.type", "infected-system")
		e.addS("classification.identifier", reportType)
		e.addS("malware.name", reportType)
		if len(split) < 2 {
			return nil, fmt.Errorf("report %q: no source port in %q", reportType, comments)
		}
		n, err := pytext.Int(split[1])
		if err != nil {
			return nil, fmt.Errorf("report %q: source port %q is not a number", reportType, split[1])
		}
		e.set("extra.source_port", harmonization.Int(n))
	default:
		return nil, fmt.Errorf("unknown report %q", reportType)
	}
	if e.err != nil {
		return nil, e.err
	}
	return []*message.Message{m}, nil
}

// parseBotComment reads the comment of an old "bots" line (also used for
// such comments in the new format): "[srcport <PORT>] [mwtype <TYPE>]
// [destaddr <IPADDR>] [comment]", where TYPE may contain spaces and the
// words after the address are a description.
func parseBotComment(split []string, reportType string, e *ev) error {
	type kv struct{ key, value string }
	var results []kv
	put := func(k, v string) {
		for i := range results {
			if results[i].key == k {
				results[i].value = v
				return
			}
		}
		results = append(results, kv{k, v})
	}
	var key string
	var value, description []string
	for i := 0; i <= len(split); i++ {
		part, end := "", i == len(split)
		if !end {
			part = split[i]
		}
		if end || part == "srcport" || part == "mwtype" || part == "destaddr" || part == "dstaddr" {
			if key != "" && len(value) > 0 {
				put(key, strings.Join(value, " "))
			}
			key, value = part, value[:0]
			continue
		}
		if key == "destaddr" && len(value) == 1 {
			description = append(description, part)
		} else {
			value = append(value, part)
		}
	}
	for _, r := range results {
		switch r.key {
		case "srcport":
			n, err := pytext.Int(r.value)
			if err != nil {
				return fmt.Errorf("source port %q is not a number", r.value)
			}
			e.set("extra.source_port", harmonization.Int(n))
		case "mwtype":
			name := strings.ToLower(r.value)
			e.setS("classification.identifier", name)
			e.setS("malware.name", name)
		case "destaddr", "dstaddr":
			e.setS("destination.ip", r.value)
		default:
			return fmt.Errorf("unknown value in comment %q for report %q", r.key, reportType)
		}
	}
	if len(description) > 0 {
		e.addS("event_description.text", strings.Join(description, " "))
	}
	return e.err
}

// static is the classification of each category of the new format.
var static = map[string][][2]string{
	"bot":        {{"classification.type", "infected-system"}},
	"bruteforce": {{"classification.type", "brute-force"}},
	"controller": {{"classification.type", "c2-server"}},
	"darknet":    {{"classification.type", "scanner"}, {"classification.identifier", "darknet"}},
	"phishing":   {{"classification.type", "phishing"}, {"classification.identifier", "phishing"}},
	"proxy":      {{"classification.type", "proxy"}, {"classification.identifier", "openproxy"}},
	"honeypot":   {{"classification.type", "scanner"}},
	"openresolvers": {{"classification.type", "vulnerable-system"},
		{"classification.identifier", "dns-open-resolver"}, {"protocol.application", "dns"}},
	"openresolver": {{"classification.type", "vulnerable-system"},
		{"classification.identifier", "dns-open-resolver"}, {"protocol.application", "dns"}},
	"scanner": {{"classification.type", "scanner"}, {"classification.identifier", "scanner"}},
	"spam":    {{"classification.type", "spam"}, {"classification.identifier", "spam"}},
	"conficker": {{"classification.type", "infected-system"}, {"classification.identifier", "conficker"},
		{"malware.name", "conficker"}},
}

// protocols maps IP protocol numbers to protocol.transport.
var protocols = map[string]string{"1": "icmp", "6": "tcp", "11": "nvp-ii", "17": "udp", "47": "gre", "59": "ipv6-nonxt"}

var (
	bogusHostnamePort = regexp.MustCompile(`hostname: ([^:]+)port: ([0-9]+)`)
	portsTotal        = regexp.MustCompile(` \(total_count:\d+\)$`)
)

// parseNew parses a line of the new format.
func (p *Parser) parseNew(line string, m *message.Message) ([]*message.Message, error) {
	f, err := fields(line)
	if err != nil {
		return nil, err
	}
	category, ip, notes, asninfo := f[0], f[1], f[4], f[5]
	// A bogus "hostname: sub.example.comport: 80" is two pairs.
	if loc := bogusHostnamePort.FindStringSubmatchIndex(notes); loc != nil {
		notes = notes[:loc[0]] + "hostname: " + notes[loc[2]:loc[3]] + "; port: " + notes[loc[4]:loc[5]] + notes[loc[1]:]
	}
	var comments []string
	for _, c := range strings.Split(notes, ";") {
		if c != "" {
			comments = append(comments, c)
		}
	}
	asn := strings.Split(asninfo, ", ")
	e := &ev{m: m}
	e.common(ip, f[2], f[3])
	e.addS("source.as_name", strings.Join(asn[:len(asn)-1], ", "))
	e.addS("source.geolocation.cc", asn[len(asn)-1])
	mapping, ok := static[category]
	if !ok {
		return nil, fmt.Errorf("unknown category %q", category)
	}
	for _, kv := range mapping {
		e.addS(kv[0], kv[1])
	}
	if e.err != nil {
		return nil, e.err
	}
	var ports []string
comments:
	for _, comment := range comments {
		if !strings.Contains(comment, ":") || strings.HasPrefix(comment, "http") {
			switch category {
			case "proxy":
				comment = "proxy_type: " + comment
			case "bruteforce": // the information can be just "ssh;"
				e.addS("classification.identifier", comment)
				e.addS("protocol.application", comment)
				break comments
			case "phishing":
				e.addS("source.url", comment)
				break comments
			default:
				if category == "bot" {
					trial := &ev{m: m.Clone()}
					if parseBotComment(strings.Split(notes, " "), category, trial) == nil {
						e.m = trial.m
						break comments
					}
				}
				return nil, fmt.Errorf("unable to parse comment %q of category %q", comment, category)
			}
		}
		key, value, _ := strings.Cut(comment, ":")
		key, value = pytext.Strip(key), pytext.Strip(value)
		switch key {
		case "family":
			name := strings.ToLower(value)
			e.setS("classification.identifier", name)
			e.setS("malware.name", name)
		case "dest_addr", "destaddr":
			e.setS("destination.ip", value)
		case "dest_port", "ports_scanned", "honeypot_port", "darknet_port", "destination_port_numbers":
			value = portsTotal.ReplaceAllString(value, "")
			for _, v := range strings.Split(value, ",") {
				ports = append(ports, pytext.Strip(v))
			}
		case "protocol":
			if name, ok := protocols[value]; ok {
				e.addS("protocol.transport", name)
				break
			}
			n, err := pytext.Int(value)
			if err != nil {
				return nil, fmt.Errorf("protocol %q is not a number", value)
			}
			if n < 143 {
				return nil, fmt.Errorf("unknown protocol %q", value)
			}
			// unassigned, experimental, testing, reserved
			e.add("extra.protocol.transport", harmonization.Int(n))
		case "hostname":
			if !parserutil.IsValid(p.schema, "source.fqdn", value, false) && value == ip {
				continue
			}
			e.setS("source.fqdn", value)
		case "proxy_type":
			if strings.Contains(value, "-") {
				parts := strings.Split(value, "-")
				if len(parts) != 2 {
					return nil, fmt.Errorf("proxy type %q is not <protocol>-<port>", value)
				}
				e.setS("protocol.application", parts[0])
				e.setS("source.port", parts[1])
			} else {
				e.setS("protocol.application", value)
			}
		case "port", "srcport":
			e.setS("source.port", value)
		case "username":
			e.setS("source.account", value)
		case "additional_asns":
			own, ok := e.m.Get("source.asn")
			if !ok {
				return nil, fmt.Errorf("additional ASNs %q without an ASN", value)
			}
			list := []string{strconv.FormatInt(own.Int(), 10)}
			for _, a := range strings.Split(value, ",") {
				n, err := pytext.Int(a)
				if err != nil {
					return nil, fmt.Errorf("additional ASN %q is not a number", a)
				}
				list = append(list, strconv.FormatInt(n, 10))
			}
			e.set("extra.source.asns", harmonization.RawJSON("["+strings.Join(list, ", ")+"]"))
		default:
			return nil, fmt.Errorf("unknown key %q in comment of category %q", key, category)
		}
		if e.err != nil {
			return nil, e.err
		}
	}
	if e.err != nil {
		return nil, e.err
	}
	if len(ports) == 0 {
		return []*message.Message{e.m}, nil
	}
	events := make([]*message.Message, 0, len(ports))
	for _, port := range ports {
		c := e.m.Clone()
		if err := c.Set("destination.port", harmonization.String(port)); err != nil {
			return nil, err
		}
		events = append(events, c)
	}
	return events, nil
}
