// SPDX-License-Identifier: AGPL-3.0-or-later

package microsoftctip

import (
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/bots/parsers/internal/parsertest"
	"github.com/intelmq-go/intelmq/bots/parsers/internal/pyjson"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/datetime"
)

// TestConformance replays IntelMQ's CTIP parser tests (Interflow, Azure,
// Azure without overwrite) and compares every event with IntelMQ's, raw
// included.
func TestConformance(t *testing.T) {
	passed := parsertest.Replay(t, parsertest.Corpus("microsoft"), Module, Spec(), New)
	t.Logf("cases passed: %v", passed)
}

func TestFromWindowsNT(t *testing.T) {
	tests := map[string]string{
		"132348339284870000": "2020-05-24T22:45:28.487000+00:00",
		"132348340630510000": "2020-05-24T22:47:43.050999+00:00",
		"132622667720000000": "2021-04-07T10:59:32+00:00",
		"0":                  "1601-01-01T00:00:00+00:00",
		"5":                  "1601-01-01T00:00:00+00:00", // half a microsecond, to even
		"15":                 "1601-01-01T00:00:00.000002+00:00",
	}
	for in, want := range tests {
		t1, err := fromWindowsNT(pyjson.Value{Kind: pyjson.Int, Num: in})
		if err != nil || datetime.Format(t1) != want {
			t.Errorf("fromWindowsNT(%s) = %v, %v; want %s", in, t1, err, want)
		}
		t2, err := fromWindowsNT(pyjson.Str(in))
		if err != nil || !t2.Equal(t1) {
			t.Errorf("fromWindowsNT(%q) = %v, %v; want the same as the number", in, t2, err)
		}
	}
	if _, err := fromWindowsNT(pyjson.Str("soon")); err == nil {
		t.Error("fromWindowsNT(\"soon\") gave no error")
	}
}

func parse(t *testing.T, params botapi.MapParams, text string) *parsertest.Recorder {
	t.Helper()
	rec, err := parsertest.ParseText(t, parsertest.New(t, New, params), "CTIP", text)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestBadRecords(t *testing.T) {
	tests := []struct{ name, text string }{
		{"not json", "plain text"},
		{"unknown threat", `[{"indicatorthreattype": "Spam", "version": 1.5, "confidence": 1}]`},
		{"unknown interflow key", `[{"indicatorthreattype": "Botnet", "version": 1.5, "confidence": 1, "colour": "red"}]`},
		{"unknown azure key", `{"DataFeed": "x", "Colour": "red"}`},
		{"broken azure line", `{"DataFeed": "x"`},
		{"unknown confidence", `{"ThreatConfidence": "Total"}`},
	}
	for _, tt := range tests {
		rec := parse(t, botapi.MapParams{paramOverwrite: true}, tt.text)
		if len(rec.Events) != 0 || len(rec.Bads) != 1 {
			t.Errorf("%s: %d events, %d bad records; want 0 and 1", tt.name, len(rec.Events), len(rec.Bads))
		}
	}
}

func TestAzurePayloadForms(t *testing.T) {
	// base64 of "plain", of {"Protocol": "TCP"}, and a JSON string.
	rec := parse(t, botapi.MapParams{paramOverwrite: true},
		`{"SourceIp": "192.0.2.1", "Payload": "cGxhaW4="}`+"\n\n"+
			`{"SourceIp": "192.0.2.2", "Payload": "eyJQcm90b2NvbCI6ICJUQ1AifQ=="}`+"\n"+
			`{"SourceIp": "192.0.2.3", "Payload": "{\"a\": 1, \"b\": [2]}"}`+"\n"+
			`{"SourceIp": "192.0.2.4", "Payload": "AA==", "TLP": "unknown"}`+"\n")
	evs := rec.Decoded(t)
	if len(evs) != 4 || len(rec.Bads) != 0 {
		t.Fatalf("%d events, %d bad records; want 4 and 0", len(evs), len(rec.Bads))
	}
	checks := []map[string]string{
		{"extra.payload.text": "plain"},
		{"extra.payload.protocol": "TCP", "protocol.application": "tcp"},
		{"extra.payload.a": "1", "extra.payload.b": "[2]"},
		{"source.ip": "192.0.2.4"},
	}
	for i, c := range checks {
		for k, want := range c {
			if got, ok := evs[i].Get(k); !ok || got.String() != want {
				t.Errorf("event %d: %s = %v, want %s", i, k, got, want)
			}
		}
	}
	if evs[3].Has("tlp") || evs[3].Has("extra.payload.text") {
		t.Errorf("event 3 keeps an unknown TLP or a NULL payload: %s", evs[3])
	}
}

// BenchmarkAzure parses a report of 1000 Azure lines (the corpus's six,
// repeated).
func BenchmarkAzure(b *testing.B) {
	line := `{"DataFeed":"CTIP-Infected","SourcedFrom":"SinkHoleMessage","DateTimeReceivedUtc":132348339284870000,` +
		`"Malware":"Avalanche","ThreatCode":"B67-SS-TINBA","ThreatConfidence":"Low","TotalEncounters":3,"TLP":"Amber",` +
		`"SourceIp":"224.0.5.8","SourcePort":65116,"DestinationIp":"198.18.18.18","DestinationPort":80,` +
		`"SourceIpInfo":{"SourceIpAsnNumber":"64496","SourceIpAsnOrgName":"Example AS 1","SourceIpCountryCode":"AT",` +
		`"SourceIpLatitude":48.2,"SourceIpLongitude":16.3667},"HttpInfo":{"HttpHost":"","HttpRequest":""},` +
		`"CustomInfo":{"CustomField1":"tinba"},"Payload":"eyJ0cyI6MTU5MDM2MDMyOC40ODc0MiwiaXAiOiIxMjcuMC4wLjEiLCJwb3J0Ijo2NTExNiwic2VydmVySXAiOiIxOTguMTguMTg1LjE2MiIsInNlcnZlclBvcnQiOjgwLCJkb21haW4iOiJleGFtcGxlLmNvbSIsImZhbWlseSI6InRpbmJhIiwibWFsd2FyZSI6e30sInJlc3BvbnNlIjoiUmVzcG9uc2UiLCJoYW5kbGVyIjoidGluYmEiLCJ0eXBlIjoiSHR0cCJ9"}`
	text := strings.Repeat(line+"\n", 1000)
	p := parsertest.New(b, New, botapi.MapParams{paramOverwrite: true})
	b.ReportAllocs()
	for b.Loop() {
		rec, err := parsertest.ParseText(b, p, "CTIP", text)
		if err != nil || len(rec.Events) != 1000 {
			b.Fatalf("%d events, %v", len(rec.Events), err)
		}
	}
}

// TestVersionTellsTheForm: as in IntelMQ, an object with version 1.5 is
// mapped as an Interflow record even among Azure lines, and its raw is the
// line.
func TestVersionTellsTheForm(t *testing.T) {
	line := `{"indicatorthreattype": "Botnet", "version": 1.5, "confidence": 50, "networksourceipv4": "192.0.2.1"}`
	rec := parse(t, botapi.MapParams{paramOverwrite: true}, line+"\n")
	evs := rec.Decoded(t)
	if len(evs) != 1 {
		t.Fatalf("%d events, bad records %+v", len(evs), rec.Bads)
	}
	raw, _ := evs[0].RawText()
	acc, _ := evs[0].Get("feed.accuracy")
	if evs[0].GetString("source.ip") != "192.0.2.1" || acc.String() != "50.0" || raw != line {
		t.Errorf("event %s, raw %q", evs[0], raw)
	}
}
