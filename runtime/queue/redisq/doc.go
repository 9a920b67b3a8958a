// SPDX-License-Identifier: AGPL-3.0-or-later

// Package redisq is the Redis queue.Broker (go-redis/v9), for pipelines
// that span processes or machines. It speaks IntelMQ's own protocol, so
// Python IntelMQ bots and Go bots can share one Redis database:
//
//   - a queue is a Redis list whose key is the queue's name, unprefixed
//     (IntelMQ names them "<bot-id>-queue"), in the pipeline database 2
//     unless the URL names another;
//   - Send is LPUSH, many values per command: the left end is the newest
//     message, the right end the oldest, as IntelMQ writes. To a queue
//     with a length limit, a Send pushes only after it saw the queue below
//     the limit: in the length the Broker's last LPUSH to it returned, or
//     else in an LLEN, repeated (polling) while the queue is full;
//   - Receive first delivers what the internal queue ("<source>-internal"
//     by convention) still holds, oldest (right end) first, as IntelMQ's
//     LINDEX -1 does; otherwise it takes the whole source into the empty
//     internal queue with RENAME, in a Lua script sent together with a
//     native LRANGE of the oldest batches (one round trip; messages never
//     pass through Lua): the lists are left as IntelMQ's LMOVE RIGHT LEFT,
//     repeated for every message, would leave them, no client ever sees a
//     message in neither list, and Redis copies nothing. Producers push to
//     a new source list meanwhile, so a limited queue holds at most about
//     twice its limit (source and internal). The rest of what was taken
//     is delivered in batches from the internal queue (not marked
//     redelivered), read four batches at a time, so three of four
//     Receives need no round trip; a consumer closed with no batch outstanding puts it
//     back at the source's read end, and after a crash it is redelivered.
//     When the source is empty Receive waits in BLMOVE;
//   - Ack removes the batch from the right of the internal queue (LTRIM),
//     as IntelMQ's RPOP does for one message; Nack moves the internal queue
//     back to the right of the source, the end read next.
//
// Messages are the exact bytes written: IntelMQ's JSON goes through
// unchanged in both directions.
//
// Requirements: Redis 6.2 or later (LMOVE, BLMOVE). URLs, parsed by
// ParseURL: redis://[user:password@]host[:port][/db], rediss://... for
// TLS, and unix:///path/to/redis.sock[?db=N][&password=...]; go-redis
// options such as dial_timeout or pool_size may be added as query
// parameters.
//
// Failures: calls are not retried inside the broker (a max_retries URL
// parameter is overridden), because a command repeated after a lost reply
// could move a message unseen. An error in reaching Redis (refused, reset,
// timed out, the server still loading its data) is a
// *queue.UnavailableError, "cannot reach Redis at <address>: ...",
// matching queue.ErrUnavailable; the caller retries later. An error that
// Redis returned for a command (wrong type, out of memory) says which
// command and key failed. Nothing is lost in either case: a Receive whose
// reply was lost leaves its messages in the internal queue, where the next
// Receive finds them; an Ack repeated after a lost reply removes nothing
// more than its batch; a Send repeated after a lost reply may write its
// messages twice (at-least-once).
//
// Exclusivity: a consumer keeps track of its internal queue's length. If
// something else changed that queue (another consumer with the same
// internal queue, against the contract), Ack removes nothing and fails
// with an error saying so; Nack still moves everything back to the source.
//
// Waiting: Receive blocks in BLMOVE for at most one second at a time, so a
// cancelled context or a Close is noticed within about a second.
//
// This package imports runtime/queue, go-redis/v9 and the standard library.
package redisq
