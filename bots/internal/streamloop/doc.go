// SPDX-License-Identifier: AGPL-3.0-or-later

// Package streamloop runs the collection of the stream collectors (HTTP
// streams, Shodan, CertStream, STOMP): one long-lived connection at a time,
// reconnected after failures with a growing delay, until the server ends
// the stream, a limit (max_duration, max_reports) is reached, the
// failures in a row exceed retries, or the bot stops. A collector provides
// the session, which connects once and reads; the loop owns the limits,
// the retries and the log lines about them.
//
// It imports runtime/botapi and the standard library.
package streamloop
