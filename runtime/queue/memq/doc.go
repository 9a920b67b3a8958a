// SPDX-License-Identifier: AGPL-3.0-or-later

// Package memq is an in-memory queue.Broker for tests and single-process
// runs that need no persistence: everything is lost when the process ends
// or the broker is closed. It follows the queue contract exactly (internal
// queues, ack, nack, limits), so code tested on memq behaves the same on
// the persistent brokers.
//
// It imports only runtime/queue and the standard library.
package memq
