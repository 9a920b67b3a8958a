// SPDX-License-Identifier: AGPL-3.0-or-later

// Package pipelinebench holds the end-to-end throughput benchmark of "make
// bench": the four-bot pipeline of the issue (CSV parser → taxonomy →
// deduplicator → file output) run by the runtime's Supervisor on the
// memory, embedded (its default sync=batch, and sync=none) and Redis
// brokers, with redis-benchmark's LPUSH rate measured against the same
// private Redis as the ceiling.
//
// It has no code besides its benchmarks; being a test of the whole system
// it may import everything.
package pipelinebench
