// SPDX-License-Identifier: AGPL-3.0-or-later

package twitter

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/intelmq-go/intelmq/bots/parsers/internal/pytext"
	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
	"golang.org/x/text/unicode/norm"
)

// This file ports what IntelMQ's Twitter parser calls: url_normalize of
// the url-normalize package (1.4, the version IntelMQ's platforms ship),
// Python's urllib.parse.urlsplit, urlunsplit, quote and unquote, and the
// domain check of the tld package's get_tld.

// defaultPorts are url-normalize's default ports, dropped from URLs.
var defaultPorts = map[string]string{"ftp": "21", "gopher": "70", "http": "80", "https": "443",
	"news": "119", "nntp": "119", "snews": "563", "snntp": "563", "telnet": "23", "ws": "80", "wss": "443"}

// usesNetloc are the schemes for which Python's urlunsplit writes "//".
var usesNetloc = map[string]bool{"": true, "ftp": true, "http": true, "gopher": true, "nntp": true,
	"telnet": true, "imap": true, "wais": true, "file": true, "mms": true, "https": true, "shttp": true,
	"snews": true, "prospero": true, "rtsp": true, "rtspu": true, "rsync": true, "svn": true,
	"svn+ssh": true, "sftp": true, "nfs": true, "git": true, "git+ssh": true, "ws": true, "wss": true}

// errURL is what normalizeURL returns for a URL Python's libraries reject
// (a UnicodeError, a ValueError or a KeyError there).
var errURL = errors.New("not a URL")

var (
	utmSource = regexp.MustCompile(`utm_source=[^&]+&?`)
	authParts = regexp.MustCompile(`^([^@]*@)?([^:]*):?(.*)`)
)

// normalizeURL is url-normalize's url_normalize(url, default_scheme=scheme).
func normalizeURL(url, scheme string) (string, error) {
	if url == "" {
		return url, nil
	}
	url = provideScheme(url, scheme)
	// generic_url_cleanup
	url = strings.ReplaceAll(url, "#!", "?_escaped_fragment_=")
	url = utmSource.ReplaceAllString(url, "")
	url = strings.TrimRight(url, "&? ")
	// deconstruct_url
	u, err := urlsplit(pytext.Strip(url))
	if err != nil {
		return "", err
	}
	parts := authParts.FindStringSubmatch(u.netloc)
	userinfo, host, port := parts[1], parts[2], parts[3]
	u.scheme = strings.ToLower(u.scheme)
	if userinfo == "@" || userinfo == ":@" {
		userinfo = ""
	}
	if host, err = normalizeHost(host); err != nil {
		return "", err
	}
	u.query = normalizeQuery(u.query)
	u.fragment = requote(u.fragment, "~")
	if isASCIIDigits(port) {
		n, err := strconv.ParseUint(port, 10, 64)
		if err != nil {
			return "", errURL
		}
		port = strconv.FormatUint(n, 10)
		def, ok := defaultPorts[u.scheme]
		if !ok {
			return "", fmt.Errorf("%w: no default port for scheme %q", errURL, u.scheme)
		}
		if def == port {
			port = ""
		}
	}
	u.path = normalizePath(u.path, u.scheme)
	// reconstruct_url
	u.netloc = userinfo + host
	if port != "" {
		u.netloc += ":" + port
	}
	return u.unsplit(), nil
}

// provideScheme is url-normalize's provide_url_scheme.
func provideScheme(url, scheme string) string {
	head := url
	if n := pyPrefixLen(url, 7); n < len(url) {
		head = url[:n]
	}
	hasScheme := strings.Contains(head, ":")
	universal := strings.HasPrefix(url, "//")
	filePath := url == "-" || (strings.HasPrefix(url, "/") && !universal)
	switch {
	case url == "" || hasScheme || filePath:
		return url
	case universal:
		return scheme + ":" + url
	}
	return scheme + "://" + url
}

