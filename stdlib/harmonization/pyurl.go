// SPDX-License-Identifier: AGPL-3.0-or-later

package harmonization

import (
	"errors"
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// This file splits URLs as Python 3.11's urllib.parse.urlsplit does, which
// IntelMQ's URL and FQDN types are built on.

var (
	errInvalidIPv6URL = errors.New("invalid IPv6 URL")
	errNetlocNFKC     = errors.New("netloc contains invalid characters under NFKC normalization")
)

// urlParts are the five parts of urlsplit.
type urlParts struct {
	scheme, netloc, path, query, fragment string
}

// urlCleanup removes what urlsplit removes before it splits: leading C0
// control characters and spaces, and every tab, CR and LF.
func urlCleanup(s string) string {
	i := 0
	for i < len(s) && s[i] <= ' ' { // C0 controls and space
		i++
	}
	s = s[i:]
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\t' || c == '\r' || c == '\n' {
			return strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(s)
		}
	}
	return s
}

// isSchemeChar reports whether c may appear in a URL scheme.
func isSchemeChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '+' || c == '-' || c == '.'
}

// pyURLSplit is Python's urllib.parse.urlsplit(s), including the errors it
// raises for unbalanced brackets, invalid bracketed hosts and netlocs that
// NFKC normalization turns into URL delimiters.
func pyURLSplit(s string) (urlParts, error) {
	var p urlParts
	url := urlCleanup(s)
	if i := strings.IndexByte(url, ':'); i > 0 && ('a' <= url[0]|0x20 && url[0]|0x20 <= 'z') {
		j := 0
		for j < i && isSchemeChar(url[j]) {
			j++
		}
		if j == i {
			p.scheme, url = strings.ToLower(url[:i]), url[i+1:]
		}
	}
	if strings.HasPrefix(url, "//") {
		end := 2
		for end < len(url) && url[end] != '/' && url[end] != '?' && url[end] != '#' {
			end++
		}
		p.netloc, url = url[2:end], url[end:]
		open, closed := strings.IndexByte(p.netloc, '[') >= 0, strings.IndexByte(p.netloc, ']') >= 0
		if open != closed {
			return urlParts{}, errInvalidIPv6URL
		}
		if open {
			_, host, _ := strings.Cut(p.netloc, "[")
			host, _, _ = strings.Cut(host, "]")
			if err := checkBracketedHost(host); err != nil {
				return urlParts{}, err
			}
		}
	}
	if i := strings.IndexByte(url, '#'); i >= 0 {
		url, p.fragment = url[:i], url[i+1:]
	}
	if i := strings.IndexByte(url, '?'); i >= 0 {
		url, p.query = url[:i], url[i+1:]
	}
	p.path = url
	if err := checkNetloc(p.netloc); err != nil {
		return urlParts{}, err
	}
	return p, nil
}

// ipvFuture matches an RFC 3986 IPvFuture host as urlsplit checks it.
var ipvFuture = regexp.MustCompile(`\Av[a-fA-F0-9]+\..+\z`)

// checkBracketedHost is urlsplit's check of the host between brackets: an
// IPvFuture literal or an IPv6 address (an IPv4 address is rejected).
func checkBracketedHost(host string) error {
	if strings.HasPrefix(host, "v") {
		if !ipvFuture.MatchString(host) {
			return errInvalidIPv6URL
		}
		return nil
	}
	a, ok := pyIPAddress(host)
	if !ok || !a.v6 {
		return errInvalidIPv6URL
	}
	return nil
}

// checkNetloc is urlsplit's guard against non-ASCII netlocs that NFKC
// normalization turns into URL delimiters ("\u2100" becomes "a/c").
func checkNetloc(netloc string) error {
	if isASCII(netloc) {
		return nil
	}
	n := strings.NewReplacer("@", "", ":", "", "#", "", "?", "").Replace(netloc)
	n2 := norm.NFKC.String(n)
	if n == n2 {
		return nil
	}
	if strings.ContainsAny(n2, "/?#@:") {
		return errNetlocNFKC
	}
	return nil
}

// pyURLUnsplit is Python's urllib.parse.urlunsplit for the parts urlsplit
// returned, as URL sanitize uses it for file URLs (a scheme in uses_netloc
// and a netloc are always present there).
func pyURLUnsplit(p urlParts) string {
	url := p.path
	if p.netloc != "" {
		if url != "" && url[0] != '/' {
			url = "/" + url
		}
		url = "//" + p.netloc + url
	}
	if p.scheme != "" {
		url = p.scheme + ":" + url
	}
	if p.query != "" {
		url += "?" + p.query
	}
	if p.fragment != "" {
		url += "#" + p.fragment
	}
	return url
}
