// SPDX-License-Identifier: AGPL-3.0-or-later

// Package conformance replays IntelMQ's recorded bot test cases (the JSON
// files described in testdata/conformance/intelmq/README.md) against Go
// bots in tests: it loads a case, turns its parameters into checked bot
// parameters, records what a bot sends, and compares the output with the
// expected messages using IntelMQ's assertMessageEqual rules.
//
// It is a helper for the bots' tests only; it imports testing, botapi,
// bottest and the stdlib packages.
package conformance
