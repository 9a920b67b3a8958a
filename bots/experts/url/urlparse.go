// SPDX-License-Identifier: AGPL-3.0-or-later

package url

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrInvalidURL is wrapped by the errors of parseURL and parsedURL.Port.
var ErrInvalidURL = errors.New("invalid URL")

// parsedURL is the result of Python's urllib.parse.urlparse, which
// IntelMQ's url expert uses. Go's net/url differs in ways that change the
// expert's output (it rejects what Python accepts, keeps ";params" in the
// path, unescapes the path), so the expert follows Python exactly.
type parsedURL struct {
	Scheme   string // lowercased
	Netloc   string
	Path     string // without ";params"
	Params   string
	Query    string
	Fragment string
}

// schemeChars are the characters Python allows in a URL scheme.
const schemeChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-."

// usesParams reports whether urlparse splits ";params" off the last path
// segment for a scheme.
func usesParams(scheme string) bool {
	switch scheme {
	case "", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp", "rtspu", "sip", "sips",
		"mms", "sftp", "tel":
		return true
	}
	return false
}

// parseURL is Python 3.11's urlparse(s).
func parseURL(s string) (parsedURL, error) {
	var u parsedURL
	s = strings.TrimLeft(s, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f"+
		"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	s = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(s)
	if i := strings.IndexByte(s, ':'); i > 0 && isASCIILetter(s[0]) && strings.Trim(s[:i], schemeChars) == "" {
		u.Scheme, s = strings.ToLower(s[:i]), s[i+1:]
	}
	if strings.HasPrefix(s, "//") {
		end := len(s)
		if i := strings.IndexAny(s[2:], "/?#"); i >= 0 {
			end = i + 2
		}
		u.Netloc, s = s[2:end], s[end:]
		if strings.Contains(u.Netloc, "[") != strings.Contains(u.Netloc, "]") {
			return u, fmt.Errorf("%w: invalid IPv6 URL", ErrInvalidURL)
		}
	}
	s, u.Fragment, _ = strings.Cut(s, "#")
	s, u.Query, _ = strings.Cut(s, "?")
	u.Path = s
	if usesParams(u.Scheme) && strings.Contains(s, ";") {
		u.Path, u.Params = splitParams(s)
	}
	return u, nil
}

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// splitParams is urllib.parse._splitparams: the params start at the first
// ';' of the last path segment.
func splitParams(s string) (path, params string) {
	start := 0
	if slash := strings.LastIndexByte(s, '/'); slash >= 0 {
		start = slash
	}
	i := strings.IndexByte(s[start:], ';')
	if i < 0 {
		return s, ""
	}
	return s[:start+i], s[start+i+1:]
}

// hostinfo returns the host and port text of the netloc, as Python's
// _hostinfo does.
func (u parsedURL) hostinfo() (host, port string) {
	info := u.Netloc
	if i := strings.LastIndexByte(info, '@'); i >= 0 {
		info = info[i+1:]
	}
	if _, bracketed, ok := strings.Cut(info, "["); ok {
		host, rest, _ := strings.Cut(bracketed, "]")
		_, port, _ = strings.Cut(rest, ":")
		return host, port
	}
	host, port, _ = strings.Cut(info, ":")
	return host, port
}

// Hostname is Python's ParseResult.hostname: the host lowercased (except
// an IPv6 zone), "" when there is none.
func (u parsedURL) Hostname() string {
	host, _ := u.hostinfo()
	name, zone, hasZone := strings.Cut(host, "%")
	if hasZone {
		return strings.ToLower(name) + "%" + zone
	}
	return strings.ToLower(host)
}

// Port is Python's ParseResult.port: the port number, ok false when the
// URL has none, and an error for a port that is not a number in 0..65535.
func (u parsedURL) Port() (port int, ok bool, err error) {
	_, text := u.hostinfo()
	if text == "" {
		return 0, false, nil
	}
	if strings.Trim(text, "0123456789") != "" {
		return 0, false, fmt.Errorf("%w: port could not be cast to integer value as %q", ErrInvalidURL, text)
	}
	n, err := strconv.Atoi(text)
	if err != nil || n > 65535 {
		return 0, false, fmt.Errorf("%w: port out of range 0-65535", ErrInvalidURL)
	}
	return n, true, nil
}

// Username is Python's ParseResult.username: the user part of the
// userinfo before the last '@', "" when there is none.
func (u parsedURL) Username() string {
	i := strings.LastIndexByte(u.Netloc, '@')
	if i < 0 {
		return ""
	}
	user, _, _ := strings.Cut(u.Netloc[:i], ":")
	return user
}
