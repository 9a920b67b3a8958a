// SPDX-License-Identifier: AGPL-3.0-or-later

// Package runner runs the bots of a compiled plan with IntelMQ's runtime
// semantics (INTELMQ-SEMANTICS §3.4), in batches.
//
// A Runner runs one consumer bot (a feed's parser, a Go expert or output,
// a router): it receives a batch from the bot's source queue (moved into
// its internal queue), processes each message, sends the results, writes
// the dumps, lets the bot flush, and only then acknowledges the batch. A
// crash at any point loses nothing: the internal queue is processed first
// on restart. Per message:
//
//   - success: what the bot sent is delivered (fan-out to every queue of a
//     path, or round robin with load_balance);
//   - failure: what the bot sent in that attempt is discarded, and the
//     message is tried again after error_retry_delay, error_max_retries
//     times (max+1 attempts); then it is dumped, sent to "_on_error" when
//     routed and acknowledged, and the bot goes on (error_procedure pass)
//     or stops (stop). Invalid values and botapi.Permanent errors are not
//     retried; botapi.Fatal errors stop the bot without acknowledging;
//   - a message that cannot be decoded is dumped and acknowledged at once,
//     and the bot goes on: it is moved aside, never dropped;
//   - broker errors are retried forever with the retry delay.
//
// A parser's report becomes events record by record; a bad record is
// dumped with its exact text and sent to "_on_error"; a retried report
// does not send its events twice. The same holds for a Go parser bot
// (botapi.Parser, parserbot.go), whose records the bot itself tells apart. A CollectorRunner runs a Go collector on
// its interval. A Router evaluates a node's ordered routes (compiled expr
// programs over the event) to choose destination queues.
//
// Cancelling Run's context is a graceful stop: the current batch is
// finished, its results sent and it is acknowledged (messages not yet
// begun are put back on the source queue).
//
// The Supervisor builds every bot of a plan (Build), runs them in one
// process on a shared broker, stops when the queues are drained with
// Options.Once, and reloads on request: the new configuration is compiled
// and built first, the old bots are stopped only if that succeeded.
// Statistics (success, failure, per-path totals) go to a StatsSink: a
// directory of JSON files and, on Redis, IntelMQ's keys in database 3.
//
// runner imports compiler/plan, the runtime packages and stdlib; it must
// not import lang, compiler or hashicorp/hcl. It never reads the system
// clock: time comes from the injected botapi.Clock.
package runner
