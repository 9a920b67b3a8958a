// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"errors"
	"math/bits"
	"strconv"
	"strings"
)

// This file parses and prints IP addresses and networks as Python 3.11's
// ipaddress module does, which IntelMQ's IPAddress and IPNetwork types are
// built on: strict dotted quads (no leading zeros), IPv6 with an optional
// "%scope", netmask and hostmask forms for IPv4 prefixes, and IPv6 text
// compressed by Python's rules (IPv4-mapped addresses print as
// "::ffff:102:304").

var (
	errBadAddress = errors.New("does not appear to be an IPv4 or IPv6 address")
	errBadNetwork = errors.New("does not appear to be an IPv4 or IPv6 network")
	errHostBits   = errors.New("has host bits set")
)

// u128 is an unsigned 128-bit integer.
type u128 struct{ hi, lo uint64 }

func (a u128) and(b u128) u128 { return u128{a.hi & b.hi, a.lo & b.lo} }

// maskOf returns the netmask of a prefix length within width bits.
func maskOf(prefix, width int) u128 {
	var m u128
	switch {
	case prefix >= 128:
		m = u128{^uint64(0), ^uint64(0)}
	case prefix >= 64:
		m = u128{^uint64(0), ^uint64(0) << (128 - prefix)}
	case prefix > 0:
		m = u128{^uint64(0) << (64 - prefix), 0}
	}
	if width == 32 { // IPv4 masks live in the low 32 bits
		m = u128{0, m.hi >> 32}
	}
	return m
}

// ipAddr is an IPv4 or IPv6 address with an optional IPv6 scope.
type ipAddr struct {
	v6    bool
	ip    u128 // IPv4 in the low 32 bits
	scope string
}

// String prints the address as Python's str() does.
func (a ipAddr) String() string {
	var buf [64]byte
	return string(a.appendTo(buf[:0]))
}

// appendTo appends the address as String writes it.
func (a ipAddr) appendTo(dst []byte) []byte {
	if !a.v6 {
		return appendIPv4(dst, uint32(a.ip.lo))
	}
	dst = appendIPv6(dst, a.ip)
	if a.scope != "" {
		dst = append(append(dst, '%'), a.scope...)
	}
	return dst
}

// ipNet is an IPv4 or IPv6 network.
type ipNet struct {
	addr   ipAddr
	prefix int
}

// String prints the network as Python's str() does: address/prefix.
func (n ipNet) String() string { return n.addr.String() + "/" + strconv.Itoa(n.prefix) }

// width returns 32 or 128.
func (a ipAddr) width() int {
	if a.v6 {
		return 128
	}
	return 32
}

// parseIPv4 is Python's IPv4Address(text): four decimal octets of at most
// three ASCII digits, without leading zeros, each at most 255.
func parseIPv4(s string) (uint32, bool) {
	if len(s) < 7 || len(s) > 15 {
		return 0, false
	}
	var ip uint32
	i := 0
	for octet := 0; octet < 4; octet++ {
		if octet > 0 {
			if i >= len(s) || s[i] != '.' {
				return 0, false
			}
			i++
		}
		if i >= len(s) || s[i]-'0' > 9 {
			return 0, false
		}
		v := uint32(s[i] - '0')
		i++
		if v != 0 { // a leading zero is the whole octet
			for n := 1; n < 3 && i < len(s) && s[i]-'0' <= 9; n++ {
				v = v*10 + uint32(s[i]-'0')
				i++
			}
		}
		if v > 255 {
			return 0, false
		}
		ip = ip<<8 | v
	}
	if i != len(s) {
		return 0, false
	}
	return ip, true
}

// parseHextet parses one to four hex digits.
func parseHextet(s string) (uint64, bool) {
	if s == "" || len(s) > 4 {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		v = v<<4 | uint64(d)
	}
	return v, true
}

// ipv6Part is one colon-separated part of an IPv6 address: text, or a
// hextet already computed from a dotted-quad suffix.
type ipv6Part struct {
	text   string
	value  uint64
	parsed bool
}

func (p ipv6Part) empty() bool { return !p.parsed && p.text == "" }

func (p ipv6Part) hextet() (uint64, bool) {
	if p.parsed {
		return p.value, true
	}
	return parseHextet(p.text)
}

