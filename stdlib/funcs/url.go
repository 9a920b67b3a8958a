// SPDX-License-Identifier: AGPL-3.0-or-later

package funcs

import (
	"errors"
	"strconv"
	"strings"
)

// urlFuncs returns the functions that take URLs apart. They split URLs the
// way Python's urllib.parse.urlsplit does, which IntelMQ's URL expert uses:
// without a "//" after the scheme there is no host.
func urlFuncs() []Func {
	part := func(name, sig, doc string, get func(urlParts) (string, error)) Func {
		return Func{
			Name: name, Signature: sig, Doc: doc,
			Types: []any{new(func(string) string)},
			Fn: func(params ...any) (any, error) {
				c := call{name, params}
				u, err := urlArg(c)
				if err != nil {
					return nil, err
				}
				v, err := get(u)
				if err != nil {
					return nil, c.wrap(1, err)
				}
				return v, nil
			},
		}
	}
	return []Func{
		part("urlHost", "urlHost(url string) string",
			"Returns the host of url in lower case, without port, user or IPv6 brackets; \"\" when there is none "+
				"(as for \"example.com/x\", which has no \"//\").",
			func(u urlParts) (string, error) { return u.hostname(), nil }),
		part("urlFQDN", "urlFQDN(url string) string",
			"Returns the host of url when it is a domain name (isFQDN), \"\" when it is an IP address or missing.",
			func(u urlParts) (string, error) {
				if h := u.hostname(); isFQDN(h) {
					return h, nil
				}
				return "", nil
			}),
		part("urlPath", "urlPath(url string) string",
			"Returns the path of url (\"/a/b\" of \"http://h/a/b?q\"), \"\" when it has none.",
			func(u urlParts) (string, error) { return u.path, nil }),
		part("urlScheme", "urlScheme(url string) string",
			"Returns the scheme of url in lower case (\"http\"), \"\" when it has none.",
			func(u urlParts) (string, error) { return u.scheme, nil }),
		{
			Name:      "urlPort",
			Signature: "urlPort(url string) int|nil",
			Doc: "Returns the port of url, or when it has none the default port of its scheme as IntelMQ's URL " +
				"expert knows them (ftp 21, http 80, https 443, sftp 22, ssh 22, tftp 69, ws 80, wss 443); nil " +
				"otherwise. A port that is not a number from 0 to 65535 is an error.",
			Types: []any{new(func(string) any)},
			Fn:    urlPort,
		},
	}
}

// urlParts are the components of a URL as urlsplit returns them.
type urlParts struct {
	scheme, netloc, path, query, fragment string
}

// urlArg splits the only argument as a URL.
func urlArg(c call) (urlParts, error) {
	if err := c.count(1, 1); err != nil {
		return urlParts{}, err
	}
	s, err := c.str(0)
	if err != nil {
		return urlParts{}, err
	}
	u, err := splitURL(s)
	if err != nil {
		return urlParts{}, c.wrap(1, err)
	}
	return u, nil
}

// splitURL splits s like Python's urlsplit: tabs and line breaks are
// removed, leading control characters and spaces dropped, the scheme is
// lower-cased, and unbalanced IPv6 brackets are an error.
func splitURL(s string) (urlParts, error) {
	var u urlParts
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, s)
	s = strings.TrimLeft(s, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"+
		"\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	if i := strings.IndexByte(s, ':'); i > 0 && isSchemeStart(s[0]) && isScheme(s[:i]) {
		u.scheme, s = strings.ToLower(s[:i]), s[i+1:]
	}
	if rest, ok := strings.CutPrefix(s, "//"); ok {
		end := strings.IndexAny(rest, "/?#")
		if end < 0 {
			end = len(rest)
		}
		u.netloc, s = rest[:end], rest[end:]
		if strings.Contains(u.netloc, "[") != strings.Contains(u.netloc, "]") {
			return u, errors.New("invalid IPv6 URL: unbalanced brackets")
		}
	}
	s, u.fragment, _ = strings.Cut(s, "#")
	u.path, u.query, _ = strings.Cut(s, "?")
	return u, nil
}

// isSchemeStart reports whether c may start a scheme.
func isSchemeStart(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// isScheme reports whether s consists of scheme characters.
func isScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isWordByte(c) && c != '+' && c != '-' && c != '.' || c == '_' {
			return false
		}
	}
	return true
}

// hostInfo returns the netloc without user information.
func (u urlParts) hostInfo() string {
	if i := strings.LastIndexByte(u.netloc, '@'); i >= 0 {
		return u.netloc[i+1:]
	}
	return u.netloc
}

// hostname returns the host, lower-cased except for an IPv6 zone.
func (u urlParts) hostname() string {
	info := u.hostInfo()
	var host string
	if _, bracketed, ok := strings.Cut(info, "["); ok {
		host, _, _ = strings.Cut(bracketed, "]")
	} else {
		host, _, _ = strings.Cut(info, ":")
	}
	name, zone, hasZone := strings.Cut(host, "%")
	if hasZone {
		return strings.ToLower(name) + "%" + zone
	}
	return strings.ToLower(name)
}

// port returns the explicit port, or -1 when there is none.
func (u urlParts) port() (int, error) {
	info := u.hostInfo()
	var p string
	if _, bracketed, ok := strings.Cut(info, "["); ok {
		_, after, _ := strings.Cut(bracketed, "]")
		_, p, _ = strings.Cut(after, ":")
	} else {
		_, p, _ = strings.Cut(info, ":")
	}
	if p == "" {
		return -1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || !allDigits(p) || n > 65535 {
		return 0, errors.New("port " + strconv.Quote(p) + " is not a number from 0 to 65535")
	}
	return n, nil
}

// defaultPort returns the port IntelMQ's URL expert assumes for a scheme.
func defaultPort(scheme string) (int, bool) {
	switch scheme {
	case "ftp":
		return 21, true
	case "http", "ws":
		return 80, true
	case "https", "wss":
		return 443, true
	case "sftp", "ssh":
		return 22, true
	case "tftp":
		return 69, true
	}
	return 0, false
}

// urlPort implements urlPort(url).
func urlPort(params ...any) (any, error) {
	c := call{"urlPort", params}
	u, err := urlArg(c)
	if err != nil {
		return nil, err
	}
	p, err := u.port()
	if err != nil {
		return nil, c.wrap(1, err)
	}
	if p > 0 {
		return p, nil
	}
	if d, ok := defaultPort(u.scheme); ok {
		return d, nil
	}
	return nil, nil
}
