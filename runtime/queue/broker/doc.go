// SPDX-License-Identifier: AGPL-3.0-or-later

// Package broker opens a queue.Broker from a URL, choosing the
// implementation by scheme, so that configuration and the command line
// name a broker with one string:
//
//	memory://                       in memory (memq), for tests
//	/var/lib/intelmq/queues         a directory: the embedded store (diskq)
//	file:///var/lib/intelmq/queues  the same
//	redis://[:password@]host:port/db, rediss://...  Redis (redisq)
//	unix:///run/redis.sock?db=2&password=...        Redis on a unix socket
//
// It imports runtime/queue and its implementations; nothing imports it but
// the command line and tests.
package broker
