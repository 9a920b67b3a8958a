// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import "testing"

func TestURLFuncs(t *testing.T) {
	runCases(t, []exprCase{
		{src: `urlHost("http://User@Example.COM:8080/a?b#c")`, want: "example.com"},
		{src: `urlHost("https://[2001:DB8::1]:443/")`, want: "2001:db8::1"},
		{src: `urlHost("http://192.0.2.1/x")`, want: "192.0.2.1"},
		{src: `urlHost("example.com/x")`, want: ""},
		{src: `urlHost("//example.com/x")`, want: "example.com"},
		{src: `urlHost("  http://example.com")`, want: "example.com"},
		{src: `urlHost("ht\ttp://exa\nmple.com")`, want: "example.com"},
		{src: `urlHost("")`, want: ""},
		{src: `urlHost("http://[::1/")`, err: "argument 1: invalid IPv6 URL"},
		{src: `urlHost(rec.num)`, err: "argument 1: want a string, got a float"},

		{src: `urlFQDN("http://www.Example.com/")`, want: "www.example.com"},
		{src: `urlFQDN("http://192.0.2.1/")`, want: ""},
		{src: `urlFQDN("http://[::1]/")`, want: ""},
		{src: `urlFQDN("mailto:a@example.com")`, want: ""},

		{src: `urlPath("http://example.com/a/b?q=1#f")`, want: "/a/b"},
		{src: `urlPath("http://example.com")`, want: ""},
		{src: `urlPath("example.com/a")`, want: "example.com/a"},

		{src: `urlScheme("HTTPS://example.com")`, want: "https"},
		{src: `urlScheme("example.com/a")`, want: ""},
		{src: `urlScheme("1http://x")`, want: ""},

		{src: `urlPort("http://example.com:8080/")`, want: 8080},
		{src: `urlPort("http://example.com/")`, want: 80},
		{src: `urlPort("https://example.com")`, want: 443},
		{src: `urlPort("ftp://example.com")`, want: 21},
		{src: `urlPort("tftp://example.com")`, want: 69},
		{src: `urlPort("wss://example.com")`, want: 443},
		{src: `urlPort("http://example.com:0/")`, want: 80},
		{src: `urlPort("https://[2001:db8::1]:8443/")`, want: 8443},
		{src: `urlPort("gopher://example.com")`, want: nil},
		{src: `urlPort("example.com:8080")`, want: nil},
		{src: `urlPort("http://example.com:http/")`, err: `argument 1: port "http" is not a number from 0 to 65535`},
		{src: `urlPort("http://example.com:70000/")`, err: "is not a number from 0 to 65535"},
		{src: `urlPort("http://example.com:+80/")`, err: "is not a number from 0 to 65535"},
	})
}
