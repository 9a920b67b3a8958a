// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"strings"
	"testing"
)

func TestFQDN(t *testing.T) {
	long := strings.Repeat("x", 63)
	runTypeCases(t, TypeFQDN, []typeCase{
		ok(S("example.com"), true, S("example.com")),
		ok(S("Example.COM."), false, S("example.com")),
		ok(S("..a.."), false, S("a")),
		ok(S("a ."), false, S("a ")), // white space is stripped before the dots, not after
		ok(S("a "), true, S("a")),
		ok(S(". ."), false, S(" ")), // valid, but a second sanitize fails
		bad(S(" "), true),
		ok(S(" example.com\t"), true, S("example.com")), // white space is not checked
		ok(S("bücher.de"), false, S("xn--bcher-kva.de")),
		ok(S("BÜCHER.de"), false, S("xn--bcher-kva.de")),
		ok(S("-bücher.de"), false, S("xn---bcher-4ya.de")), // no hyphen rule, as IDNA 2003
		ok(S("ß.de"), false, S("ss.de")),                   // IDNA 2003 maps ß to ss
		ok(S("ＡＢＣ.de"), false, S("abc.de")),
		ok(S("a\u00adb.de"), false, S("ab.de")),
		ok(S("a\u3002b"), false, S("a.b")), // ideographic full stop
		ok(S("a\u3002"), false, S("a.")),   // a trailing ideographic dot stays: invalid
		bad(S("bücher..de"), false),
		ok(S("xn--bcher-kva.de"), true, S("xn--bcher-kva.de")),
		ok(S("xn--bcher-kva.DE"), false, S("xn--bcher-kva.de")),
		ok(S("a b"), true, S("a b")), // spaces, underscores and leading hyphens are accepted
		ok(S("_a"), true, S("_a")),
		ok(S("-a"), true, S("-a")),
		ok(S(long+".com"), true, S(long+".com")),
		bad(S(long+"x.com"), false), // a label of 64 characters
		ok(S("a."+long), true, S("a."+long)),
		bad(S("a.."+long), false),
		ok(S("1.2.3.4"), false, S("1.2.3.4")), // an IP address: returned for Validate to reject
		ok(S("0.0.0.0"), true, S("0.0.0.0")),  // not an IP address for IntelMQ
		ok(S("01.2.3.4"), true, S("01.2.3.4")),
		ok(S("a:b"), false, S("a:b")),
		ok(S("http://x"), false, S("http://x")),
		ok(S("a/b"), false, S("a/b")),
		ok(S("a?"), true, S("a?")), // urlsplit finds an empty query
		ok(S("a?b"), false, S("a?b")),
		ok(S("a#"), true, S("a#")),
		ok(S("a#b"), false, S("a#b")),
		ok(S("//"), true, S("//")), // urlsplit reads "//" as an empty netloc
		ok(S("//a"), false, S("//a")),
		ok(S("é"), false, S("xn--9ca")),
		ok(Int(5), false, S("5")), // written as text first
		bad(S("..."), false),
		bad(S(""), false),
		bad(Value{}, false),
	})
}
