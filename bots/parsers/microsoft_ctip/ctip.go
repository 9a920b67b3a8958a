// SPDX-License-Identifier: AGPL-3.0-or-later

package microsoftctip

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/intelmq-go/intelmq/bots/parsers/internal/parserutil"
	"github.com/intelmq-go/intelmq/bots/parsers/internal/pyjson"
	"github.com/intelmq-go/intelmq/bots/parsers/internal/pytext"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/datetime"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// ID is the bot's registry ID.
const ID = "parser.microsoft_ctip"

// Module is the IntelMQ module the bot replaces.
const Module = "intelmq.bots.parsers.microsoft.parser_ctip"

const paramOverwrite = "overwrite"

// Spec returns the declaration of the CTIP parser.
func Spec() botapi.Spec {
	return botapi.Spec{
		ID:   ID,
		Kind: botapi.KindParser,
		Doc: "Parses Microsoft CTIP data, an Interflow JSON list or Azure JSON lines, as IntelMQ's CTIP " +
			"parser does.",
		Params: []botapi.Param{
			{Name: paramOverwrite, Type: botapi.TypeBool, Default: true,
				Doc: "Let a later Azure field replace an earlier one mapped to the same key (e.g. DataFeed " +
					"replaces the report's feed.name); when false the first value is kept."},
		},
		IntelMQModule: Module,
	}
}

// Register adds the CTIP parser to r.
func Register(r *botapi.Registry) error {
	return r.Register(Spec(), New)
}

// Parser is the CTIP parser.
type Parser struct {
	schema    *harmonization.Schema
	overwrite bool
}

var _ botapi.Parser = (*Parser)(nil)

// New returns a CTIP parser.
func New(bc *botapi.Context, p botapi.Params) (botapi.Bot, error) {
	s := bc.Schema
	if s == nil {
		s = harmonization.Default()
	}
	return &Parser{schema: s, overwrite: p.Bool(paramOverwrite)}, nil
}

// errFormat is the error of a report that is neither form.
var errFormat = errors.New("the report is neither a JSON list (Interflow) nor JSON objects (Azure)")

// Parse reads an Interflow list or Azure lines.
func (p *Parser) Parse(_ context.Context, report *message.Message, out botapi.Records) error {
	text, err := report.RawText()
	if err != nil {
		return botapi.Permanent(err)
	}
	switch {
	case strings.HasPrefix(text, "["):
		return p.parseInterflow(text, out)
	case strings.HasPrefix(text, "{"):
		return p.parseAzure(text, out)
	}
	out.Bad(text, 0, errFormat)
	return nil
}

// parseInterflow parses a JSON list.
func (p *Parser) parseInterflow(text string, out botapi.Records) error {
	list, err := pyjson.Parse(text)
	if err != nil || list.Kind != pyjson.List {
		if err == nil {
			err = fmt.Errorf("the Interflow data is a JSON %s, not a list", list.Kind)
		}
		out.Bad(text, 0, err)
		return nil
	}
	for _, rec := range list.Items {
		if !rec.Truth() { // IntelMQ skips empty records
			continue
		}
		raw := pyjson.Value{Kind: pyjson.List, Items: []pyjson.Value{rec}}.Dumps()
		if rec.Kind != pyjson.Dict {
			out.Bad(raw, 0, fmt.Errorf("the record is a JSON %s, not an object", rec.Kind))
			continue
		}
		if err := p.record(rec, out.NewEvent(), raw, 0, out); err != nil {
			return err
		}
	}
	return nil
}

// interflowVersion is the version of the Interflow records.
var interflowVersion = pyjson.Value{Kind: pyjson.Float, Num: "1.5"}

