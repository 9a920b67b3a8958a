// SPDX-License-Identifier: AGPL-3.0-or-later

// Package queue defines how bots exchange messages: a [Broker] holds named
// FIFO queues of opaque message bytes (IntelMQ wire JSON, made and read by
// others), a [Consumer] takes batches from a bot's source queue, and a
// [Producer] appends to destination queues.
//
// The model is IntelMQ's, generalised to batches. Every consumer owns an
// internal queue (by IntelMQ convention "<source>-internal", see
// [InternalName]). Receive moves messages atomically from the source queue
// into the internal queue and returns them; [Batch.Ack] removes them from
// the internal queue; [Batch.Nack] puts them back at the head of the source
// queue. A message therefore leaves the internal queue only through Ack or
// Nack, and a consumer that crashes at any point leaves its unacknowledged
// messages in the internal queue, where the next Receive on that internal
// queue finds them first. Delivery is at-least-once: a bot that sends its
// results and then crashes before Ack processes the same input again.
//
// Backpressure: [Options] may give queues a maximum length. Send then waits,
// polling with a backoff and honouring its context, while the destination
// holds at least that many messages, so that a fast producer cannot exhaust
// the memory of a shared Redis.
//
// Implementations live in subpackages: memq (in memory, for tests), diskq
// (the embedded persistent default) and redisq (Redis, IntelMQ-compatible).
// Package broker opens one of them from a URL, and queuetest is the
// conformance suite they all pass.
//
// This package imports only the Go standard library. Moving a message that
// cannot be processed aside (IntelMQ's dump and "_on_error" path) is the
// bot runner's job, built from Send and Ack; it is not part of this package.
package queue
