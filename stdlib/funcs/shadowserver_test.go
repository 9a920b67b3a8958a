// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestShadowserverConvert(t *testing.T) {
	row := `{'cc_dns': '', 'http_host': 'example.com', 'url': 'GET /a/b?c HTTP/1.1', 'application': 'https', ` +
		`'category': '', 'detail': 'd'}`
	runCases(t, []exprCase{
		{src: `shadowserverConvert('add_UTC_to_timestamp', '2020-01-01 00:00:00')`, want: "2020-01-01 00:00:00 UTC"},
		{src: `shadowserverConvert('convert_bool', 'Enabled')`, want: true},
		{src: `shadowserverConvert('convert_bool', 'N')`, want: false},
		{src: `shadowserverConvert('convert_bool', 'maybe')`, want: nil},
		{src: `shadowserverConvert('validate_to_none', 'unknown')`, want: nil},
		{src: `shadowserverConvert('validate_to_none', '0')`, want: nil},
		{src: `shadowserverConvert('validate_to_none', 'x')`, want: "x"},
		{src: `shadowserverConvert('convert_int', ' 1_000 ')`, want: 1000},
		{src: `shadowserverConvert('convert_int', '')`, want: nil},
		{src: `shadowserverConvert('convert_int', '1.5')`, err: "invalid literal for int()"},
		{src: `shadowserverConvert('invalidate_zero', '0')`, want: nil},
		{src: `shadowserverConvert('invalidate_zero', '64512')`, want: 64512},
		{src: `shadowserverConvert('convert_float', '1e3')`, want: 1000.0},
		{src: `shadowserverConvert('convert_float', 'x')`, err: "could not convert string to float"},
		{src: `shadowserverConvert('validate_ip', '192.0.2.1')`, want: "192.0.2.1"},
		{src: `shadowserverConvert('validate_ip', '0.0.0.0')`, want: nil},
		{src: `shadowserverConvert('validate_ip', '192.0.2.0/24')`, want: nil},
		{src: `shadowserverConvert('validate_network', '192.0.2.0/24')`, want: "192.0.2.0/24"},
		{src: `shadowserverConvert('validate_network', '192.0.2.1')`, want: nil},
		{src: `shadowserverConvert('validate_fqdn', 'example.com')`, want: "example.com"},
		{src: `shadowserverConvert('validate_fqdn', 'example.com:8080')`, want: nil},
		{src: `shadowserverConvert('convert_date', '2020-01-02 03:04:05')`, want: "2020-01-02T03:04:05+00:00"},
		{src: `shadowserverConvert('convert_date', 'no date')`, want: nil},
		{src: `shadowserverConvert('convert_date_utc', '2020-01-02 03:04:05')`, want: "2020-01-02T03:04:05+00:00"},
		{src: `shadowserverConvert('force_base64', 'aGVsbG8=')`, want: "aGVsbG8="},
		{src: `shadowserverConvert('force_base64', 'hello world')`, want: "aGVsbG8gd29ybGQ="},
		{src: `shadowserverConvert('force_base64', '')`, want: nil},
		{src: `shadowserverConvert('scan_exchange_taxonomy', 'exchange;webshell')`, want: "intrusions"},
		{src: `shadowserverConvert('scan_exchange_type', 'exchange')`, want: "vulnerable-system"},
		{src: `shadowserverConvert('scan_exchange_identifier', 'exchange;webshell')`, want: "exchange-server-webshell"},
		{src: `shadowserverConvert('extract_cve_from_tag', 'x;cve-2021-2;cve-2020-1;cve-2021-2')`, want: "cve-2020-1;cve-2021-2"},
		{src: `shadowserverConvert('extract_cve_from_tag', 'exchange')`, want: nil},
		{src: `shadowserverConvert('convert_http_host_and_url', 'GET /a/b?c HTTP/1.1', ` + row + `)`, want: "https://example.com/a/b?c"},
		{src: `shadowserverConvert('convert_http_host_and_url', 'v', {'url': '/x'})`, want: "v"},
		{src: `shadowserverConvert('category_or_detail', '', ` + row + `)`, want: "d"},
		{src: `shadowserverConvert('no_such_function', 'x')`, err: "unknown conversion function"},
	})
}

