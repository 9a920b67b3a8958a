// SPDX-License-Identifier: AGPL-3.0-or-later

// Package shadowserver is IntelMQ's Shadowserver Reports API collector
// (intelmq.bots.collectors.shadowserver.collector_reports_api). Each
// collection asks the API for the reports of the last three days (a POST
// to <api_url>reports/list whose JSON body carries the API key and is
// signed with the secret: HMAC-SHA256 in hex in the HMAC2 header), keeps
// those of the wanted types, and downloads each new one from
// <download_url><id>; every report is sent as CSV with its file name in
// extra.file_name.
//
// The names of the reports sent are remembered for cache_ttl (IntelMQ: 10
// days in Redis; here a file in the bot's state directory, state.go), so a
// report is sent once. A name is remembered only after its Report was
// emitted, so a failure never loses a report; a report that could not be
// downloaded is logged, the others are sent, and the collection then fails
// so that it is retried.
//
// It imports bots/collectors/http (downloads), runtime/botapi, the stdlib
// packages and the standard library.
package shadowserver
