// SPDX-License-Identifier: AGPL-3.0-or-later

package url

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The expectations were produced with CPython 3.11's urllib.parse.urlparse.
func TestParseURL(t *testing.T) {
	tests := []struct {
		in       string
		want     parsedURL
		hostname string
		port     int
		hasPort  bool
		portErr  bool
		username string
	}{
		{in: "https://admin@www.example.com:8443/index.html",
			want:     parsedURL{Scheme: "https", Netloc: "admin@www.example.com:8443", Path: "/index.html"},
			hostname: "www.example.com", port: 8443, hasPort: true, username: "admin"},
		{in: "http://5.5.5.5/index.html",
			want:     parsedURL{Scheme: "http", Netloc: "5.5.5.5", Path: "/index.html"},
			hostname: "5.5.5.5"},
		{in: "HTTP://User:pw@[::1]:80/a;b?c#d",
			want:     parsedURL{Scheme: "http", Netloc: "User:pw@[::1]:80", Path: "/a", Params: "b", Query: "c", Fragment: "d"},
			hostname: "::1", port: 80, hasPort: true, username: "User"},
		{in: "www.example.com/path", want: parsedURL{Path: "www.example.com/path"}},
		{in: "//host/p", want: parsedURL{Netloc: "host", Path: "/p"}, hostname: "host"},
		{in: "mailto:foo@bar", want: parsedURL{Scheme: "mailto", Path: "foo@bar"}},
		{in: "http://host:abc/", want: parsedURL{Scheme: "http", Netloc: "host:abc", Path: "/"}, hostname: "host", portErr: true},
		{in: "http://host:99999/", want: parsedURL{Scheme: "http", Netloc: "host:99999", Path: "/"}, hostname: "host", portErr: true},
		{in: "http://host:/x", want: parsedURL{Scheme: "http", Netloc: "host:", Path: "/x"}, hostname: "host"},
		{in: " http://h\t/x ", want: parsedURL{Scheme: "http", Netloc: "h", Path: "/x "}, hostname: "h"},
		{in: "irc://irc.example.org", want: parsedURL{Scheme: "irc", Netloc: "irc.example.org"}, hostname: "irc.example.org"},
		{in: "http://a@b@c/", want: parsedURL{Scheme: "http", Netloc: "a@b@c", Path: "/"}, hostname: "c", username: "a@b"},
		{in: "http://x/p;q/r;s", want: parsedURL{Scheme: "http", Netloc: "x", Path: "/p;q/r", Params: "s"}, hostname: "x"},
		{in: "1.2.3.4:80", want: parsedURL{Path: "1.2.3.4:80"}},
		{in: "http://h:0/", want: parsedURL{Scheme: "http", Netloc: "h:0", Path: "/"}, hostname: "h", port: 0, hasPort: true},
		{in: "http://H.Example.COM.:8080", want: parsedURL{Scheme: "http", Netloc: "H.Example.COM.:8080"},
			hostname: "h.example.com.", port: 8080, hasPort: true},
		{in: "http://[fe80::1%25eTh0]/", want: parsedURL{Scheme: "http", Netloc: "[fe80::1%25eTh0]", Path: "/"},
			hostname: "fe80::1%25eTh0"},
	}
	for _, tt := range tests {
		got, err := parseURL(tt.in)
		if err != nil {
			t.Errorf("parseURL(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("parseURL(%q) (-want +got):\n%s", tt.in, diff)
		}
		if h := got.Hostname(); h != tt.hostname {
			t.Errorf("parseURL(%q).Hostname() = %q, want %q", tt.in, h, tt.hostname)
		}
		if u := got.Username(); u != tt.username {
			t.Errorf("parseURL(%q).Username() = %q, want %q", tt.in, u, tt.username)
		}
		port, ok, err := got.Port()
		if (err != nil) != tt.portErr {
			t.Errorf("parseURL(%q).Port() error = %v, want error %v", tt.in, err, tt.portErr)
		}
		if port != tt.port || ok != tt.hasPort {
			t.Errorf("parseURL(%q).Port() = %d, %v, want %d, %v", tt.in, port, ok, tt.port, tt.hasPort)
		}
	}
}

func TestParseURLInvalidIPv6(t *testing.T) {
	if _, err := parseURL("http://[::1/x"); !errors.Is(err, ErrInvalidURL) {
		t.Errorf("parseURL(unbalanced bracket) error = %v, want ErrInvalidURL", err)
	}
}
