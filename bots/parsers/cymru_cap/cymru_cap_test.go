// SPDX-License-Identifier: AGPL-3.0-or-later

package cymrucap

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/bots/parsers/internal/parsertest"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
)

// TestConformance replays IntelMQ's CAP program parser tests (both
// formats) and compares every event with IntelMQ's, raw included.
func TestConformance(t *testing.T) {
	passed := parsertest.Replay(t, parsertest.Corpus("cymru"), Module, Spec(), New)
	t.Logf("cases passed: %v", passed)
}

func parse(t *testing.T, text string) *parsertest.Recorder {
	t.Helper()
	rec, err := parsertest.ParseText(t, parsertest.New(t, New, botapi.MapParams{}), "CAP", text)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestBadLines(t *testing.T) {
	const header = "#generated on 20190326\n"
	tests := []struct {
		name, line, wantErr string
	}{
		{"unknown category", "worm|192.0.2.1|64496|2019-03-22 11:18:52||AS, AT", "unknown category"},
		{"too few fields", "bot|192.0.2.1|64496", "has 3 fields"},
		{"unknown key", "bot|192.0.2.1|64496|2019-03-22 11:18:52|colour: red;|AS, AT", "unknown key"},
		{"unknown protocol", "darknet|192.0.2.1|64496|2019-03-22 11:18:52|protocol: 100;|AS, AT", "unknown protocol"},
		{"bare comment", "darknet|192.0.2.1|64496|2019-03-22 11:18:52|oops;|AS, AT", "unable to parse comment"},
		{"asns without asn", "proxy|192.0.2.1|0|2019-03-22 11:18:52|additional_asns: 1;|AS, AT", "without an ASN"},
		{"two protocols", "darknet|192.0.2.1|64496|2019-03-22 11:18:52|protocol: 6;protocol: 17;|AS, AT", "protocol.transport"},
		{"invalid ip", "bot|192.0.2.x|64496|2019-03-22 11:18:52|family: x;|AS, AT", "source.ip"},
	}
	for _, tt := range tests {
		rec := parse(t, header+tt.line+"\nspam|192.0.2.9|64496|2019-10-02 23:00:17||AS, AT\n")
		if len(rec.Bads) != 1 {
			t.Errorf("%s: %d bad records, want 1", tt.name, len(rec.Bads))
			continue
		}
		b := rec.Bads[0]
		if b.Line != 2 || b.Raw != header+tt.line || !strings.Contains(b.Err.Error(), tt.wantErr) {
			t.Errorf("%s: bad record line %d raw %q error %v; want line 2, error with %q", tt.name, b.Line, b.Raw, b.Err, tt.wantErr)
		}
		if len(rec.Events) != 1 {
			t.Errorf("%s: %d events, want the good line's 1", tt.name, len(rec.Events))
		}
	}
}

func TestNoHeader(t *testing.T) {
	rec := parse(t, "spam|192.0.2.9|64496|2019-10-02 23:00:17||AS, AT\n")
	if len(rec.Events) != 0 || len(rec.Bads) != 1 || rec.Bads[0].Err != errNoFormat {
		t.Errorf("events %d, bad %v; want one bad record for the missing header", len(rec.Events), rec.Bads)
	}
}

func TestOldFormat(t *testing.T) {
	const header = "# Data file written at Fri Oct 31 13:37:42 2017 GMT\n"
	rec := parse(t, header+
		"stormworm|192.0.2.1|64496|2017-10-31 10:00:00|confidence:4 crypto srcport 4444 legacy|AS\n"+
		"spreaders|192.0.2.2|64496|2017-10-31 10:00:00|http://example.com/x 0123456789abcdef0123456789abcdef|AS\n"+
		"defacement|192.0.2.3|64496|2017-10-31 10:00:00|http://example.com/ 12345|AS\n"+
		"scanners|192.0.2.4|64496|2017-10-31 10:00:00|22 23|AS\n")
	evs := rec.Decoded(t)
	if len(evs) != 3 || len(rec.Bads) != 1 {
		t.Fatalf("%d events and %d bad records, want 3 and 1", len(evs), len(rec.Bads))
	}
	want := []map[string]string{
		{"feed.accuracy": "80.0", "malware.version": "crypto", "extra.source_port": "4444", "classification.type": "infected-system"},
		{"source.url": "http://example.com/x", "malware.hash.md5": "0123456789abcdef0123456789abcdef", "classification.identifier": "spreader"},
		{"source.url": "http://example.com/", "extra.zoneh.id": "12345", "classification.type": "unauthorised-information-modification"},
	}
	for i, w := range want {
		for k, v := range w {
			got, ok := evs[i].Get(k)
			if !ok || got.String() != v {
				t.Errorf("event %d: %s = %v, want %s", i, k, got, v)
			}
		}
	}
}

// TestBadLineThroughRunner: through the runner, a line that gives no event
// is dumped and sent to _on_error as a report holding the header and the
// line; the other lines' events are delivered.
func TestBadLineThroughRunner(t *testing.T) {
	text := "#generated on 20190326\nworm|192.0.2.1|64496|2019-03-22 11:18:52||AS, AT\n" +
		"spam|192.0.2.9|64496|2019-10-02 23:00:17||AS, AT\n"
	res := bottest.Run(t, bottest.Case{Kind: botapi.KindParser, New: New, AllowedErrors: 1,
		Input: []any{`{"__type": "Report", "feed.name": "CAP", "raw": "` + base64.StdEncoding.EncodeToString([]byte(text)) + `"}`}})
	res.AssertOutputLen(t, "", 1)
	res.AssertMessageEqual(t, 0, map[string]any{"__type": "Event", "feed.name": "CAP", "classification.type": "spam",
		"classification.identifier": "spam", "source.ip": "192.0.2.9", "source.asn": 64496, "source.as_name": "AS",
		"source.geolocation.cc": "AT", "time.source": "2019-10-02T23:00:17+00:00"}, false, "")
	bad := res.Messages(botapi.ErrorPath)
	if len(bad) != 1 || len(res.Dumps) != 1 {
		t.Fatalf("%d reports on _on_error and %d dumps, want 1 of each", len(bad), len(res.Dumps))
	}
	if raw, err := bad[0].RawText(); err != nil || raw != "#generated on 20190326\nworm|192.0.2.1|64496|2019-03-22 11:18:52||AS, AT" {
		t.Errorf("bad record raw %q (%v)", raw, err)
	}
}

// BenchmarkNewFormat parses a report of 1000 lines of the new format.
func BenchmarkNewFormat(b *testing.B) {
	text := "#generated on 20190326\n#category|address|asn|timestamp|optional_information|asninfo\n" +
		strings.Repeat("bot|172.16.0.21|64496|2019-03-25 03:44:22|family: nivdort;dest_addr: 172.16.0.22; dest_port: 80;protocol: 6;|Example AS Name, AT\n", 1000)
	p := parsertest.New(b, New, botapi.MapParams{})
	b.ReportAllocs()
	for b.Loop() {
		rec, err := parsertest.ParseText(b, p, "CAP", text)
		if err != nil || len(rec.Events) != 1000 {
			b.Fatalf("%d events, %v", len(rec.Events), err)
		}
	}
}
