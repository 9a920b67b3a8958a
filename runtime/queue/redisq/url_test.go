// SPDX-License-Identifier: AGPL-3.0-or-later

package redisq

import (
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		url                  string
		network, addr        string
		db                   int
		user, password, show string
		tls                  bool
	}{
		{url: "redis://localhost:6379", network: "tcp", addr: "localhost:6379", db: 2, show: "redis://localhost:6379/2"},
		{url: "redis://127.0.0.1", network: "tcp", addr: "127.0.0.1:6379", db: 2, show: "redis://127.0.0.1/2"},
		{url: "redis://:s3cret@h:7000/5", network: "tcp", addr: "h:7000", db: 5, password: "s3cret", show: "redis://h:7000/5"},
		{url: "redis://u:p@h/0", network: "tcp", addr: "h:6379", db: 0, user: "u", password: "p", show: "redis://h/0"},
		{url: "rediss://h:6380/3", network: "tcp", addr: "h:6380", db: 3, tls: true, show: "rediss://h:6380/3"},
		{url: "unix:///run/redis.sock", network: "unix", addr: "/run/redis.sock", db: 2, show: "unix:///run/redis.sock?db=2"},
		{url: "unix:///run/redis.sock?db=4&password=x%26y", network: "unix", addr: "/run/redis.sock", db: 4, password: "x&y", show: "unix:///run/redis.sock?db=4"},
		{url: "redis://h/1?dial_timeout=2s", network: "tcp", addr: "h:6379", db: 1, show: "redis://h/1"},
	}
	for _, tt := range tests {
		opts, show, err := ParseURL(tt.url)
		if err != nil {
			t.Fatalf("ParseURL(%q): %v", tt.url, err)
		}
		if opts.Network != tt.network || opts.Addr != tt.addr || opts.DB != tt.db ||
			opts.Username != tt.user || opts.Password != tt.password || (opts.TLSConfig != nil) != tt.tls {
			t.Errorf("ParseURL(%q) = %s %s db %d user %q password %q tls %v", tt.url,
				opts.Network, opts.Addr, opts.DB, opts.Username, opts.Password, opts.TLSConfig != nil)
		}
		if show != tt.show {
			t.Errorf("ParseURL(%q) shows %q, want %q", tt.url, show, tt.show)
		}
		if tt.password != "" && strings.Contains(show, tt.password) {
			t.Errorf("ParseURL(%q) shows the password", tt.url)
		}
	}
}

func TestParseURLErrors(t *testing.T) {
	for _, raw := range []string{"http://h", "redis://h/x", "redis://h/1?bogus=1", "unix://", "redis://:pw@h/1/2"} {
		_, _, err := ParseURL(raw)
		if err == nil {
			t.Errorf("ParseURL(%q) succeeded", raw)
			continue
		}
		if strings.Contains(err.Error(), "pw") {
			t.Errorf("ParseURL(%q) error shows the password: %v", raw, err)
		}
	}
}
