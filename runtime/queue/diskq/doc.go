// SPDX-License-Identifier: AGPL-3.0-or-later

// Package diskq is the embedded persistent queue.Broker, the default: all
// queues of a pipeline live in one bbolt file (queues.db in the directory
// given to Open), shared by every bot of the process. Nothing needs to be
// installed or running.
//
// # Storage
//
// Each queue is a bbolt bucket named after the queue. Its keys are 8-byte
// big-endian positions: Send appends after the last key, Nack prepends
// before the first, and messages are only ever removed from the front, so
// the keys of a queue are contiguous and its length is last-first+1.
//
// # Durability (fsync policy)
//
// Every Send, every Receive that moves messages, every Ack and every Nack
// is one change in one bbolt read-write transaction, whatever the number
// of messages: a batch of 500 costs one commit like a batch of 1. A single
// goroutine commits (group commit): changes that other bots make while a
// commit is being flushed wait and then share the next transaction, so the
// bots of a process share the cost of a flush, with no added delay for a
// lone bot. A commit writes the changed pages and fsyncs the file
// (fdatasync where available), and a call returns only after the commit
// that holds its change. Hence:
//
//   - a call that returned nil is on disk: a crash of the process (kill -9)
//     or of the machine afterwards loses none of it;
//   - a call in flight during a crash took effect entirely or not at all:
//     a Send is all there or absent, a Receive's move from the source to
//     the internal queue is all there or absent, likewise Ack and Nack;
//   - therefore no message is ever lost, and a message may be processed
//     twice: a bot that sent its results and crashed before Ack gets the
//     batch again from its internal queue (at-least-once, as in IntelMQ).
//
// What it cannot protect against: a disk or file system that acknowledges
// fsync without storing the data, a file damaged or deleted by someone
// else, and a full disk (Send then fails with the file system's error and
// nothing is written). The free-page list is not written on each commit
// (bbolt's NoFreelistSync); after a crash bbolt rebuilds it when the file
// is opened, which costs time on a large file but never loses data. The
// file does not shrink; pages freed by consumed messages are reused.
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
