// SPDX-License-Identifier: AGPL-3.0-or-later

// Package redisopt turns the Redis settings of IntelMQ bots (a URL, or a
// host that may be a Unix socket path, a port, a database and a password)
// into go-redis options, so the deduplicator and the Redis output read
// their parameters the same way.
//
// It imports the standard library and go-redis only.
package redisopt
