// SPDX-License-Identifier: AGPL-3.0-or-later

// Package feeds is the shipped feed library: IntelMQ's parsers and feeds
// written in the project's HCL language and embedded in the binary, so a
// user's configuration can name a shipped parser (parser.spamhaus_drop) or
// copy a feed as a model ("intelmq feeds show NAME").
//
// The library is plain HCL under parsers/ (one file per IntelMQ parser
// module, named after it: parsers/spamhaus_drop.hcl ports
// intelmq.bots.parsers.spamhaus.parser_drop) and feeds/ (one file per
// provider). Every parser block carries intelmq_module, the IntelMQ module
// it replaces, so the conformance runner can replay IntelMQ's own test
// cases against it.
//
// The package exposes the files ([Files], [Paths]) and the feeds of
// IntelMQ's catalogue it does not declare ([Missing]); the command line
// compiles them ("intelmq feeds list|show", "intelmq conformance"). Its
// tests compile the whole library, replay IntelMQ's parser test cases
// (testdata/conformance/intelmq) against the parsers that name a module,
// and compare the goldens of testdata/feeds with IntelMQ's events.
package feeds
