// SPDX-License-Identifier: AGPL-3.0-or-later

package redisq

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// DefaultDB is IntelMQ's pipeline database, used when a URL names none.
const DefaultDB = 2

// ParseURL turns a broker URL into go-redis options and the address to
// show in messages (the URL without its password). It accepts
// redis://[user:password@]host[:port][/db], rediss:// (TLS) and
// unix:///path/to/socket with the query parameters db and password, plus
// any query parameter go-redis understands. The database defaults to
// DefaultDB.
func ParseURL(raw string) (*redis.Options, string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, "", fmt.Errorf("redisq: invalid URL: %w", err)
	}
	q := u.Query()
	switch u.Scheme {
	case "redis", "rediss":
		if strings.Trim(u.Path, "/") == "" && q.Get("db") == "" {
			u.Path = "/" + strconv.Itoa(DefaultDB)
		}
	case "unix":
		if q.Get("db") == "" {
			q.Set("db", strconv.Itoa(DefaultDB))
		}
	default:
		return nil, "", fmt.Errorf("redisq: unsupported URL scheme %q in %s; use redis://, rediss:// or unix://", u.Scheme, redact(u))
	}
	// go-redis takes the password from the user info only; accept the
	// query form too, which is the only one a unix URL can carry readably.
	if pw, ok := q["password"]; ok {
		user := ""
		if u.User != nil {
			user = u.User.Username()
		}
		u.User = url.UserPassword(user, pw[len(pw)-1])
		q.Del("password")
	}
	u.RawQuery = q.Encode()
	opts, err := redis.ParseURL(u.String())
	if err != nil {
		return nil, "", fmt.Errorf("redisq: invalid URL %s: %w", redact(u), err)
	}
	return opts, redact(u), nil
}

// redact returns u without credentials and without go-redis tuning
// parameters other than the database.
func redact(u *url.URL) string {
	c := *u
	c.User = nil
	if db := c.Query().Get("db"); db != "" {
		c.RawQuery = "db=" + db
	} else {
		c.RawQuery = ""
	}
	return c.String()
}