// record maps one record, of either form, and sends its event or reports
// it as bad. As in IntelMQ, the record's version tells the form, not the
// report's: Interflow records have version 1.5.
func (p *Parser) record(rec pyjson.Value, ev *message.Message, raw string, line int, out botapi.Records) error {
	var err error
	if v, ok := rec.Get("version"); ok && v.Equal(interflowVersion) {
		err = p.interflow(rec, ev)
	} else {
		err = p.azure(rec, ev)
	}
	if err != nil {
		out.Bad(raw, line, err)
		return nil
	}
	return out.Event(ev, raw)
}

// interflowMap maps Interflow keys to event keys.
var interflowMap = map[string]string{
	"additionalmetadata":     "extra.additionalmetadata",
	"description":            "event_description.text",
	"externalid":             "malware.name",
	"tlplevel":               "tlp",
	"firstreporteddatetime":  "time.source",
	"networksourceipv4":      "source.ip",
	"networksourceport":      "source.port",
	"networkdestinationipv4": "destination.ip",
	"networkdestinationport": "destination.port",
	"isproductlicensed":      "extra.isproductlicensed",
	"ispartnershareable":     "extra.ispartnershareable",
	"networksourceasn":       "source.asn",
	"hostname":               "destination.fqdn",
	"useragent":              "extra.user_agent",
	"severity":               "extra.severity",
	"tags":                   "extra.tags",
}

// interflowSkipped are the Interflow keys that give no field.
var interflowSkipped = map[string]bool{"version": true, "indicatorthreattype": true, "confidence": true,
	"indicatorexpirationdatetime": true}

// emptyMetadata are the values of additionalmetadata that mean none.
var emptyMetadata = []string{`[]`, `[""]`, `["null"]`, `[null]`}

// interflow maps one Interflow record.
func (p *Parser) interflow(rec pyjson.Value, ev *message.Message) error {
	threat, _ := rec.Get("indicatorthreattype")
	if threat.Kind != pyjson.String || threat.S != "Botnet" {
		return fmt.Errorf("unknown indicatorthreattype %s, only Botnet is supported", threat.Dumps())
	}
	dest, hasDest := rec.Get("networkdestinationipv4")
	for i, key := range rec.Keys {
		value := rec.Items[i]
		if interflowSkipped[key] {
			continue
		}
		switch key {
		case "additionalmetadata":
			if value.Kind == pyjson.List && isEmptyMetadata(value) {
				continue
			}
		case "firstreporteddatetime":
			if value.Kind != pyjson.String {
				return fmt.Errorf("firstreporteddatetime %s is not a string", value.Dumps())
			}
			value = pyjson.Str(value.S + " UTC")
		case "hostname":
			if !hasDest {
				return errors.New("hostname without networkdestinationipv4")
			}
			if value.Equal(dest) { // an IP address in the FQDN field
				continue
			}
			if value.Kind != pyjson.String || !parserutil.IsValid(p.schema, "source.fqdn", value.S, true) {
				continue // can contain very weird characters
			}
		case "networkdestinationipv4":
			if value.Kind != pyjson.String {
				return fmt.Errorf("networkdestinationipv4 %s is not a string", value.Dumps())
			}
			if value.S == "0.0.0.0" {
				continue
			}
			// "192.88.99.209, 192.88.99.209": the addresses are always the same
			if first, _, found := strings.Cut(value.S, ","); found {
				value = pyjson.Str(first)
			}
		}
		target, ok := interflowMap[key]
		if !ok {
			return fmt.Errorf("unknown Interflow key %q", key)
		}
		if err := ev.Set(target, value.HValue()); err != nil {
			return err
		}
	}
	confidence, ok := rec.Get("confidence")
	if !ok || (confidence.Kind != pyjson.Int && confidence.Kind != pyjson.Float) {
		return fmt.Errorf("confidence %s is not a number", confidence.Dumps())
	}
	if err := ev.Set("feed.accuracy", harmonization.Float(accuracy(ev)*confidence.Float()/100)); err != nil {
		return err
	}
	return ev.AddString("classification.type", "infected-system")
}

