// SPDX-License-Identifier: AGPL-3.0-or-later

// Package microsoftctip is IntelMQ's Microsoft CTIP parser
// (intelmq.bots.parsers.microsoft.parser_ctip) for the data of Microsoft's
// Cyber Threat Intelligence Program, in its two forms:
//
//   - Interflow: a JSON list of indicator objects (version 1.5), each
//     mapped field by field; the event's raw is the object written back as
//     a one-element JSON list, as IntelMQ writes it;
//   - Azure: JSON lines, one object per line, whose nested objects
//     (SourceIpInfo, HttpInfo, CustomInfo...) are flattened to dotted keys
//     and mapped by a large table. The Payload is base64-encoded JSON (its
//     keys mapped as Payload.<key>), a JSON object written as a string
//     (its keys become extra.payload.<key>) or base64-encoded text
//     (extra.payload.text). The event's raw is the line.
//
// The parameter overwrite (default true) lets a later field replace an
// earlier one mapped to the same key, e.g. DataFeed replacing the report's
// feed.name; feed.accuracy is always replaced, scaled by the record's
// confidence. A record that cannot be mapped (an unknown key, an unknown
// threat type) is a bad record.
//
// It imports runtime/botapi, the stdlib packages and the helpers of
// bots/parsers/internal only.
package microsoftctip
