// SPDX-License-Identifier: AGPL-3.0-or-later

// Package bottest is the test harness for bots, IntelMQ's BotTestCase
// (lib/test.py) for Go: it runs one bot on given input messages through the
// real runner on an in-memory queue, and checks what every bot test must
// hold:
//
//   - every input message was received and acknowledged (the source and
//     internal queues are empty), unless the bot stopped on a fatal error
//     (botapi.Fatal), which leaves its message for the next start;
//   - every output is a valid message of the right type: a Report with raw
//     from a collector, an Event with classification.type and raw from a
//     parser, an Event from an expert;
//   - the log follows IntelMQ's format, starts with "Bot is starting.",
//     ends with "Bot stopped.", has no more ERROR or WARNING lines than
//     allowed, no CRITICAL line, and (when no error is allowed) every
//     message is a sentence.
//
// A parser is either declared in HCL (Case.Parser, from a compiled plan)
// or a Go parser bot (Case.Kind botapi.KindParser with Case.New): both run
// through the runner's parser handlers, so bad records are dumped and sent
// to "_on_error" as in a pipeline.
//
// The bot runs with IntelMQ's test configuration: no retries, no retry
// delay, no rate limit, a manual clock. Outputs are kept per path, and the
// Result has IntelMQ's assertion helpers (AssertMessageEqual ignoring
// time.observation, AssertOutputLen, AssertLogMatches, ...).
//
// bottest is for tests of the bots of this project and of Go bots users
// write. It imports the runtime and the message model; it must not import
// lang, compiler or hashicorp/hcl.
package bottest