func isEmptyMetadata(v pyjson.Value) bool {
	d := v.Dumps()
	for _, e := range emptyMetadata {
		if d == e {
			return true
		}
	}
	return false
}

// accuracy returns the event's feed.accuracy, 100 when it has none.
func accuracy(ev *message.Message) float64 {
	if v, ok := ev.Get("feed.accuracy"); ok {
		return v.Float()
	}
	return 100
}

// parseAzure parses JSON lines.
func (p *Parser) parseAzure(text string, out botapi.Records) error {
	for _, l := range pytext.SplitLines(text) {
		if pytext.Strip(l.Text) == "" {
			continue
		}
		rec, err := pyjson.Parse(l.Text)
		if err != nil {
			out.Bad(l.Text, l.No, err)
			continue
		}
		if !rec.Truth() { // IntelMQ skips empty records
			continue
		}
		if rec.Kind != pyjson.Dict {
			out.Bad(l.Text, l.No, fmt.Errorf("the line is a JSON %s, not an object", rec.Kind))
			continue
		}
		if err := p.record(rec, out.NewEvent(), l.Text, l.No, out); err != nil {
			return err
		}
	}
	return nil
}

// ignore marks Azure keys that give no field.
const ignore = "__IGNORE__"

// azureMap maps the flattened Azure keys to event keys.
var azureMap = map[string]string{
	"DataFeed":               "feed.name",
	"SourcedFrom":            "event_description.text",
	"DateTimeReceivedUtc":    "time.source",
	"DateTimeReceivedUtcTxt": ignore,
	"Malware":                "extra.malware",
	"ThreatCode":             "malware.name",
	"ThreatConfidence":       "feed.accuracy",
	"TotalEncounters":        "extra.total_encounters",
	"TLP":                    "tlp",
	"SourceIp":               "source.ip",
	"SourcePort":             "source.port",
	"DestinationIp":          "destination.ip",
	// DestinationIpInfo.* fields are used in the ctip-c2 feed
	"DestinationIpInfo.DestinationIpAsnNumber":      "destination.asn",
	"DestinationIpInfo.DestinationIpAsnOrgName":     "destination.as_name",
	"DestinationIpInfo.DestinationIpCountryCode":    "destination.geolocation.cc",
	"DestinationIpInfo.DestinationIpRegion":         "destination.geolocation.region",
	"DestinationIpInfo.DestinationIpCity":           "destination.geolocation.city",
	"DestinationIpInfo.DestinationIpPostalCode":     "extra.destination.geolocation.postal_code",
	"DestinationIpInfo.DestinationIpLatitude":       "destination.geolocation.latitude",
	"DestinationIpInfo.DestinationIpLongitude":      "destination.geolocation.longitude",
	"DestinationIpInfo.DestinationIpMetroCode":      "extra.destination.geolocation.metro_code",
	"DestinationIpInfo.DestinationIpAreaCode":       "extra.destination.geolocation.area_code",
	"DestinationIpInfo.DestinationIpConnectionType": "extra.destination.connection_type",
	"DestinationIpInfo.DestinationIpv4Int":          ignore,
	"DestinationPort":                               "destination.port",
	"TargetIp":                                      ignore,
	"TargetPort":                                    ignore,
	"Signatures.Sha256":                             "extra.signatures.sha256",
	"SourceIpInfo.SourceIpAsnNumber":                "source.asn",
	"SourceIpInfo.SourceIpAsnOrgName":               "source.as_name",
	"SourceIpInfo.SourceIpCountryCode":              "source.geolocation.cc",
	"SourceIpInfo.SourceIpRegion":                   "source.geolocation.region",
	"SourceIpInfo.SourceIpCity":                     "source.geolocation.city",
	"SourceIpInfo.SourceIpPostalCode":               "extra.source.geolocation.postal_code",
	"SourceIpInfo.SourceIpLatitude":                 "source.geolocation.latitude",
	"SourceIpInfo.SourceIpLongitude":                "source.geolocation.longitude",
	"SourceIpInfo.SourceIpMetroCode":                "extra.source.geolocation.metro_code",
	"SourceIpInfo.SourceIpAreaCode":                 "extra.source.geolocation.area_code",
	"SourceIpInfo.SourceIpConnectionType":           "extra.source.connection_type",
	"SourceIpInfo.SourceIpv4Int":                    ignore, // the same as SourceIp
	"HttpInfo.HttpHost":                             "extra.http.host",
	"HttpInfo.HttpRequest":                          "extra.http.request",
	"HttpInfo.HttpMethod":                           "extra.http.method",
	"HttpInfo.HttpReferrer":                         "extra.http.referrer",
	"HttpInfo.HttpUserAgent":                        "extra.user_agent",
	"HttpInfo.HttpVersion":                          "extra.http.version",
	"CustomInfo.CustomField1":                       "extra.custom_field1",
	"CustomInfo.CustomField2":                       "extra.custom_field2",
	"CustomInfo.CustomField3":                       "extra.custom_field3",
	"CustomInfo.CustomField4":                       "extra.custom_field4",
	"CustomInfo.CustomField5":                       "extra.custom_field5",
	"Payload.ts":                                    "extra.payload.timestamp",
	"Payload.ip":                                    "extra.payload.ip",
	"Payload.port":                                  "extra.payload.port",
	"Payload.serverIp":                              "extra.payload.server.ip",
	"Payload.serverPort":                            "extra.payload.server.port",
	"Payload.domain":                                "destination.fqdn",
	"Payload.family":                                "extra.payload.family",
	"Payload.malware":                               "extra.payload.malware",
	"Payload.response":                              "extra.payload.response",
	"Payload.handler":                               "extra.payload.handler",
	"Payload.type":                                  "protocol.application",
	"Payload":                                       "extra.payload.text",
	"Payload.Time":                                  "extra.payload.time",
	"Payload.SourceIP":                              "extra.payload.source.ip",
	"Payload.DestIP":                                "extra.payload.destination.ip",
	"Payload.RemotePort":                            "extra.payload.remote.port",
	"Payload.RemoteHost":                            "extra.payload.remote.host",
	"Payload.ServerPort":                            "extra.payload.server.port",
	"Payload.BCode":                                 "extra.payload.b_code",
	"Payload.Protocol":                              "extra.payload.protocol",
	"Payload.Length":                                "extra.payload.length",
	"Payload.URI":                                   "destination.urlpath",
	"Payload.Referer":                               "extra.http_referer",
	"Payload.UserAgent":                             "extra.user_agent",
	"Payload.RequestMethod":                         "extra.http.method",
	"Payload.HTTPHost":                              "extra.http.host",
	"Payload.http_host":                             "extra.payload.http_host",
	"Payload.Custom1":                               "extra.payload.custom_field1",
	"Payload.Custom2":                               "extra.payload.custom_field2",
	"Payload.Custom3":                               "extra.payload.custom_field3",
	"Payload.Custom4":                               "extra.payload.custom_field4",
	"Payload.Custom5":                               "extra.payload.custom_field5",
	"Payload.timestamp":                             "extra.payload.timestamp",
	"Payload.timestamp_utc":                         "extra.payload.timestamp_utc",
	"Payload.source_ip":                             "extra.payload.source.ip",
	"Payload.source_port":                           "extra.payload.source.port",
	"Payload.src_port":                              "extra.payload.source.port",
	"Payload.destination_ip":                        "extra.payload.destination.ip",
	"Payload.dst_ip":                                "extra.payload.destination.ip",
	"Payload.destination_port":                      "extra.payload.destination.port",
	"Payload.dst_port":                              "extra.payload.destination.port",
	"Payload.computer_name":                         "extra.payload.computer_name",
	"Payload.bot_id":                                "extra.payload.bot_id",
	"Payload.asn":                                   "extra.payload.source.asn",
	"Payload.dst_asn":                               "extra.payload.destination.asn",
	"Payload.geo":                                   "extra.payload.source.geolocation.cc",
	"Payload.dst_geo":                               "extra.payload.destination.geolocation.cc",
	"Payload.url":                                   "extra.request_raw",
	"Payload.http_agent":                            "extra.http_agent",
	"Payload.p0f_genre":                             "extra.os.name",
	"Payload.p0f_detail":                            "extra.os.version",
	"Payload.http_post":                             "extra.payload.http_post",
	"Payload.naics":                                 "extra.naics",
	"Payload.sector":                                "extra.sector",
	"Payload.ssl_cipher":                            "extra.ssl_cipher",
}

