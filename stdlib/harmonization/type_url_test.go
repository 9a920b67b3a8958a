// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import "testing"

func TestURL(t *testing.T) {
	runTypeCases(t, TypeURL, []typeCase{
		ok(S("http://example.com"), true, S("http://example.com")),
		ok(S("HTTP://X"), true, S("HTTP://X")),
		ok(S(" http://x "), false, S("http://x")),
		ok(S("hxxp://example.com"), true, S("http://example.com")),
		ok(S("hxxps://x/y"), true, S("https://x/y")),
		ok(S("hxxp://hxxp://x"), true, S("http://http://x")),
		ok(S("hXXp://x"), true, S("hXXp://x")), // replacement is case-sensitive
		ok(S("//x"), true, S("//x")),
		bad(S("example.com/x"), false), // no default scheme is added
		bad(S("mailto:a@b"), false),
		bad(S("1.2.3.4:80"), false),
		bad(S("localhost:80"), false),
		ok(S("file:///etc/passwd"), false, S("file://localhost/etc/passwd")),
		ok(S("FILE:/x"), false, S("file://localhost/x")),
		ok(S("file:x"), false, S("file://localhost/x")),
		ok(S("file:"), false, S("file://localhost")),
		ok(S("file:///a?"), false, S("file://localhost/a")), // urlunsplit drops the empty query
		ok(S("file:/a?q#f"), false, S("file://localhost/a?q#f")),
		ok(S("file://host/x"), true, S("file://host/x")),
		ok(S("http://[::1]/"), true, S("http://[::1]/")),
		ok(S("http://[fe80::1%eth0]/"), true, S("http://[fe80::1%eth0]/")),
		bad(S("http://[::1/"), false), // IntelMQ raises ValueError
		bad(S("http://]/"), false),    // unbalanced brackets
		bad(S("http://[1.2.3.4]/"), false),
		ok(S("http://[v1.x]/"), true, S("http://[v1.x]/")),
		bad(S("http://[vz.x]/"), false),
		bad(S("http://a\u2100b/"), false), // NFKC turns ℀ into a/c
		ok(S("http://\u00e9/"), true, S("http://\u00e9/")),
		ok(S("\x01http://x"), true, S("\x01http://x")), // urlsplit skips leading C0 controls
		ok(S(" http://x"), false, S("http://x")),       // leading white space is invalid
		ok(S("ht\ttp://x"), true, S("ht\ttp://x")),     // urlsplit removes tabs and newlines
		ok(S("a+b-c.d://x"), true, S("a+b-c.d://x")),
		bad(S("a_b://x"), false), // "_" is not a scheme character, so no netloc
		bad(S("http://"), false),
		bad(Int(5), false),
		bad(S(""), false),
		bad(Value{}, false),
	})
}
