// SPDX-License-Identifier: AGPL-3.0-or-later

package twitter

import (
	"reflect"
	"strings"
	"testing"

	"github.com/intelmq-go/intelmq/bots/parsers/internal/parsertest"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// TestConformance replays IntelMQ's Twitter parser test and compares every
// event with IntelMQ's, raw included.
func TestConformance(t *testing.T) {
	passed := parsertest.Replay(t, parsertest.Corpus("twitter"), Module, Spec(), New)
	t.Logf("cases passed: %v", passed)
}

// TestNormalizeURL checks the port of url-normalize 1.4 against the
// results its own test suite expects.
func TestNormalizeURL(t *testing.T) {
	tests := map[string]string{
		"/../foo":                                  "/foo",
		"/./foo/.":                                 "/foo/",
		"//www.foo.com/":                           "https://www.foo.com/",
		"/foo///bar//":                             "/foo/bar/",
		"/foo/bar/../../../../baz":                 "/baz",
		"/foo/bar/../":                             "/foo/",
		"http://:@example.com/":                    "http://example.com/",
		"http://@example.com/":                     "http://example.com/",
		"http://127.0.0.1:80/":                     "http://127.0.0.1/",
		"http://example.com:081/":                  "http://example.com:81/",
		"http://example.com":                       "http://example.com/",
		"http://example.com/?b&a":                  "http://example.com/?a&b",
		"http://example.com/?q=%5c":                "http://example.com/?q=%5C",
		"http://example.com/?q=%C7":                "http://example.com/?q=%EF%BF%BD",
		"http://example.com/?q=C%CC%A7":            "http://example.com/?q=%C3%87",
		"http://EXAMPLE.COM/":                      "http://example.com/",
		"http://example.com/%7Ejane":               "http://example.com/~jane",
		"http://example.com/#!5753509/hello-world": "http://example.com/?_escaped_fragment_=5753509/hello-world",
		"http://USER:pass@www.Example.COM/foo/bar": "http://USER:pass@www.example.com/foo/bar",
		"http://www.foo.com.:81/foo":               "http://www.foo.com:81/foo",
		"http://www.foo.com/%7ebar":                "http://www.foo.com/~bar",
		"пример.испытание/Служебная:Search/Test": "https://xn--e1afmkfd.xn--80akhbyknj4f/%D0%A1%D0%BB%D1%83%D0%B6%D0%B5%D0%B1%D0%BD%D0%B0%D1%8F:Search/Test",
		"example.com/?utm_source=feed&x=1":       "https://example.com/?x=1",
		"-":                                      "-",
		"":                                       "",
		"/foo..":                                 "/foo..",
		"ftp://user:pass@ftp.foo.net/foo/bar":    "ftp://user:pass@ftp.foo.net/foo/bar",
		"http://example.com/?q=%E2%85%A0":        "http://example.com/?q=%E2%85%A0",
		"ldap://[2001:db8::7]/c=GB?objectClass?one":           "ldap://[2001:db8::7]/c=GB?objectClass?one",
		"mailto:John.Doe@example.com":                         "mailto:John.Doe@example.com",
		"news:comp.infosystems.www.servers.unix":              "news:comp.infosystems.www.servers.unix",
		"urn:oasis:names:specification:docbook:dtd:xml:4.1.2": "urn:oasis:names:specification:docbook:dtd:xml:4.1.2",
		"telnet://192.0.2.16:80/":                             "telnet://192.0.2.16:80/",
	}
	for in, want := range tests {
		got, err := normalizeURL(in, "https")
		if err != nil || got != want {
			t.Errorf("normalizeURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"a..b.com/", "ab.cd://x:80/", "http://[::1/"} {
		if got, err := normalizeURL(in, "https"); err == nil {
			t.Errorf("normalizeURL(%q) = %q, want an error", in, got)
		}
	}
}

func TestHasPublicSuffix(t *testing.T) {
	tests := map[string]bool{
		"http://example.com/":          true,
		"http://block.de.com/x":        true,
		"http://foo.blogspot.com/":     true,
		"http://sales.exe/":            false,
		"http://com/":                  false,
		"http://co.uk/":                false,
		"http://user@example.org:81/":  true,
		"http://example.com.:81/":      true,
		"mailto:john@example.com":      false,
		"http://192.0.2.1/":            false,
		"http://www.example.invalid/x": false,
	}
	for in, want := range tests {
		if got := hasPublicSuffix(in); got != want {
			t.Errorf("hasPublicSuffix(%q) = %v, want %v", in, got, want)
		}
	}
}

func newParser(t *testing.T, params botapi.MapParams) *Parser {
	t.Helper()
	full := botapi.MapParams{}
	for _, p := range Spec().Params {
		full[p.Name] = p.Default
	}
	for k, v := range params {
		full[k] = v
	}
	return parsertest.New(t, New, full).(*Parser)
}

// TestURLs: names with paths, query and port, Python's white space, the whitelist
// searched anywhere in the candidate (so "t.co" also drops microsoft.com, as
// in IntelMQ) and unlisted suffixes (.exe).
func TestURLs(t *testing.T) {
	p := newParser(t, botapi.MapParams{paramDefaultScheme: "http", paramDomainWhitelist: "t.co,example\\.net"})
	got := p.URLs("see https://t.co/abc and EXAMPLE.org/Path?b=2&a=1 or\u00a0foo.example.net/x, bar.exe\x1cwww.example.com:8080 microsoft.com/x")
	want := []string{"http://example.org/path?a=1&b=2", "http://www.example.com:8080/"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("URLs = %q, want %q", got, want)
	}
}

func TestParameters(t *testing.T) {
	if _, err := New(parsertest.Context(), botapi.MapParams{paramSubstitutions: "a;b;c"}); err == nil ||
		!strings.Contains(err.Error(), paramSubstitutions) {
		t.Errorf("odd substitutions: error %v", err)
	}
	if _, err := New(parsertest.Context(), botapi.MapParams{paramDomainWhitelist: "("}); err == nil {
		t.Error("an invalid whitelist expression gave no error")
	}
	if p := newParser(t, botapi.MapParams{paramClassificationType: "no-such-type"}); p.classificationType != "unknown" {
		t.Errorf("invalid classification type became %q, want unknown", p.classificationType)
	}
	if p := newParser(t, nil); p.scheme != "https" {
		t.Errorf("default scheme %q, want https", p.scheme)
	}
}

func TestParseEvents(t *testing.T) {
	p := newParser(t, nil)
	text := "C2 at evil.example.com/gate.php and nothing else"
	rec, err := parsertest.ParseText(t, p, "Twitter", text)
	if err != nil {
		t.Fatal(err)
	}
	evs := rec.Decoded(t)
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	raw, _ := evs[0].RawText()
	if evs[0].GetString("source.url") != "https://evil.example.com/gate.php" || raw != text ||
		evs[0].GetString("classification.type") != "blacklist" {
		t.Errorf("event %s", evs[0])
	}
}