// confidences maps ThreatConfidence to a percentage of feed.accuracy.
var confidences = map[string]float64{"High": 100, "Medium": 50, "Low": 20, "Informational": 10}

// azure maps one Azure record into ev.
func (p *Parser) azure(rec pyjson.Value, ev *message.Message) error {
	// First pass, in IntelMQ's order: unpack the payload, drop an unknown
	// TLP, and flatten nested objects to "<key>.<subkey>" (appended at the
	// end, as to a Python dict).
	n := len(rec.Keys) + 64 // room for the flattened keys
	line := pyjson.Value{Kind: pyjson.Dict, Keys: append(make([]string, 0, n), rec.Keys...),
		Items: append(make([]pyjson.Value, 0, n), rec.Items...)}
	for i, key := range rec.Keys {
		value := rec.Items[i]
		switch {
		case key == "Payload":
			if value.Kind != pyjson.String {
				return fmt.Errorf("the Payload %s is not a string", value.Dumps())
			}
			if value.S == "AA==" { // NULL
				line.Delete(key)
				continue
			}
			if strings.HasPrefix(value.S, "{") { // a JSON object as a string
				payload, err := pyjson.Parse(value.S)
				if err != nil {
					return fmt.Errorf("the Payload: %w", err)
				}
				if payload.Kind != pyjson.Dict {
					return fmt.Errorf("the Payload is a JSON %s, not an object", payload.Kind)
				}
				for j, pk := range payload.Keys {
					if err := ev.Set("extra.payload."+pk, payload.Items[j].HValue()); err != nil {
						return err
					}
				}
				line.Delete(key)
				continue
			}
			decoded, err := harmonization.Base64Decode(value.S)
			if err != nil {
				return fmt.Errorf("the Payload is not base64: %w", err)
			}
			if payload, err := pyjson.Parse(decoded); err == nil {
				value = payload // unpacked below when an object
			} else {
				line.Set(key, pyjson.Str(decoded))
			}
		case key == "TLP" && value.Kind == pyjson.String && strings.ToLower(value.S) == "unknown":
			line.Delete(key)
		case key == "TLP" && value.Kind != pyjson.String:
			return fmt.Errorf("TLP %s is not a string", value.Dumps())
		}
		if value.Kind == pyjson.Dict {
			for j, sk := range value.Keys {
				line.Set(key+"."+sk, value.Items[j])
			}
			line.Delete(key)
		}
	}
	// Second pass: map every key.
	for i, key := range line.Keys {
		value := line.Items[i]
		hv := value.HValue()
		switch key {
		case "ThreatConfidence":
			if value.Kind == pyjson.String && value.S == "None" {
				continue
			}
			c, ok := confidences[value.S]
			if value.Kind != pyjson.String || !ok {
				return fmt.Errorf("unknown ThreatConfidence %s", value.Dumps())
			}
			hv = harmonization.Float(accuracy(ev) * c / 100)
		case "DateTimeReceivedUtc":
			t, err := fromWindowsNT(value)
			if err != nil {
				return err
			}
			hv = harmonization.String(datetime.Format(t))
		case "Payload.ts":
			t, err := fromTimestamp(value)
			if err != nil {
				return err
			}
			hv = harmonization.String(datetime.Format(t))
		case "Payload.Protocol":
			if value.Kind != pyjson.String {
				return fmt.Errorf("Payload.Protocol %s is not a string", value.Dumps())
			}
			// "HTTP/1.1" also gives protocol.application "http"; IntelMQ
			// cuts the last character off a value without "/".
			name, _, _ := strings.Cut(value.S, "/")
			if name != "" {
				if err := ev.Set("protocol.application", harmonization.String(name)); err != nil {
					return err
				}
			}
		case "Payload.domain":
			// The destination address is sometimes given as domain; it is
			// already destination.ip.
			server, _ := line.Get("Payload.serverIp")
			if !(value.Kind == pyjson.String && parserutil.IsValid(p.schema, "destination.fqdn", value.S, false)) &&
				value.Equal(server) {
				continue
			}
		default:
			if !value.Truth() {
				continue
			}
		}
		target, ok := azureMap[key]
		if !ok {
			return fmt.Errorf("unknown Azure key %q", key)
		}
		if target == ignore {
			continue
		}
		o := message.OverwriteNo
		if p.overwrite || target == "feed.accuracy" {
			o = message.OverwriteYes
		}
		if _, err := ev.AddWith(target, hv, message.AddOptions{Overwrite: o}); err != nil {
			return err
		}
	}
	return ev.AddString("classification.type", "infected-system")
}

