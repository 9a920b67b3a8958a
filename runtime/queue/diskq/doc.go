// SPDX-License-Identifier: AGPL-3.0-or-later

// Package diskq is the embedded persistent queue.Broker, the default: all
// queues of a pipeline live in one bbolt file (queues.db in the directory
// given to Open), shared by every bot of the process. Nothing needs to be
// installed or running.
//
// # Storage
//
// A Send stores its messages together, back to back, as one segment (or
// several, of at most 1 MiB each, for a larger Send): a value of its own
// in a bbolt sub-bucket of the bucket "diskq.segments", numbered in order
// of writing. Queues hold references, not messages: the sub-bucket of a
// queue in "diskq.queues" maps 8-byte big-endian positions to entries
// "messages [from, to) of segment s", and its bucket sequence counts its
// messages. Send appends an entry, Nack prepends entries, and entries are
// only ever taken from the front.
//
// Receive therefore moves entries, not bytes, from the source queue to the
// internal queue (splitting an entry when it takes part of one), so a
// message is written to the file once, by Send, however many moves and
// redeliveries follow. Ack drops the batch's entries; a segment is
// deleted when no queue refers to any of its messages (the bucket
// "diskq.live" counts the live messages of segments partly consumed).
// Receive copies the messages out in a read transaction of its own, into
// one buffer per batch that the caller owns.
//
// Files written in the first format (a top-level bucket per queue, one
// message per key) are converted when opened; the bucket "diskq" records
// the format.
//
// # Trusted messages
//
// Every open of the file counts one more epoch (the key "epoch" of the
// bucket "diskq"). SendTrusted stores the epoch with each of its segments
// (the key "t" of the segment's sub-bucket, beside "s"), and a received
// batch is trusted (queue.TrustedBatch) when all its segments carry the
// current epoch: the runner sent them, from messages whose values passed
// their checks, while this broker was open, so it decodes them without
// checking the values again. After a reopen, which may come with another
// harmonization schema, every message is checked again. Programs that do
// not know the mark ignore it.
//
// # Commits
//
// A single goroutine writes (group commit): it takes every change waiting
// and applies them in one bbolt read-write transaction, so that one commit
// and one fsync serve all the bots of the process, and changes that arrive
// while a commit is being written share the next one. A lone caller waits
// for nothing extra. A change is one atomic step whatever the number of
// messages: a Send, a Receive's move, an Ack, a Nack is all there or
// absent after a crash.
//
// A deferred Send (SendDeferred, SendTrusted: the runner's sends of a
// batch's results) does not wait at all when the queue has room for it:
// it is queued for the committer and made in its turn, before every later
// change of its caller (the Ack of the batch follows it), as a durable
// change. Other Sends wait until their change ran, which is where the
// queue's limit is checked. The room is judged by the queue's length after
// the last Send to it ran, which Receives only shorten (Nacks lengthen
// it), plus the Sends gone ahead that did not run yet, so the limit holds
// as for the Sends that wait. The Sends gone ahead and not committed hold
// at most 1 MiB (maxAheadBytes): their buffers wait for the commit, and
// more of them raised the peak memory. Stats.AheadSends counts them. A bot
// thus rarely waits for the commit in progress, and its fsync, to send;
// the committer's groups grow instead.
//
// # Receiving
//
// A consumer's first Receive, and any Receive after a Nack or Clear, next
// to another consumer of the same source or after one was closed, with
// leftovers in its internal queue or under the policy always, makes its
// move through the committer and waits until it ran. Otherwise a Receive takes the fast path: it
// finds the next messages of the source in a read transaction of its own,
// which sees the last commit and runs beside the committer, skips those it
// took before (by their segment numbers, which grow with every Send),
// copies them out and returns them; the move to the internal queue is
// queued for the committer, behind every change made before, without
// waiting for it. A bot therefore does not wait for another bot's commit
// and fsync to take its next batch. The move is checked when it runs:
// messages no longer where they were (a Clear came first) stay where they
// are, and the Ack of their batch finds nothing to remove. A crash before
// the move is committed leaves the messages in the source, to be delivered
// again, as a crash before the commit of any move does under the policies
// batch and none. Stats.FastReceives counts the Receives that took it.
//
// # Durability (fsync policy)
//
// The policy is set by Config.Sync, or the URL parameter sync in
// file://<dir>?sync=always|batch|none (see ParseURL, OpenURL):
//
//   - always: every commit is fsynced (fdatasync where available), and
//     every call returns after the commit that holds its change reached
//     the disk. A call that returned survives a kill -9 of the process
//     and a crash of the machine.
//   - batch (the default): every commit is fsynced, as with always, and
//     Send and Clear return after theirs. Receive, Ack and Nack return as
//     soon as their change is applied (visible to every later call) and
//     are committed with the next group. A crash of the process or the
//     machine therefore loses no message that Send accepted; it may undo
//     the last moves and acknowledgements, which only makes messages come
//     again (at-least-once, as in IntelMQ). Bots wait for fewer fsyncs,
//     and fewer happen: a batch passing four bots costs 1.6 commits
//     instead of 4.9 in the package's chain benchmark. SendDeferred (what
//     a bot sends its batch's results with, before it acknowledges the
//     batch) returns as soon as the messages are applied, too: they are
//     committed no later than the Ack that follows, since commits are
//     made in order, so a crash loses both or neither, and the batch comes
//     again. If their commit fails, the committer makes the Send again,
//     alone, until it is committed, before any later change. Send itself
//     (a collector's, whose input is not a queue) still returns after its
//     commit.
//   - none: nothing is fsynced while the store is open; Close fsyncs. A
//     commit still writes its pages to the file before the calls it holds
//     return, into the operating system's page cache, so a kill -9 of the
//     process (or a crash of the program) loses nothing. A crash of the
//     operating system or a power loss can lose recent changes, including
//     messages that Send accepted, and can damage the file as a whole:
//     bbolt's copy-on-write only protects a file whose writes reached the
//     disk in order. A file mark (queues.db.unsynced) exists while a store
//     is open with none; if it is found at Open, the file is checked page
//     by page first, and a damaged file is refused with an error that
//     says so (move it aside to start with empty queues). Use none where
//     the speed matters more than the queued messages at a power loss, or
//     on storage that a power loss does not reach.
//
// Under every policy a message is lost only with the file: no crash of
// the process can lose a message or a part of a batch, and delivery is
// at-least-once. Why batch is the default: it keeps the file whole and
// every accepted message across power losses, and is faster than always;
// none is two to four times faster again on disks with slow fsync (ms),
// but a power loss can cost the whole file, a choice to make knowingly.
// See docs/queues.md for measurements.
//
// If a commit fails (a full disk, an I/O error), the callers waiting for
// it get the error; changes that returned before it (Receive, Ack and
// Nack under batch and none) are lost as by a crash, so their messages
// come again. The free-page list is not written on each commit (bbolt's
// NoFreelistSync); bbolt rebuilds it when the file is opened, which costs
// time on a large file but never loses data. The file does not shrink;
// pages freed by consumed messages are reused.
//
// What no policy protects against: a disk or file system that
// acknowledges fsync without storing the data, and a file damaged or
// deleted by someone else.
//
// # Processes
//
// bbolt locks the file: one process at a time may open a directory, and a
// second Open fails after a short wait. Bots that must share queues
// across processes or machines use Redis (package redisq).
//
// This package imports runtime/queue, go.etcd.io/bbolt and the standard
// library.
package diskq
