// SPDX-License-Identifier: AGPL-3.0-or-later

// Package httpstream holds the collectors that read a long-lived HTTP
// response line by line and send each line as a Report:
//
//   - collector.http_stream is IntelMQ's HTTP stream collector
//     (intelmq.bots.collectors.http.collector_http_stream): any URL, lines
//     stripped of surrounding blanks with strip_lines, feed.url set to the
//     URL;
//   - collector.shodan_stream is IntelMQ's Shodan stream collector
//     (intelmq.bots.collectors.shodan.collector_stream), which reads the
//     Shodan Streaming API (the banners of some countries, or of a
//     network alert) over the same HTTP streaming.
//
// Empty lines (keep-alives, heartbeats) are skipped. A line becomes a
// Report only when it is complete: a line cut off by a broken connection is
// dropped with a warning, as its rest never comes. A broken connection, a
// read that waits longer than timeout, HTTP 429 or 5xx are retried within
// the collection, up to retries consecutive failures (a line received
// resets the count); a stream the server ends cleanly ends the collection
// ("Stream stopped."), and the runner reconnects after the interval.
//
// A collection lasts until the bot stops, unless max_duration or
// max_reports end it earlier. "intelmq run --once" runs one collection, so
// it reads until the server ends the stream or one of those limits is
// reached: give max_duration or max_reports to take a sample.
//
// It imports runtime/botapi, the stdlib packages and the standard library.
package httpstream
