// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"errors"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// fqdnType is IntelMQ's FQDN: a lower case ASCII (punycode) domain name.
type fqdnType struct{}

func (fqdnType) Name() string { return TypeFQDN }

// Validate accepts what IntelMQ accepts: a non-empty string without a
// leading or trailing dot, in lower case, without ":", that is not an IPv4
// address (0.0.0.0 is not one, for IntelMQ), in which Python's urlsplit finds
// only a path without "/" (no netloc, query or fragment), and that IDNA
// encoding leaves unchanged: ASCII only, labels of 1 to 63 characters.
// Underscores, spaces and leading hyphens are accepted.
func (fqdnType) Validate(v Value) bool {
	if !isText(v) {
		return false
	}
	s := v.s
	if s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x80, 'A' <= c && c <= 'Z', c == ':':
			return false
		}
	}
	if ip, ok := parseIPv4(s); ok && ip != 0 {
		return false
	}
	if strings.ContainsAny(s, "/?#") {
		p, err := pyURLSplit(s)
		if err != nil || p.netloc != "" || p.query != "" || p.fragment != "" || strings.IndexByte(p.path, '/') >= 0 {
			return false
		}
	}
	_, err := idnaEncodeASCII(s)
	return err == nil
}

// Sanitize strips white space and dots at both ends, IDNA-encodes (Unicode
// labels become punycode) and lower-cases: "Example.COM." gives
// "example.com", "bücher.de" gives "xn--bcher-kva.de". Other kinds are
// written as text first. The result may still be invalid (an IP address, a
// value with ":"), which Validate then rejects, as in IntelMQ.
func (fqdnType) Sanitize(v Value) (Value, error) {
	s, ok := genericSanitize(v)
	if !ok {
		return Value{}, failf(TypeFQDN, "empty value")
	}
	if s = strings.Trim(s, "."); s == "" {
		return Value{}, failf(TypeFQDN, "empty name")
	}
	enc, err := pyIDNAEncode(s)
	if err != nil {
		return Value{}, failf(TypeFQDN, "%q: %v", s, err)
	}
	return String(strings.ToLower(enc)), nil
}

var (
	errLabelLength = errors.New("label empty or too long")
	errLabelIDNA   = errors.New("label cannot be IDNA encoded")
)

// idnaProfile is the IDNA mapping used for Unicode labels: UTS #46
// transitional lookup processing, which follows IDNA 2003 (Python's "idna"
// codec) for nearly all assigned characters, without the STD3 and hyphen
// rules Python does not apply.
var idnaProfile = sync.OnceValue(func() *idna.Profile {
	return idna.New(idna.MapForLookup(), idna.Transitional(true), idna.StrictDomainName(false),
		idna.CheckHyphens(false), idna.BidiRule())
})

// pyIDNAEncode is Python's str.encode("idna") decoded back to text.
func pyIDNAEncode(s string) (string, error) {
	if isASCII(s) {
		return idnaEncodeASCII(s)
	}
	labels := splitIDNADots(s)
	trailingDot := false
	if labels[len(labels)-1] == "" {
		trailingDot = true
		labels = labels[:len(labels)-1]
	}
	var b strings.Builder
	for i, label := range labels {
		if i > 0 {
			b.WriteByte('.')
		}
		enc, err := idnaLabel(label)
		if err != nil {
			return "", err
		}
		b.WriteString(enc)
	}
	if trailingDot {
		b.WriteByte('.')
	}
	return b.String(), nil
}

// idnaEncodeASCII is the codec's fast path for ASCII text: the text is kept
// as it is if every label but the last has 1 to 63 characters and the last
// (empty after a trailing dot) has fewer than 64.
func idnaEncodeASCII(s string) (string, error) {
	rest := s
	for {
		i := strings.IndexByte(rest, '.')
		if i < 0 {
			if len(rest) >= 64 {
				return "", errLabelLength
			}
			return s, nil
		}
		if i == 0 || i > 63 {
			return "", errLabelLength
		}
		rest = rest[i+1:]
	}
}

// splitIDNADots splits at the four dots the codec accepts: U+002E, U+3002,
// U+FF0E and U+FF61.
func splitIDNADots(s string) []string {
	var labels []string
	start := 0
	for i, r := range s {
		if r == '.' || r == 0x3002 || r == 0xFF0E || r == 0xFF61 {
			labels = append(labels, s[start:i])
			start = i + utf8.RuneLen(r)
		}
	}
	return append(labels, s[start:])
}

// idnaLabel is the codec's ToASCII of one label.
func idnaLabel(label string) (string, error) {
	if isASCII(label) {
		if len(label) == 0 || len(label) > 63 {
			return "", errLabelLength
		}
		return label, nil
	}
	enc, err := idnaProfile().ToASCII(label)
	if err != nil || !isASCII(enc) {
		return "", errLabelIDNA
	}
	if len(enc) == 0 || len(enc) > 63 {
		return "", errLabelLength
	}
	return enc, nil
}
