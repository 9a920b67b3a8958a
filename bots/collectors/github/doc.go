// SPDX-License-Identifier: AGPL-3.0-or-later

// Package github is IntelMQ's GitHub contents collector
// (intelmq.bots.collectors.github_api.collector_github_contents_api): it
// walks the files of a repository through the GitHub contents API
// (<api_url>/repos/<owner>/<repo>/contents, descending into folders),
// downloads each file whose name matches regex, and sends it as a Report
// with feed.url set to its download URL and, for the extra_fields asked
// for, the file's API metadata in extra.file_metadata.
//
// Beyond IntelMQ, which sends every matching file at each collection, it
// remembers the git blob SHA of each file sent (only_changed, in the bot's
// state directory), so a file is sent again only when it changed. A SHA is
// remembered only after its Report was emitted.
//
// It imports bots/collectors/http (downloads), runtime/botapi, the stdlib
// packages and the standard library.
package github
