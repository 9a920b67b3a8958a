// SPDX-License-Identifier: AGPL-3.0-or-later

package url

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/intelmq-go/intelmq/bots/internal/conformance"
	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/runtime/bottest"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// TestConformance replays IntelMQ's own url expert tests through the
// runner (bottest).
func TestConformance(t *testing.T) {
	for _, c := range conformance.LoadDir(t, "testdata") {
		t.Run(c.Name, func(t *testing.T) {
			for _, run := range c.Runs() {
				params, err := conformance.Params(Spec(), run.Parameters)
				if err != nil {
					t.Fatal(err)
				}
				res := bottest.Run(t, bottest.Case{Kind: botapi.KindExpert, New: New, Params: params,
					Input: run.Inputs(), Paths: run.Paths()})
				run.CheckResult(t, res)
			}
		})
	}
}

func newExpert(t *testing.T, raw map[string]any) *Expert {
	t.Helper()
	params, err := conformance.Params(Spec(), raw)
	if err != nil {
		t.Fatal(err)
	}
	bot, err := New(&botapi.Context{ID: "url-expert"}, params)
	if err != nil {
		t.Fatal(err)
	}
	return bot.(*Expert)
}

// TestEnrich covers what IntelMQ's tests do not; the expectations follow
// IntelMQ's expert on the same input.
func TestEnrich(t *testing.T) {
	tests := []struct {
		name   string
		params map[string]any
		in     map[string]string
		want   map[string]string
	}{
		{
			name: "ftp default port and transport",
			in:   map[string]string{"source.url": "ftp://files.example.org/pub/x.exe"},
			want: map[string]string{"source.url": "ftp://files.example.org/pub/x.exe", "source.fqdn": "files.example.org",
				"source.port": "21", "source.urlpath": "/pub/x.exe", "protocol.application": "ftp", "protocol.transport": "tcp"},
		},
		{
			name: "unknown scheme: application is the scheme, no port",
			in:   map[string]string{"destination.url": "irc://irc.example.org/chan"},
			want: map[string]string{"destination.url": "irc://irc.example.org/chan", "destination.fqdn": "irc.example.org",
				"destination.urlpath": "/chan", "protocol.application": "irc"},
		},
		{
			name: "ipv6 host with port and params",
			in:   map[string]string{"source.url": "http://[2001:db8::1]:8080/a;b?q=1"},
			want: map[string]string{"source.url": "http://[2001:db8::1]:8080/a;b?q=1", "source.ip": "2001:db8::1",
				"source.port": "8080", "source.urlpath": "/a", "protocol.application": "http", "protocol.transport": "tcp"},
		},
		{
			name: "existing fields kept without overwrite",
			in:   map[string]string{"source.url": "https://a.example/x", "source.port": "1", "protocol.application": "smtp"},
			want: map[string]string{"source.url": "https://a.example/x", "source.fqdn": "a.example", "source.port": "1",
				"source.urlpath": "/x", "protocol.application": "smtp"},
		},
		{
			name: "port 0 falls back to the default port",
			in:   map[string]string{"source.url": "http://a.example:0/"},
			want: map[string]string{"source.url": "http://a.example:0/", "source.fqdn": "a.example", "source.port": "80",
				"source.urlpath": "/", "protocol.application": "http", "protocol.transport": "tcp"},
		},
		{
			name:   "skip ip still tries fqdn, which rejects an ip",
			params: map[string]any{"skip_fields": []any{"source.ip"}},
			in:     map[string]string{"source.url": "http://192.0.2.1/"},
			want: map[string]string{"source.url": "http://192.0.2.1/", "source.port": "80", "source.urlpath": "/",
				"protocol.application": "http", "protocol.transport": "tcp"},
		},
		{
			name: "account that is not a valid value is skipped",
			in:   map[string]string{"source.url": "http://:pw@a.example/"},
			want: map[string]string{"source.url": "http://:pw@a.example/", "source.fqdn": "a.example", "source.port": "80",
				"source.urlpath": "/", "protocol.application": "http", "protocol.transport": "tcp"},
		},
	}
	for _, tt := range tests {
		e := newExpert(t, tt.params)
		msg := message.NewEvent(harmonization.Default())
		for k, v := range tt.in {
			if err := msg.AddString(k, v); err != nil {
				t.Fatalf("%s: add %s: %v", tt.name, k, err)
			}
		}
		if err := e.Enrich(msg); err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		got := map[string]string{}
		msg.Range(func(k string, v harmonization.Value) bool { got[k] = v.String(); return true })
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestEnrichBadPort(t *testing.T) {
	e := newExpert(t, nil)
	msg := message.NewEvent(harmonization.Default())
	if err := msg.AddString("source.url", "http://a.example:http/"); err != nil {
		t.Fatal(err)
	}
	if err := e.Enrich(msg); !errors.Is(err, ErrInvalidURL) {
		t.Errorf("Enrich with a non-numeric port: error = %v, want ErrInvalidURL", err)
	}
}
