// SPDX-License-Identifier: AGPL-3.0-or-later

// Package parsertest helps test the Go parser bots of bots/parsers
// (botapi.Parser). Replay runs IntelMQ's recorded parser test cases of a
// module through the runner (runtime/bottest) and compares each event
// field by field with what IntelMQ expected and with what it actually
// produced (observed_output, raw included, time.observation excepted). A
// Recorder implements botapi.Records without the runner (events derived
// from the report, raw stored base64-encoded, bad records kept), for unit
// tests that look at single records.
//
// It is a helper for the tests of the parser bots only.
package parsertest
