// SPDX-License-Identifier: AGPL-3.0-or-later

// Package api is IntelMQ's API collector
// (intelmq.bots.collectors.api.collector_api): an HTTP listener on a TCP
// port or a unix socket whose POST requests to path (IntelMQ:
// /intelmq/push) each become a Report with the body as raw.
//
// The listener is opened in Start and closed in Close, so requests that
// arrive between two collections wait for the next one. A request is
// answered 200 only after its Report was emitted (stored in the queues):
// a client that gets another answer, or none, still holds its data and
// may send it again. Beyond IntelMQ, an optional token is checked against
// the Authorization header ("<token>" or "Bearer <token>"), bodies above
// max_size are refused with 413, and an empty body with 400.
//
// A collection lasts until the bot stops, unless max_duration or
// max_reports end it earlier. "intelmq run --once" runs one collection, so
// it listens until interrupted or one of those limits is reached.
//
// It imports runtime/botapi, the stdlib packages and the standard library.
package api
