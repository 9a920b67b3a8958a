// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import "testing"

func TestNetworkFuncs(t *testing.T) {
	runCases(t, []exprCase{
		{src: `isIP("192.0.2.1")`, want: true},
		{src: `isIP("2001:db8::1")`, want: true},
		{src: `isIP("01.2.3.4")`, want: false},
		{src: `isIP("fe80::1%eth0")`, want: false},
		{src: `isIP("10.0.0.0/8")`, want: false},
		{src: `isIP("example.com")`, want: false},
		{src: `isIP("")`, want: false},
		{src: `isIP(rec.missing)`, want: false},
		{src: `isIP(rec.num)`, err: "argument 1: want a string, got a float"},
		{src: `isIP(n)`, err: "cannot use int", compileErr: true},
		{src: `isIPv4("192.0.2.1")`, want: true},
		{src: `isIPv4("::ffff:192.0.2.1")`, want: false},
		{src: `isIPv6("::ffff:192.0.2.1")`, want: true},
		{src: `isIPv6("192.0.2.1")`, want: false},

		{src: `ipInNetwork("10.1.2.3", "10.0.0.0/8")`, want: true},
		{src: `ipInNetwork("11.1.2.3", "10.0.0.0/8")`, want: false},
		{src: `ipInNetwork("10.1.2.3", "10.1.2.3/8")`, want: true},
		{src: `ipInNetwork("10.1.2.3", "10.1.2.3")`, want: true},
		{src: `ipInNetwork("10.1.2.4", "10.1.2.3")`, want: false},
		{src: `ipInNetwork("::ffff:10.1.2.3", "10.0.0.0/8")`, want: true},
		{src: `ipInNetwork("2001:db8::1", "2001:db8::/32")`, want: true},
		{src: `ipInNetwork("2001:db8::1", "10.0.0.0/8")`, want: false},
		{src: `ipInNetwork(rec.ip, "192.0.2.0/24")`, want: true},
		{src: `ipInNetwork("x", "10.0.0.0/8")`, err: `argument 1: "x" is not an IP address`},
		{src: `ipInNetwork("10.0.0.1", "10.0.0.0/33")`, err: `argument 2: "10.0.0.0/33" is not a network in CIDR notation`},

		{src: `isPrivateIP("10.1.2.3")`, want: true},
		{src: `isPrivateIP("172.31.255.255")`, want: true},
		{src: `isPrivateIP("172.32.0.1")`, want: false},
		{src: `isPrivateIP("192.168.0.1")`, want: true},
		{src: `isPrivateIP("127.0.0.1")`, want: true},
		{src: `isPrivateIP("169.254.1.1")`, want: true},
		{src: `isPrivateIP("100.64.0.1")`, want: true},
		{src: `isPrivateIP("203.0.113.5")`, want: true},
		{src: `isPrivateIP("8.8.8.8")`, want: false},
		{src: `isPrivateIP("::1")`, want: true},
		{src: `isPrivateIP("fd00::1")`, want: true},
		{src: `isPrivateIP("::ffff:10.0.0.1")`, want: true},
		{src: `isPrivateIP("2a00:1450::1")`, want: false},
		{src: `isPrivateIP("not an ip")`, want: false},

		{src: `isFQDN("example.com")`, want: true},
		{src: `isFQDN("www.example.com.")`, want: true},
		{src: `isFQDN("_dmarc.example.com")`, want: true},
		{src: `isFQDN("xn--bcher-kva.de")`, want: true},
		{src: `isFQDN("bücher.de")`, want: true},
		{src: `isFQDN("localhost")`, want: false},
		{src: `isFQDN("192.0.2.1")`, want: false},
		{src: `isFQDN("1.2.3")`, want: false},
		{src: `isFQDN("-a.example.com")`, want: false},
		{src: `isFQDN("a..example.com")`, want: false},
		{src: `isFQDN("example.com:80")`, want: false},
		{src: `isFQDN("http://example.com")`, want: false},
		{src: `isFQDN("exa mple.com")`, want: false},
		{src: `isFQDN("")`, want: false},
	})
}
