// SPDX-License-Identifier: AGPL-3.0-or-later

// Package stomp holds collector.stomp, IntelMQ's STOMP collector
// (intelmq.bots.collectors.stomp.collector), which reads CERT.pl's n6
// Stream API (feed certpl_n6_stomp, parsed by parser.n6_n6stomp) or any
// other STOMP destination. It owns a small STOMP 1.1/1.2 client: no STOMP
// library is used.
//
// # Behaviour
//
// The collector connects to server:port over TLS, sends CONNECT (offering
// STOMP 1.1 and 1.2, the host header set to server, login and passcode
// from username and password, the heart-beat interval both ways), and
// subscribes to exchange with the ack mode client-individual. The body of
// each MESSAGE becomes one Report: raw is the body with trailing blanks
// removed (IntelMQ's body.rstrip()), feed.url is
// "stomp://<server>:<port>/<exchange>" exactly as IntelMQ writes it (the
// slash of a destination such as "/exchange/..." is doubled), and the feed.*
// fields come from the feed. Bodies are read with their content-length, so
// they may hold NUL bytes; header values are unescaped per STOMP 1.1/1.2.
//
// Delivery is at-least-once: a message is acknowledged (ACK) only after its
// report was handed to the runtime and stored. A message whose report was
// not stored (the bot stops, max_reports is reached with messages already
// received, the connection breaks before the ACK is written) stays
// unacknowledged, and the server delivers it again on a later connection,
// so a report may come twice, never not at all. A message that cannot be a
// report (malformed headers, an empty body, a body above max_message_size)
// is logged as an error, acknowledged and dropped. When the collection
// ends on a healthy connection the collector sends DISCONNECT and waits
// briefly for its RECEIPT, so the server has seen every ACK.
//
// Heart-beats are negotiated as STOMP says: the collector sends an
// end-of-line at the agreed interval, and a server that stays silent for
// 1.5 times its agreed interval counts as gone (the factor stomp.py uses).
// An ERROR frame is logged as an error and ends the connection. A lost,
// silent or failed connection is retried within the collection after 1s,
// 2s, 4s... up to a minute, up to retries consecutive failures (a message
// received resets the count); each reconnect is logged. An ERROR in reply
// to CONNECT (bad credentials) or a server speaking only STOMP 1.0 fails
// the collection at once, as retrying in a second would not help; the
// runner's error_max_retries and interval pace the next attempts.
//
// A collection lasts until the bot stops, unless max_duration or
// max_reports end it earlier; the loop of reconnections, limits and their
// log lines is the one of the other stream collectors
// (bots/internal/streamloop).
// "intelmq run --once" runs one collection: give max_duration or
// max_reports to take a sample.
//
// # Parameters
//
// IntelMQ's names are kept: server, port (61614), exchange (the
// destination), username, password, auth_by_ssl_client_certificate,
// ssl_ca_certificate, ssl_client_certificate, ssl_client_certificate_key
// and heartbeat (milliseconds, 6000). The files are resolved against the
// bot's base directory. The further parameters are those of the stream
// collectors: verify_cert, timeout, retries, interval, max_duration,
// max_reports, plus use_tls and max_message_size.
//
// # Differences from IntelMQ
//
//   - auth_by_ssl_client_certificate defaults to false and
//     ssl_ca_certificate to empty (the system's CAs), which is what the
//     current n6 Stream API needs; IntelMQ's defaults (true, "ca.pem",
//     "client.pem", "client.key", guest/guest) belong to the old API that
//     was turned off in November 2023. server has no default for the same
//     reason.
//   - ssl_ca_certificate adds its CAs to the system's (the shared TLS
//     helper of the HTTP collector), where IntelMQ trusts that file only.
//     verify_cert false skips the certificate check, which IntelMQ cannot.
//     TLS 1.2 is the minimum, as in IntelMQ.
//   - IntelMQ subscribes with ack mode auto, so the server forgets a message
//     as soon as it sends it, and a message in flight when the bot stops is
//     lost. Here client-individual and an ACK after storing make the
//     delivery at-least-once.
//   - IntelMQ reconnects at once after a disconnect or a heart-beat
//     timeout; here reconnects back off and are bounded by retries.
//   - use_tls false allows plain STOMP, which IntelMQ does not offer.
//   - Bodies are kept as bytes (base64 in raw); stomp.py decodes them as
//     UTF-8 and fails on other bytes.
//
// It imports runtime/botapi, bots/internal/report, bots/internal/streamloop,
// the HTTP collector's TLS helper (bots/collectors/http.TLSConfig), the
// stdlib packages and the standard library.
package stomp