// pyPrefixLen returns the byte length of the first n characters of s.
func pyPrefixLen(s string, n int) int {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

func isASCIIDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// normalizeHost lower-cases the host, strips dots at its ends and encodes
// it with IDNA, as url-normalize's normalize_host does.
func normalizeHost(host string) (string, error) {
	host = strings.Trim(strings.ToLower(host), ".")
	if host == "" {
		return "", nil
	}
	if isASCII(host) { // Python's idna codec, fast path
		labels := strings.Split(host, ".")
		for _, l := range labels[:len(labels)-1] {
			if len(l) == 0 || len(l) > 63 {
				return "", fmt.Errorf("%w: label empty or too long", errURL)
			}
		}
		if len(labels[len(labels)-1]) > 63 {
			return "", fmt.Errorf("%w: label too long", errURL)
		}
		return host, nil
	}
	out, err := idnaProfile.ToASCII(host)
	if err != nil {
		return "", fmt.Errorf("%w: %w", errURL, err)
	}
	return out, nil
}

// idnaProfile approximates Python's IDNA 2003 codec.
var idnaProfile = idna.New(idna.MapForLookup(), idna.Transitional(true), idna.StrictDomainName(false))

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// normalizeQuery is url-normalize's normalize_query: each parameter
// re-quoted, the parameters sorted.
func normalizeQuery(query string) string {
	params := strings.Split(query, "&")
	for i, q := range params {
		kv := strings.SplitN(q, "=", 2)
		for j, t := range kv {
			kv[j] = requote(t, "~:/?#[]@!$'()*+,;=")
		}
		params[i] = strings.Join(kv, "=")
	}
	sort.Strings(params)
	return strings.Join(params, "&")
}

// normalizePath is url-normalize's normalize_path.
func normalizePath(path, scheme string) string {
	path = requote(path, "~:/?#[]@!$&'()*+,;=")
	switch scheme {
	case "", "http", "https", "ftp", "file":
		var out []string
		parts := strings.Split(path, "/")
		for _, part := range parts {
			switch part {
			case "":
				if len(out) == 0 {
					out = append(out, part)
				}
			case ".":
			case "..":
				if len(out) > 1 {
					out = out[:len(out)-1]
				}
			default:
				out = append(out, part)
			}
		}
		if last := parts[len(parts)-1]; last == "" || last == "." || last == ".." {
			out = append(out, "")
		}
		path = strings.Join(out, "/")
	}
	if path == "" {
		switch scheme {
		case "http", "https", "ftp", "file":
			path = "/"
		}
	}
	return path
}

// requote is url-normalize's quote(unquote(s), safe): percent-decoded,
// NFC-normalised, then percent-encoded except for the safe characters.
func requote(s, safe string) string {
	return quote(norm.NFC.String(unquote(s)), safe)
}

// unquote is Python's urllib.parse.unquote: %XX escapes in ASCII runs are
// decoded, and the bytes read as UTF-8 with U+FFFD for invalid bytes.
func unquote(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	var run []byte
	flush := func() {
		for len(run) > 0 {
			r, size := utf8.DecodeRune(run)
			b.WriteRune(r) // utf8.RuneError for an invalid byte, as "replace" does
			run = run[size:]
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf { // not in an ASCII run: kept as it is
			flush()
			_, size := utf8.DecodeRuneInString(s[i:])
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			run = append(run, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 3
			continue
		}
		run = append(run, c)
		i++
	}
	flush()
	return b.String()
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// quote is Python's urllib.parse.quote(s, safe) on the UTF-8 of s.
func quote(s, safe string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '.', c == '-', c == '~':
			b.WriteByte(c)
		case c < utf8.RuneSelf && strings.IndexByte(safe, c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

// splitURL is Python's SplitResult.
type splitURL struct {
	scheme, netloc, path, query, fragment string
}

func isSchemeChar(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || c == '+' || c == '-' || c == '.'
}

// urlsplit is Python's urllib.parse.urlsplit (3.11).
func urlsplit(url string) (splitURL, error) {
	var u splitURL
	url = strings.TrimLeft(url, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\v\f\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	url = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(url)
	if i := strings.IndexByte(url, ':'); i > 0 && isASCIILetter(url[0]) {
		ok := true
		for j := 0; j < i; j++ {
			if !isSchemeChar(url[j]) {
				ok = false
				break
			}
		}
		if ok {
			u.scheme, url = strings.ToLower(url[:i]), url[i+1:]
		}
	}
	if strings.HasPrefix(url, "//") {
		end := len(url)
		if i := strings.IndexAny(url[2:], "/?#"); i >= 0 {
			end = i + 2
		}
		u.netloc, url = url[2:end], url[end:]
		open, closed := strings.Contains(u.netloc, "["), strings.Contains(u.netloc, "]")
		if open != closed {
			return u, fmt.Errorf("%w: invalid IPv6 URL", errURL)
		}
	}
	url, u.fragment, _ = strings.Cut(url, "#")
	u.path, u.query, _ = strings.Cut(url, "?")
	return u, nil
}

func isASCIILetter(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }

// unsplit is Python's urllib.parse.urlunsplit.
func (u splitURL) unsplit() string {
	url := u.path
	if u.netloc != "" || (u.scheme != "" && usesNetloc[u.scheme] && !strings.HasPrefix(url, "//")) {
		if url != "" && url[0] != '/' {
			url = "/" + url
		}
		url = "//" + u.netloc + url
	}
	if u.scheme != "" {
		url = u.scheme + ":" + url
	}
	if u.query != "" {
		url += "?" + u.query
	}
	if u.fragment != "" {
		url += "#" + u.fragment
	}
	return url
}

// hostname is Python's SplitResult.hostname, "" for none.
func (u splitURL) hostname() string {
	info := u.netloc
	if i := strings.LastIndexByte(info, '@'); i >= 0 {
		info = info[i+1:]
	}
	var host string
	if _, bracketed, found := strings.Cut(info, "["); found {
		host, _, _ = strings.Cut(bracketed, "]")
	} else {
		host, _, _ = strings.Cut(info, ":")
	}
	name, zone, hasZone := strings.Cut(host, "%")
	name = strings.ToLower(name)
	if hasZone {
		return name + "%" + zone
	}
	return name
}

// hasPublicSuffix is the tld package's get_tld(url, fail_silently=True)
// taken as a truth value: the URL's host ends in a suffix of the Public
// Suffix List (ICANN or private section) and has a label before it.
func hasPublicSuffix(url string) bool {
	u, err := urlsplit(strings.ToLower(url))
	if err != nil {
		return false
	}
	host := strings.TrimRight(u.hostname(), ".")
	if host == "" {
		return false
	}
	suffix, icann := publicsuffix.PublicSuffix(host)
	if !icann && !strings.Contains(suffix, ".") {
		return false // only the default rule "*" matched: not a listed suffix
	}
	return len(host) > len(suffix)+1 && strings.HasSuffix(host, "."+suffix)
}