// fromWindowsNT converts 100-nanosecond ticks since 1601 as IntelMQ's
// DateTime.from_windows_nt does: the ticks times 1e-7 as a float, then
// Python's timedelta rounding, so the float's error shows in the
// microseconds (…43.050999 for …43.0510) exactly as in IntelMQ.
func fromWindowsNT(v pyjson.Value) (time.Time, error) {
	var ticks int64
	switch v.Kind {
	case pyjson.Int, pyjson.Float:
		ticks = int64(v.Float())
		if v.Kind == pyjson.Int {
			if n, err := pytext.Int(v.Num); err == nil {
				ticks = n
			}
		}
	case pyjson.String:
		n, err := pytext.Int(v.S)
		if err != nil {
			return time.Time{}, fmt.Errorf("DateTimeReceivedUtc %q is not a number", v.S)
		}
		ticks = n
	default:
		return time.Time{}, fmt.Errorf("DateTimeReceivedUtc %s is not a number", v.Dumps())
	}
	sec := float64(ticks) * 1e-7
	whole, frac := math.Modf(sec)
	us := int64(whole) * 1_000_000
	fracUS, left := math.Modf(frac * 1e6)
	us += int64(fracUS)
	round := math.Round(left)
	if math.Abs(round-left) == 0.5 { // half to even, on the total
		odd := float64(us & 1)
		round = 2*math.Round((left+odd)*0.5) - odd
	}
	us += int64(round)
	const ntEpochUnixUS = -11644473600 * 1_000_000
	t := time.UnixMicro(ntEpochUnixUS + us).UTC()
	if y := t.Year(); y < 1 || y > 9999 {
		return time.Time{}, fmt.Errorf("DateTimeReceivedUtc %d is outside years 1..9999", ticks)
	}
	return t, nil
}

// fromTimestamp converts epoch seconds as IntelMQ's
// DateTime.from_timestamp does.
func fromTimestamp(v pyjson.Value) (time.Time, error) {
	switch v.Kind {
	case pyjson.Int, pyjson.Float:
		return datetime.FromEpoch(v.Float())
	case pyjson.String:
		return datetime.FromEpoch(pyFloat(v.S))
	}
	return time.Time{}, fmt.Errorf("Payload.ts %s is not a number", v.Dumps())
}

// pyFloat reads a number as Python's float() does; NaN when it is none.
func pyFloat(s string) float64 {
	f, err := strconv.ParseFloat(pytext.Strip(s), 64)
	if err != nil {
		return math.NaN()
	}
	return f
}
