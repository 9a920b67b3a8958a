// SPDX-License-Identifier: AGPL-3.0-or-later

// Package threatminer is IntelMQ's Threatminer parser
// (intelmq.bots.parsers.threatminer.parser): it scrapes the "Recent
// domains" panel of threatminer.org's home page. Every text between the
// line "Recent domains" and the line "Recent hosts" is a domain and gives
// one event of type blacklist with source.fqdn, whose raw is the line in
// which the text ends.
//
// The page is read as IntelMQ reads it, line by line (see
// bots/parsers/internal/htmlfeed), so the same lines give the same events.
//
// It imports runtime/botapi, the stdlib packages and the helpers of
// bots/parsers/internal only.
package threatminer
