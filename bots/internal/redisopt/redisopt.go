// SPDX-License-Identifier: AGPL-3.0-or-later

package redisopt

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Settings are the Redis parameters of a bot.
type Settings struct {
	// URL is a redis://, rediss:// or unix:// URL; when set, Host and Port
	// are ignored. Its database, when the URL names none, is DB.
	URL string
	// Host is a host name or address, or a Unix socket path ("/run/redis.sock"
	// or "unix:///run/redis.sock"), as IntelMQ accepts.
	Host string
	// Port is the TCP port; 0 means 6379.
	Port int
	// DB is the database number.
	DB int
	// Password authenticates the connection when not empty; it overrides a
	// password in URL.
	Password string
	// Timeout bounds dialing, reading and writing; 0 keeps go-redis's
	// defaults.
	Timeout time.Duration
}

// Options returns the go-redis options for s.
func Options(s Settings) (*redis.Options, error) {
	var opts *redis.Options
	switch {
	case s.URL != "":
		o, err := redis.ParseURL(s.URL)
		if err != nil {
			return nil, fmt.Errorf("invalid Redis URL %q: %w", redact(s.URL), err)
		}
		if !namesDB(s.URL) {
			o.DB = s.DB
		}
		opts = o
	case strings.HasPrefix(s.Host, "/") || strings.HasPrefix(s.Host, "unix://"):
		opts = &redis.Options{Network: "unix", Addr: strings.TrimPrefix(s.Host, "unix://"), DB: s.DB}
	default:
		host, port := s.Host, s.Port
		if host == "" {
			host = "127.0.0.1"
		}
		if port == 0 {
			port = 6379
		}
		opts = &redis.Options{Network: "tcp", Addr: net.JoinHostPort(host, strconv.Itoa(port)), DB: s.DB}
	}
	if s.Password != "" {
		opts.Password = s.Password
	}
	if s.Timeout > 0 {
		opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = s.Timeout, s.Timeout, s.Timeout
	}
	return opts, nil
}

// namesDB reports whether a Redis URL selects a database: a path segment
// for redis:// URLs, a db query parameter for any.
func namesDB(raw string) bool {
	rest := raw
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	path, query, _ := strings.Cut(rest, "?")
	if strings.Contains("&"+query, "&db=") {
		return true
	}
	if strings.HasPrefix(raw, "unix://") {
		return false
	}
	_, dbPath, ok := strings.Cut(path, "/")
	return ok && strings.Trim(dbPath, "/") != ""
}

// Describe returns where opts connect to, for log lines: the address and
// database, never the password.
func Describe(opts *redis.Options) string {
	if opts.Network == "unix" {
		return fmt.Sprintf("unix:%s db %d", opts.Addr, opts.DB)
	}
	return fmt.Sprintf("%s db %d", opts.Addr, opts.DB)
}

// redact hides the password of a URL for error messages.
func redact(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		return scheme + "://HIDDEN@" + rest[at+1:]
	}
	return raw
}
