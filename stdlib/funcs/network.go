// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import (
	"net/netip"
	"strings"
	"unicode"
)

// networkFuncs returns the IP address and domain name functions.
func networkFuncs() []Func {
	pred := func(name, sig, doc string, test func(string) bool) Func {
		return Func{
			Name: name, Signature: sig, Doc: doc,
			Types: []any{new(func(string) bool)},
			Fn: func(params ...any) (any, error) {
				c := call{name, params}
				if err := c.count(1, 1); err != nil {
					return nil, err
				}
				s, err := c.str(0)
				if err != nil {
					return nil, err
				}
				return test(s), nil
			},
		}
	}
	return []Func{
		pred("isIP", "isIP(value string) bool",
			"Reports whether value is an IPv4 or IPv6 address (no zone, no prefix length, no leading zeros in IPv4).",
			func(s string) bool { _, ok := parseAddr(s); return ok }),
		pred("isIPv4", "isIPv4(value string) bool",
			"Reports whether value is an IPv4 address in dotted-decimal form.",
			func(s string) bool { a, ok := parseAddr(s); return ok && a.Is4() }),
		pred("isIPv6", "isIPv6(value string) bool",
			"Reports whether value is an IPv6 address (including IPv4-mapped forms such as ::ffff:1.2.3.4).",
			func(s string) bool { a, ok := parseAddr(s); return ok && a.Is6() }),
		pred("isPrivateIP", "isPrivateIP(value string) bool",
			"Reports whether value is an IP address that is not globally reachable: private (RFC 1918, "+
				"fc00::/7), shared (100.64.0.0/10), loopback, link-local, unspecified, documentation, "+
				"benchmarking, reserved (240.0.0.0/4) or broadcast. False for anything that is not an address.",
			privateTester()),
		pred("isFQDN", "isFQDN(value string) bool",
			"Reports whether value is a domain name of at least two labels (letters, digits, \"-\" and \"_\", "+
				"each 1 to 63 characters, 253 in all, an optional final dot) that is not an IP address.",
			isFQDN),
		{
			Name:      "ipInNetwork",
			Signature: "ipInNetwork(ip string, network string) bool",
			Doc: "Reports whether the address ip lies in network, given in CIDR notation (\"10.0.0.0/8\"; host " +
				"bits are ignored, a bare address means just itself). An invalid address or network is an error.",
			Types: []any{new(func(string, string) bool)},
			Fn:    ipInNetwork,
		},
	}
}

// parseAddr parses an IP address without zone, the strict form IntelMQ's
// IPAddress type accepts.
func parseAddr(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a, true
}

// ipInNetwork implements ipInNetwork(ip, network).
func ipInNetwork(params ...any) (any, error) {
	c := call{"ipInNetwork", params}
	if err := c.count(2, 2); err != nil {
		return nil, err
	}
	ipText, err := c.str(0)
	if err != nil {
		return nil, err
	}
	netText, err := c.str(1)
	if err != nil {
		return nil, err
	}
	ip, ok := parseAddr(strings.TrimSpace(ipText))
	if !ok {
		return nil, c.errorf(1, "%q is not an IP address", ipText)
	}
	prefix, err := parsePrefix(strings.TrimSpace(netText))
	if err != nil {
		return nil, c.errorf(2, "%q is not a network in CIDR notation", netText)
	}
	return prefix.Contains(ip.Unmap()) || prefix.Contains(ip), nil
}

// parsePrefix parses "addr/bits" (host bits masked off) or a bare address.
func parsePrefix(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return p.Masked(), nil
}

// nonGlobalPrefixes lists the ranges isPrivateIP reports.
func nonGlobalPrefixes() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
		"192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
		"203.0.113.0/24", "240.0.0.0/4", "255.255.255.255/32",
		"::/128", "::1/128", "::ffff:0:0/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
		"fc00::/7", "fe80::/10",
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}

// privateTester returns a test for addresses in a non-global range.
func privateTester() func(string) bool {
	prefixes := nonGlobalPrefixes()
	return func(s string) bool {
		a, ok := parseAddr(s)
		if !ok {
			return false
		}
		a = a.Unmap()
		for _, p := range prefixes {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
}

// isFQDN reports whether s is a domain name of two or more labels that is
// not an IP address.
func isFQDN(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	if _, ok := parseAddr(s); ok {
		return false
	}
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !validLabel(l) {
			return false
		}
	}
	return !allDigits(labels[len(labels)-1])
}

// validLabel reports whether l is a usable DNS label: 1 to 63 bytes of
// letters (any script), digits, "-" and "_", not starting or ending with "-".
func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for _, r := range l {
		if r != '-' && r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// allDigits reports whether s consists of ASCII digits only.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
