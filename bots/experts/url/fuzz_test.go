// SPDX-License-Identifier: AGPL-3.0-or-later

package url

import (
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/runtime/botapi"
	"github.com/intelmq-go/intelmq/stdlib/harmonization"
	"github.com/intelmq-go/intelmq/stdlib/message"
)

// FuzzParseURL checks that the Python-compatible split never panics and
// keeps its parts consistent with the input.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"https://admin@www.example.com:8443/index.html", "http://[::1]:80/a;b?c#d",
		"//host", "mailto:x@y", "http://a@b@c:99999/", "http://[::1/x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := parseURL(s)
		if err != nil {
			return
		}
		if u.Scheme != strings.ToLower(u.Scheme) {
			t.Errorf("scheme %q is not lowercase", u.Scheme)
		}
		if u.Netloc != "" && !strings.Contains(s, u.Netloc) && !strings.ContainsAny(s, "\t\r\n") {
			t.Errorf("netloc %q is not part of %q", u.Netloc, s)
		}
		u.Hostname()
		u.Username()
		if port, ok, err := u.Port(); err == nil && ok && (port < 0 || port > 65535) {
			t.Errorf("port %d out of range", port)
		}
	})
}

// FuzzEnrich checks that any source.url the harmonization accepts is
// either enriched or rejected with an error, never a panic.
func FuzzEnrich(f *testing.F) {
	f.Add("http://5.5.5.5/index.html")
	f.Add("https://admin@www.example.com:8443/x")
	f.Add("ftp://[2001:db8::1]:21/")
	e, err := New(&botapi.Context{}, botapi.MapParams{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		msg := message.NewEvent(harmonization.Default())
		if msg.AddString("source.url", s) != nil {
			return
		}
		_ = e.(*Expert).Enrich(msg)
	})
}
