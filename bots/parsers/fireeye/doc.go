// SPDX-License-Identifier: AGPL-3.0-or-later

// Package fireeye is IntelMQ's Fireeye parser
// (intelmq.bots.parsers.fireeye.parser) as a Go parser bot: it reads an
// OpenIOC document of a Fireeye Malware Analysis System alert. The file
// items of the document's first indicator give one "malware" event with
// the MD5 and SHA-256 hashes; when the document's second indicator holds
// network items, a "malware-distribution" event follows with the hashes
// and the destination's URL path, host name, URL and port. Both events'
// raw is the whole document, as in IntelMQ.
//
// IntelMQ reads the network indicator by splitting the document's text;
// this parser reads the same items with encoding/xml, so an item's content
// is the unescaped text ("&amp;" is "&"). Differences on purpose: a
// document without a second indicator gives the malware event and no
// network event where IntelMQ fails the report after sending it; a
// document without the OpenIOC criteria logs "No IOCs Available." and is
// acknowledged, as in IntelMQ; one that is not well-formed XML fails
// without retries.
//
// It imports runtime/botapi and the stdlib packages only.
package fireeye
