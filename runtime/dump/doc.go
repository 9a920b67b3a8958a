// SPDX-License-Identifier: AGPL-3.0-or-later

// Package dump stores the messages a bot could not process, for "intelmq
// dump" to list, show, re-inject and delete.
//
// Each bot has one dump file, "<dir>/<bot-id>.dump.jsonl": one JSON object
// per line with IntelMQ's fields (bot_id, source_queue, traceback, message,
// message_type) and the time of the dump. Appending a line cannot corrupt the
// entries before it, unlike IntelMQ's rewrite of one big JSON object, and an
// entry is synced to disk before the bot acknowledges the message it holds.
// IntelMQ's own "<bot-id>.dump" files (one JSON object keyed by timestamps)
// are read as well, so an operator migrating from IntelMQ keeps their dumps.
//
// Writers and the rewrite done by Delete serialise on an exclusive flock of
// the dump file, as IntelMQ does.
//
// dump imports only the standard library and runtime/botapi (for its error
// marks). It must not import lang, compiler or hashicorp/hcl.
package dump