// parseIPv6 is Python's IPv6 address parser without the scope: up to eight
// hextets with at most one "::", the last two may be a dotted quad. It does
// not allocate.
func parseIPv6(s string) (u128, bool) {
	if s == "" {
		return u128{}, false
	}
	var buf [10]ipv6Part
	n := 0
	for rest := s; ; {
		if n == len(buf)-1 {
			return u128{}, false // more than nine parts
		}
		i := strings.IndexByte(rest, ':')
		if i < 0 {
			buf[n] = ipv6Part{text: rest}
			n++
			break
		}
		buf[n] = ipv6Part{text: rest[:i]}
		n++
		rest = rest[i+1:]
	}
	if n < 3 {
		return u128{}, false
	}
	if last := buf[n-1].text; strings.IndexByte(last, '.') >= 0 {
		v4, ok := parseIPv4(last)
		if !ok {
			return u128{}, false
		}
		buf[n-1] = ipv6Part{value: uint64(v4 >> 16), parsed: true}
		buf[n] = ipv6Part{value: uint64(v4 & 0xFFFF), parsed: true}
		n++
	}
	if n > 9 {
		return u128{}, false
	}
	parts := buf[:n]
	skip := -1
	for i := 1; i < len(parts)-1; i++ {
		if parts[i].empty() {
			if skip >= 0 {
				return u128{}, false
			}
			skip = i
		}
	}
	var hi, lo, skipped int
	if skip >= 0 {
		hi, lo = skip, len(parts)-skip-1
		if parts[0].empty() {
			if hi--; hi != 0 {
				return u128{}, false
			}
		}
		if parts[len(parts)-1].empty() {
			if lo--; lo != 0 {
				return u128{}, false
			}
		}
		if skipped = 8 - (hi + lo); skipped < 1 {
			return u128{}, false
		}
	} else {
		if len(parts) != 8 || parts[0].empty() || parts[len(parts)-1].empty() {
			return u128{}, false
		}
		hi = len(parts)
	}
	var ip u128
	push := func(h uint64) {
		ip = u128{ip.hi<<16 | ip.lo>>48, ip.lo<<16 | h}
	}
	for i := 0; i < hi; i++ {
		h, ok := parts[i].hextet()
		if !ok {
			return u128{}, false
		}
		push(h)
	}
	for i := 0; i < skipped; i++ {
		push(0)
	}
	for i := len(parts) - lo; i < len(parts); i++ {
		h, ok := parts[i].hextet()
		if !ok {
			return u128{}, false
		}
		push(h)
	}
	return ip, true
}

// parseIPv6Scoped is Python's IPv6Address(text): an address with an optional
// non-empty "%scope" that holds no further "%".
func parseIPv6Scoped(s string) (ipAddr, bool) {
	addr, scope, found := strings.Cut(s, "%")
	if found && (scope == "" || strings.IndexByte(scope, '%') >= 0) {
		return ipAddr{}, false
	}
	ip, ok := parseIPv6(addr)
	return ipAddr{v6: true, ip: ip, scope: scope}, ok
}

// pyIPAddress is Python's ipaddress.ip_address(text).
func pyIPAddress(s string) (ipAddr, bool) {
	if v4, ok := parseIPv4(s); ok {
		return ipAddr{ip: u128{0, uint64(v4)}}, true
	}
	if strings.IndexByte(s, '/') >= 0 {
		return ipAddr{}, false
	}
	return parseIPv6Scoped(s)
}

// ipFromInt is Python's ipaddress.ip_address(int): IPv4 below 2**32, IPv6
// below 2**128.
func ipFromInt(n u128) ipAddr {
	if n.hi == 0 && n.lo <= 0xFFFFFFFF {
		return ipAddr{ip: n}
	}
	return ipAddr{v6: true, ip: n}
}

// parseDecimalU128 parses ASCII digits into a 128-bit integer.
func parseDecimalU128(s string) (u128, bool) {
	var n u128
	for i := 0; i < len(s); i++ {
		if !isDigitByte(s[i]) {
			return u128{}, false
		}
		// n = n*10 + d, checking for overflow
		hi1, lo1 := bits.Mul64(n.lo, 10)
		hi2, hi2o := bits.Mul64(n.hi, 10)
		if hi2 != 0 {
			return u128{}, false
		}
		h, c := bits.Add64(hi2o, hi1, 0)
		if c != 0 {
			return u128{}, false
		}
		l, c := bits.Add64(lo1, uint64(s[i]-'0'), 0)
		h, c = bits.Add64(h, 0, c)
		if c != 0 {
			return u128{}, false
		}
		n = u128{h, l}
	}
	return n, s != ""
}

