// SPDX-License-Identifier: AGPL-3.0-or-later

// Package deduplicator is IntelMQ's deduplicator expert
// (intelmq.bots.experts.deduplicator.expert): it drops an event whose hash
// was seen within the TTL. The hash is IntelMQ's message hash (SHA-256 over
// the sorted fields with Python's repr of each value, time.observation
// always left out, filter_keys left out or, as a whitelist, the only fields
// used).
//
// On Redis (database 6 by default) the cache has two layouts, chosen by
// redis_cache_layout. The default, "stream", appends one entry per batch
// of new hashes to a stream named after the TTL and keeps the live hashes
// in memory too; lookups read only the entries other deduplicators added
// since (see streamStore). "intelmq" holds the same keys and values as
// IntelMQ's ("<hex hash>" = "hash", expiring after redis_cache_ttl), so Go
// and Python deduplicators can share one cache during a migration, at
// about 2.5 µs of Redis's processor time per hash.
//
// The expert is a botapi.Preparer: the runner hands it each batch first,
// and all the batch's hashes are looked up in one round trip (an XRANGE of
// the newer entries on the stream, a pipelined MGET in IntelMQ's layout;
// in memory for the local cache); the new hashes are stored at Flush, with
// one round trip per batch: an XADD (with the XRANGE of the entries before
// it, in one MULTI) on the stream, a pipeline of SETEX (the cheapest form
// of SET for the Redis server) in IntelMQ's layout, one write transaction
// on the local cache.
//
// Without Redis the hashes are kept in a bbolt file in the bot's state
// directory, one record per batch: the key is the batch's expiry (8-byte
// big-endian Unix nanoseconds, all ones for no TTL) and a sequence number,
// the value the batch's new hashes, each preceded by its length (the
// first 16 bytes of each SHA-256; earlier versions wrote the 64 hex
// digits, which are still read). A batch
// therefore costs one put, appended at the end of the file (a batch's
// expiry is kept after the previous one's, by a nanosecond if the clock
// did not move; records without TTL are the exception, at the end), and
// expired records are deleted as a range from its start, every few
// seconds and at open. The live hashes and their expiries are also kept
// in memory, loaded by one scan at open: lookups never read the file, and
// the memory grows with the number of hashes within the TTL. Cache files
// of the former layouts (one key per hash: expiry then hash; before that
// hash → expiry) are converted when opened; had one to be dropped instead,
// that would only let duplicates pass once, as it is only a cache.
//
// The file is written once per batch without fsync: after a machine crash
// the last batches' hashes may be lost, which only lets their duplicates
// pass (at-least-once permits it). A clean stop syncs the file and marks it
// clean; a file not marked clean is checked when opened and, when damaged,
// moved aside as deduplicator.db.damaged-<time> with a log line. Unlike
// IntelMQ, which stores a hash before it sends the event, the expert stores
// the hashes of a batch when the runner flushes it, after the events were
// sent: a crash or a retried batch can then deliver an event twice
// (at-least-once) but never lose it.
//
// It imports runtime/botapi, the stdlib packages, go-redis and bbolt.
package deduplicator
