// SPDX-License-Identifier: AGPL-3.0-or-later

// Package cymrucap is IntelMQ's Team Cymru CAP program parser
// (intelmq.bots.parsers.cymru.parser_cap_program). A CAP report is a text
// file of pipe-separated lines in one of two formats, told apart by a
// comment line of the header:
//
//   - "# Data file written at ...": the old format,
//     report|ip|asn|timestamp|comments|asn_name, where each report type
//     gives its classification and reads its comments its own way;
//   - "#generated on ...": the new format,
//     category|address|asn|timestamp|optional_information|asninfo, where
//     the optional information is a list of "key: value;" pairs (or, for
//     some categories, a bare value) and asninfo ends with the country
//     code.
//
// A line of the new format that names several destination ports gives one
// event per port. Every event's raw is the header comment lines read so far
// followed by the line, as in IntelMQ; a line that cannot be parsed is a bad
// record with the same text.
//
// It imports runtime/botapi, the stdlib packages and the helpers of
// bots/parsers/internal only.
package cymrucap
