// SPDX-License-Identifier: AGPL-3.0-or-later

// Package redis is IntelMQ's Redis output (intelmq.bots.outputs.redis.output):
// it pushes every event as JSON (IntelMQ's to_json: sorted keys, UTF-8,
// raw kept, "__type" by default, optionally hierarchical) onto a Redis list
// with LPUSH. The Redis is given as a URL or as IntelMQ's host, port,
// database and password.
//
// The events of a batch are pushed in one round trip when the runner
// flushes the batch, before it is acknowledged.
//
// It imports runtime/botapi, the stdlib packages and go-redis.
package redis
