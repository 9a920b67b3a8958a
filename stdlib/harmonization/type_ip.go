// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import "strings"

// ipAddressType is IntelMQ's IPAddress.
type ipAddressType struct{}

func (ipAddressType) Name() string { return TypeIPAddress }

// Validate accepts a string that Python's ipaddress.ip_address parses,
// except 0.0.0.0 and addresses with a "%scope". The text need not be in
// canonical form ("FE80::1" is valid).
func (ipAddressType) Validate(v Value) bool {
	if !isText(v) || strings.IndexByte(v.s, '%') >= 0 {
		return false
	}
	a, ok := pyIPAddress(v.s)
	return ok && (a.v6 || a.ip.lo != 0)
}

// Sanitize returns the address in Python's canonical text. An integer, or a
// string of decimal digits, is the number of the address (16909060 gives
// 1.2.3.4, true gives 0.0.0.1); a "%scope" is removed; a network of exactly
// one address gives that address ("1.2.3.4/32" gives 1.2.3.4). 0.0.0.0 is
// returned for Validate to reject, as in IntelMQ.
func (t ipAddressType) Sanitize(v Value) (Value, error) {
	out, _, err := t.sanitizeValid(v)
	return out, err
}

// sanitizeValid is Sanitize. Its result, an address in canonical form
// without scope, is valid unless it is 0.0.0.0.
func (ipAddressType) sanitizeValid(v Value) (Value, bool, error) {
	switch v.kind {
	case KindInt, KindBool:
		if v.n < 0 {
			return Value{}, false, failf(TypeIPAddress, "%d is not an address number", v.n)
		}
		a := ipFromInt(u128{0, uint64(v.n)})
		return String(a.String()), a.valid(), nil
	}
	if v.kind == KindString {
		// The commonest case first: a dotted quad parseIPv4 accepts is
		// ASCII without white space, so stripping would not change it.
		if ip, ok := parseIPv4(v.s); ok {
			return v, ip != 0, nil
		}
	}
	s, ok := genericSanitize(v)
	if !ok {
		return Value{}, false, failf(TypeIPAddress, "empty value")
	}
	if ip, ok := parseIPv4(s); ok {
		// A dotted quad parseIPv4 accepts is in canonical form already.
		return String(s), ip != 0, nil
	}
	if isCanonicalDecimal(s) {
		n, ok := parseDecimalU128(strings.TrimPrefix(s, "-"))
		if !ok || s[0] == '-' {
			return Value{}, false, failf(TypeIPAddress, "%s is not an address number", s)
		}
		a := ipFromInt(n)
		return String(a.String()), a.valid(), nil
	}
	if i := strings.IndexByte(s, '%'); i >= 0 {
		s = s[:i]
	}
	n, err := pyIPNetwork(s, true)
	if err != nil {
		return Value{}, false, failf(TypeIPAddress, "%q %v", s, err)
	}
	if n.prefix != n.addr.width() {
		return Value{}, false, failf(TypeIPAddress, "%q is a network of more than one address", s)
	}
	var buf [64]byte
	if text := n.addr.appendTo(buf[:0]); string(text) != s {
		return String(string(text)), n.addr.valid(), nil
	}
	return String(s), n.addr.valid(), nil // already canonical: kept without copying
}

// valid reports whether Validate accepts the address without scope: any
// but 0.0.0.0.
func (a ipAddr) valid() bool { return a.v6 || a.ip.lo != 0 }

// isCanonicalDecimal reports whether str(int(s)) == s in Python: an optional
// minus and decimal digits without leading zeros.
func isCanonicalDecimal(s string) bool {
	d := strings.TrimPrefix(s, "-")
	if d == "" || (d[0] == '0' && (len(d) > 1 || len(s) > 1)) {
		return false
	}
	for i := 0; i < len(d); i++ {
		if !isDigitByte(d[i]) {
			return false
		}
	}
	return true
}

// ipNetworkType is IntelMQ's IPNetwork.
type ipNetworkType struct{}

func (ipNetworkType) Name() string { return TypeIPNetwork }

// Validate accepts a string that Python's ipaddress.ip_network parses in
// strict mode: host bits must be zero ("10.0.0.1/8" is invalid), a bare
// address is a one-address network, IPv4 masks may be written as netmasks or
// hostmasks.
func (ipNetworkType) Validate(v Value) bool {
	if !isText(v) {
		return false
	}
	_, err := pyIPNetwork(v.s, true)
	return err == nil
}

// Sanitize parses in non-strict mode and returns Python's canonical text:
// "10.0.0.1/8" gives "10.0.0.0/8", "10.0.0.1" gives "10.0.0.1/32",
// "10.0.0.0/255.0.0.0" gives "10.0.0.0/8".
func (ipNetworkType) Sanitize(v Value) (Value, error) {
	s, ok := genericSanitize(v)
	if !ok {
		return Value{}, failf(TypeIPNetwork, "empty value")
	}
	n, err := pyIPNetwork(s, false)
	if err != nil {
		return Value{}, failf(TypeIPNetwork, "%q %v", s, err)
	}
	return String(pyStrip(n.String())), nil
}