// prefixFromString is Python's _prefix_from_prefix_string: ASCII digits
// (leading zeros allowed) giving at most the address width.
func prefixFromString(s string, width int) (int, bool) {
	if s == "" {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		if !isDigitByte(s[i]) {
			return 0, false
		}
		if v = v*10 + int(s[i]-'0'); v > width {
			return 0, false
		}
	}
	return v, true
}

// prefixFromMask is Python's _prefix_from_ip_string for IPv4: a netmask
// (ones then zeros) or a hostmask (zeros then ones) in dotted-quad form. All
// ones and all zeros are read as netmasks.
func prefixFromMask(s string) (int, bool) {
	m, ok := parseIPv4(s)
	if !ok {
		return 0, false
	}
	if p, ok := contiguousOnes(m); ok {
		return p, true
	}
	return contiguousOnes(^m)
}

// contiguousOnes returns the number of leading one bits of m if m is ones
// followed by zeros.
func contiguousOnes(m uint32) (int, bool) {
	ones := bits.LeadingZeros32(^m)
	return ones, ones == 32 || m<<uint(ones) == 0
}

// pyIPNetwork is Python's ipaddress.ip_network(text, strict): an address
// with an optional "/prefix" (IPv4 also "/netmask" or "/hostmask"). With
// strict, host bits must be zero; otherwise they are cleared (and an IPv6
// scope is dropped, as Python rebuilds the address from its number).
func pyIPNetwork(s string, strict bool) (ipNet, error) {
	addr, mask, hasMask := strings.Cut(s, "/")
	if hasMask && strings.IndexByte(mask, '/') >= 0 {
		return ipNet{}, errBadNetwork
	}
	var a ipAddr
	prefix := 0
	if v4, ok := parseIPv4(addr); ok {
		a = ipAddr{ip: u128{0, uint64(v4)}}
		prefix = 32
		if hasMask {
			if prefix, ok = prefixFromString(mask, 32); !ok {
				if prefix, ok = prefixFromMask(mask); !ok {
					return ipNet{}, errBadNetwork
				}
			}
		}
	} else {
		if a, ok = parseIPv6Scoped(addr); !ok {
			return ipNet{}, errBadNetwork
		}
		prefix = 128
		if hasMask {
			if prefix, ok = prefixFromString(mask, 128); !ok {
				return ipNet{}, errBadNetwork
			}
		}
	}
	if masked := a.ip.and(maskOf(prefix, a.width())); masked != a.ip {
		if strict {
			return ipNet{}, errHostBits
		}
		a = ipAddr{v6: a.v6, ip: masked}
	}
	return ipNet{addr: a, prefix: prefix}, nil
}

// appendIPv4 appends a dotted quad.
func appendIPv4(b []byte, ip uint32) []byte {
	for shift := 24; shift >= 0; shift -= 8 {
		b = strconv.AppendUint(b, uint64(ip>>uint(shift)&0xFF), 10)
		if shift > 0 {
			b = append(b, '.')
		}
	}
	return b
}

// appendIPv6 appends an IPv6 address as Python 3.11 prints it: lower case
// hextets without leading zeros, the first longest run of two or more zero
// hextets written as "::", and no special form for IPv4-mapped addresses.
func appendIPv6(b []byte, ip u128) []byte {
	var h [8]uint16
	for i := 0; i < 4; i++ {
		h[i] = uint16(ip.hi >> uint(48-16*i))
		h[i+4] = uint16(ip.lo >> uint(48-16*i))
	}
	bestStart, bestLen, start, n := -1, 0, -1, 0
	for i, x := range h {
		if x != 0 {
			start, n = -1, 0
			continue
		}
		if start < 0 {
			start = i
		}
		if n++; n > bestLen {
			bestStart, bestLen = start, n
		}
	}
	begin := len(b)
	for i := 0; i < 8; i++ {
		if bestLen > 1 && i == bestStart {
			b = append(b, "::"...)
			i += bestLen - 1
			continue
		}
		if len(b) > begin && b[len(b)-1] != ':' {
			b = append(b, ':')
		}
		b = strconv.AppendUint(b, uint64(h[i]), 16)
	}
	return b
}
