// SPDX-License-Identifier: AGPL-3.0-or-later

package redisopt

import (
	"strings"
	"testing"
	"time"
)

func TestOptions(t *testing.T) {
	tests := []struct {
		name     string
		in       Settings
		network  string
		addr     string
		db       int
		password string
	}{
		{"defaults", Settings{DB: 6}, "tcp", "127.0.0.1:6379", 6, ""},
		{"host and port", Settings{Host: "redis.example", Port: 6380, DB: 2, Password: "pw"}, "tcp", "redis.example:6380", 2, "pw"},
		{"ipv6 host", Settings{Host: "::1", DB: 1}, "tcp", "[::1]:6379", 1, ""},
		{"socket path", Settings{Host: "/run/redis.sock", DB: 6}, "unix", "/run/redis.sock", 6, ""},
		{"unix host", Settings{Host: "unix:///run/redis.sock", DB: 6}, "unix", "/run/redis.sock", 6, ""},
		{"url without db", Settings{URL: "redis://h:7000", DB: 6}, "tcp", "h:7000", 6, ""},
		{"url with db", Settings{URL: "redis://:secret@h:7000/3", DB: 6}, "tcp", "h:7000", 3, "secret"},
		{"url with db query", Settings{URL: "unix:///tmp/r.sock?db=4", DB: 6}, "unix", "/tmp/r.sock", 4, ""},
		{"unix url without db", Settings{URL: "unix:///tmp/r.sock", DB: 6}, "unix", "/tmp/r.sock", 6, ""},
		{"password overrides url", Settings{URL: "redis://:a@h/1", Password: "b"}, "tcp", "h:6379", 1, "b"},
	}
	for _, tt := range tests {
		opts, err := Options(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if opts.Network != tt.network || opts.Addr != tt.addr || opts.DB != tt.db || opts.Password != tt.password {
			t.Errorf("%s: got %s %s db %d password %q, want %s %s db %d password %q", tt.name,
				opts.Network, opts.Addr, opts.DB, opts.Password, tt.network, tt.addr, tt.db, tt.password)
		}
	}
}

func TestOptionsTimeout(t *testing.T) {
	opts, err := Options(Settings{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if opts.ReadTimeout != 5*time.Second || opts.WriteTimeout != 5*time.Second || opts.DialTimeout != 5*time.Second {
		t.Errorf("timeouts = %v %v %v, want 5s each", opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout)
	}
}

func TestOptionsBadURLHidesPassword(t *testing.T) {
	_, err := Options(Settings{URL: "http://user:secret@h/"})
	if err == nil {
		t.Fatal("want an error for an http URL")
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error %q shows the password", err)
	}
}

func TestDescribe(t *testing.T) {
	opts, _ := Options(Settings{Host: "/run/r.sock", DB: 6, Password: "pw"})
	if got := Describe(opts); got != "unix:/run/r.sock db 6" {
		t.Errorf("Describe = %q", got)
	}
}
