// SPDX-License-Identifier: AGPL-3.0-or-later

// Package twitter is IntelMQ's Twitter parser
// (intelmq.bots.parsers.twitter.parser): it finds URLs and domains in the
// text of a tweet. The text's substitutions are applied first (so that
// defanged forms such as "[.]" or " .net" become plain), then each
// whitespace-separated word, lower-cased, is searched for a host name
// followed by a path or port; a match that no domain_whitelist regular
// expression finds is normalised as the Python package url-normalize does
// and kept when its host ends in a public suffix with at least one label
// before it (the tld package's check, here with the Public Suffix List of
// golang.org/x/net/publicsuffix). Each URL found gives one event whose raw
// is the whole text.
//
// It imports runtime/botapi, the stdlib packages, golang.org/x/net and
// golang.org/x/text only.
package twitter
