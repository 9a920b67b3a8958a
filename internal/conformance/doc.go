// SPDX-License-Identifier: AGPL-3.0-or-later

// Package conformance replays IntelMQ's own parser test cases, recorded as
// JSON (testdata/conformance/intelmq, see its README), against this
// project's parsers, and compares the events field by field as IntelMQ's
// assertMessageEqual does: time.observation is ignored, raw is compared
// when the test compared it, every other key must be present on both sides
// with the same value.
//
// A case names the IntelMQ module it tests. The [Runner] finds the parser
// standing for it: a library parser whose intelmq_module is the module (of
// several, the one named after a boolean parameter the case sets, e.g.
// json_splitlines, else the one with the shortest name), or,
// for IntelMQ's parameter-driven parsers (generic CSV, key-value), a parser
// it writes in HCL from the case's parameters ([Synthesize]) and compiles
// with the same compiler as any user file, or else a Go parser bot whose
// Spec names the module (Runner.Bots), built from the case's parameters
// ([BotParams]) and run as the runtime runs it (runner.RunParserBot). A
// case no parser stands for is
// skipped; a case this project deliberately answers otherwise is reported
// as a known difference with its reason ([KnownDifferences]), never as a
// pass.
//
// Dependencies: compiler/plan, runtime/parse, runtime/botapi,
// runtime/runner (to run Go parser bots) and stdlib (message,
// harmonization); the caller supplies the compile step and the bots, so
// this package does not import the compiler, the HCL loader or bots/.
package conformance
