// SPDX-License-Identifier: AGPL-3.0-or-later

// Package certstream is IntelMQ's CertStream collector
// (intelmq.bots.collectors.calidog.collector_certstream), registry ID
// collector.certstream, for the feed calidog_certstream. It reads the
// WebSocket stream of a CertStream server (the public
// wss://certstream.calidog.io/ by default, or a self-hosted
// certstream-server given as url), which relays the certificates logged in
// Certificate Transparency logs as JSON text messages.
//
// Every message (text or binary frame) whose message_type is
// "certificate_update" becomes one Report whose raw is the message's JSON
// text exactly as received, with the feed's fields and time.observation,
// as the feed's parser (parser.calidog_certstream) expects. "heartbeat" messages are skipped
// with a debug line; a frame that is not a JSON object, or a message of
// another type, is skipped with a warning. Pings of the server are
// answered by the WebSocket library while the collector reads.
//
// A broken connection, a connection silent for longer than timeout, a
// close of the server with a status other than "normal closure" or
// "going away", or an HTTP 429 or 5xx answer to the handshake is retried
// within the collection, waiting 1s, 2s, 4s... up to a minute, up to
// retries consecutive failures; a message received resets the count. A
// close of the server with "normal closure" or "going away" ends the
// collection ("Stream stopped.") and the runner reconnects after interval.
//
// A message is read whole before it is checked; max_message_size (1 MiB by
// default) bounds it. The library's default of 32 KiB is too small for a
// certificate with a long chain or many names. A larger message is dropped
// with an error in the log; the library then closes the connection with
// status 1009 (message too big), and the collector reconnects.
//
// Backpressure: a report is emitted before the next message is read, and
// emitting blocks while the destination queue is full. The stream is then
// not read; the server, which does not wait for slow clients, may drop
// messages for this client or close the connection, which is reconnected
// when the queue has room again. CertStream keeps no history, so what the
// server sent meanwhile is lost: size the parser (or run several) for the
// feed's rate, which is in the hundreds of certificates per second.
//
// A collection lasts until the bot stops, unless max_duration or
// max_reports end it earlier. "intelmq run --once" runs one collection, so
// it reads until the server closes the stream or one of those limits is
// reached: give max_duration or max_reports to take a sample.
//
// TLS: verify_cert and ca_file mean what they mean for the http collector
// (its TLSConfig helper builds the settings); proxy and user_agent too.
//
// Differences from IntelMQ: IntelMQ has no parameters and always connects
// to wss://certstream.calidog.io/; here url chooses the server. IntelMQ's
// raw is the message decoded and encoded again by Python's json.dumps;
// here it is the text received, the same JSON value. IntelMQ raises an
// error on a message of an unknown type (and crashes on a frame that is
// not JSON inside the certstream library); here both are logged and
// skipped, so the stream goes on. IntelMQ's collection ends whenever the
// connection ends; here broken connections are retried with backoff.
//
// It imports bots/collectors/http (TLS settings), bots/internal/report,
// runtime/botapi, the stdlib packages, github.com/coder/websocket and the
// standard library.
package certstream
