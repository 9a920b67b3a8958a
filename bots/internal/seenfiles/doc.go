// SPDX-License-Identifier: AGPL-3.0-or-later

// Package seenfiles remembers which files of a listing (the blobs of an
// Azure container, the files of the Interflow API) a collector has sent,
// so that each is sent once. It replaces the Redis cache that IntelMQ's
// Microsoft collectors keep for this (redis_cache_* parameters) with a
// JSON file in the bot's state directory, written atomically through
// bots/internal/statefile.
//
// Each entry holds a file's name, when it was sent, and its version (an
// ETag or a Last-Modified value, when the listing gives one): a file whose
// version changed since it was sent counts as new. An entry is forgotten
// once it is older than the collector's cache_ttl and its file is no
// longer listed, so the state stays small while a file still offered is
// never sent twice, however long it stays in the listing (IntelMQ's Redis
// keys expire after the TTL whether or not the file is still there).
//
// A missing state file is a first start; an unreadable one is logged and
// ignored, so its files may be sent again but are never lost. A failed
// write is logged: the file was sent already, so at worst it is sent again
// after a restart.
//
// It imports bots/internal/statefile and the standard library.
package seenfiles
