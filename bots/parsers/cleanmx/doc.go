// SPDX-License-Identifier: AGPL-3.0-or-later

// Package cleanmx is IntelMQ's CleanMX parser
// (intelmq.bots.parsers.cleanmx.parser) as a Go parser bot: it reads the
// XML of CleanMX's phishing and virus feeds, one event per <entry>
// element, with IntelMQ's field mapping of each feed.
//
// The feed is chosen by the parameter feed ("phishing" or "viruses") or,
// when it is empty, as IntelMQ does, by the report's feed.url
// ("xmlphishing" or "xmlviruses" in it). An event's raw is the entry as
// Python's ElementTree writes it back (CDATA sections become escaped text,
// empty elements "<x />", the whitespace after the entry kept), so raw is
// the same as IntelMQ's.
//
// Differences from IntelMQ, on purpose: a report whose feed cannot be
// told (no feed parameter, a feed.url naming neither feed) fails as a
// whole with a clear error and is dumped, where IntelMQ fails every entry
// on its own with "Unknown report."; a report that is not well-formed XML
// fails without retries. A feed.url asking for the CSV format stops the
// bot, as IntelMQ's ConfigurationError does.
//
// It imports runtime/botapi and the stdlib packages only.
package cleanmx
