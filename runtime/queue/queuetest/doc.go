// SPDX-License-Identifier: AGPL-3.0-or-later

// Package queuetest holds what every queue.Broker implementation must pass:
// the conformance suite [Run], the crash-safety check [Crash] (a child
// process killed with SIGKILL while it moves messages) and the throughput
// benchmark [Bench].
//
// It imports runtime/queue, testing and the standard library only; the
// implementations' own tests call it.
package queuetest