// shadowserverItems is a small items list in the compact form.
var shadowserverItems = []any{
	"time.source:timestamp:add_UTC_to_timestamp",       // 0
	"source.ip:ip:validate_ip",                         // 1
	"source.port:port:convert_int",                     // 2
	"source.reverse_dns:hostname",                      // 3
	"extra.:tag:validate_to_none",                      // 4
	"severity:severity",                                // 5: not a harmonization field
	"false:junk",                                       // 6
	"product.vulnerabilities:tag:extract_cve_from_tag", // 7: the column tag a second time
	"extra.source.naics:naics:invalidate_zero",         // 8
	"classification.type=vulnerable-system",            // 9
	"protocol.transport=tcp",                           // 10
	"source.asn:asn:no_such_function",                  // 11
	"protocol.transport:protocol",                      // 12
	"extra.empty:empty",                                // 13
}

func TestShadowserverEvent(t *testing.T) {
	s := shadowserverFuncs()
	var event func(...any) (any, error)
	for _, f := range s {
		if f.Name == "shadowserverEvent" {
			event = f.Fn
		}
	}
	const report = "Feed|feed-report/|0-2|3-8 11 12 13|9 10"
	row := map[string]any{
		"timestamp": "2020-01-01 00:00:00", "ip": "192.0.2.1", "port": "443", "hostname": "10.0.0.1:8080",
		"tag": "smb;cve-2020-1", "severity": "high", "junk": "x", "naics": "0", "asn": "64512", "protocol": "udp",
		"empty": "", "unmapped": "kept", "blank": "",
	}
	got, err := event(shadowserverItems, report, row)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"time.source": "2020-01-01T00:00:00+00:00", "source.ip": "192.0.2.1", "source.port": int64(443),
		// The constant replaces the column's value, as IntelMQ's update.
		"classification.type": "vulnerable-system", "protocol.transport": "tcp",
		// An unknown conversion leaves the value as it is.
		"source.asn": int64(64512),
		"extra": map[string]any{
			"tag": "smb;cve-2020-1", "severity": "high", "product.vulnerabilities": "cve-2020-1",
			// The rejected host name is left to extra under its column.
			"hostname": "10.0.0.1:8080",
			// IntelMQ keeps empty strings in extra.
			"empty":    "",
			"unmapped": "kept",
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("shadowserverEvent (-want +got):\n%s", diff)
	}

	// A required column missing from the header fails the row; a value the
	// required field rejects too.
	missing := map[string]any{"timestamp": "2020-01-01 00:00:00", "ip": "192.0.2.1"}
	if _, err := event(shadowserverItems, report, missing); err == nil || !strings.Contains(err.Error(), `required column "port"`) {
		t.Errorf("missing required column: %v", err)
	}
	bad := map[string]any{"timestamp": "yesterday-ish", "ip": "192.0.2.1", "port": "1"}
	if _, err := event(shadowserverItems, report, bad); err == nil || !errors.Is(err, ErrArgument) {
		t.Errorf("invalid required value: %v", err)
	}
	// An empty required value adds nothing, as IntelMQ's add ignores "".
	empty := map[string]any{"timestamp": "2020-01-01 00:00:00", "ip": "", "port": ""}
	got, err = event(shadowserverItems, report, empty)
	if err != nil {
		t.Fatal(err)
	}
	if m := got.(map[string]any); m["source.ip"] != nil || m["source.port"] != nil || m["time.source"] == nil {
		t.Errorf("empty required values: %v", m)
	}
	for _, tc := range []struct {
		items  []any
		report string
	}{
		{shadowserverItems, "Feed|x|0-2"},
		{shadowserverItems, "Feed|x|99||"},
		{shadowserverItems, "Feed|x|9||"},
		{shadowserverItems, "Feed|x|||0"},
		{[]any{"no-colon"}, "Feed|x|0||"},
		{[]any{}, "Feed|x|||"},
	} {
		if _, err := event(tc.items, tc.report, row); err == nil {
			t.Errorf("items %v, report %q: no error", tc.items, tc.report)
		}
	}
}

// BenchmarkShadowserverEvent maps one row of eleven columns.
func BenchmarkShadowserverEvent(b *testing.B) {
	var event func(...any) (any, error)
	for _, f := range shadowserverFuncs() {
		if f.Name == "shadowserverEvent" {
			event = f.Fn
		}
	}
	const report = "Feed|feed-report/|0-2|3-8 12 13|9 10"
	row := map[string]any{
		"timestamp": "2020-01-01 00:00:00", "ip": "192.0.2.1", "port": "443", "hostname": "host.example.com",
		"tag": "smb;cve-2020-1", "severity": "high", "junk": "x", "naics": "0", "protocol": "udp", "empty": "",
		"unmapped": "kept",
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := event(shadowserverItems, report, row); err != nil {
			b.Fatal(err)
		}
	}
}
