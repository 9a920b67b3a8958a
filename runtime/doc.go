// SPDX-License-Identifier: AGPL-3.0-or-later

// Package runtime is the root of the runtime tree: it holds no code, only
// this overview and the test that keeps the tree's import rule.
//
// The runtime runs a compiled plan (compiler/plan) and never sees HCL:
//
//   - queue and its subpackages: the Broker interface and its memory,
//     embedded (bbolt) and Redis implementations;
//   - botapi: the contract between the runtime and Go bots;
//   - parse: the engine that runs a declared parser over a report;
//   - runner: the bot runner (receive, process, send, acknowledge, retry,
//     dump), the router, statistics and the Supervisor of a whole plan;
//   - botlog: IntelMQ's log format; dump: the dump files;
//   - bottest: the bot test harness.
//
// No package under runtime/ (nor under bots/) may import lang, compiler
// or hashicorp/hcl: only compiler/plan. imports_test.go enforces it with
// "go list -deps".
package runtime
